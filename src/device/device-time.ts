import SNTP from "sntp";
import Time from "time";
import Timer from "timer";
import type { MonotonicClock, TimerHandle, Timers, WallClock } from "../core/types";

/**
 * A one-shot Moddable timer as a TimerHandle. Moddable passes its callback the timer's own
 * host object, so one module function serves every timer: the handle is found through a
 * property on that object. Per `after` that is this object and the timer, where closures
 * over the callback and the handle (two functions and their scopes, three with the guard)
 * made garbage several times a second (the control tick, the logs' and the feeds' deferred
 * work, every HTTP deadline).
 */
class DeviceTimer implements TimerHandle {
  timer: TimerWithOwner | null;

  constructor(
    readonly callback: () => void,
    /** Where a throw from the callback goes; null: it reaches XS (the control loop's fail-safe). */
    readonly report: ((error: unknown) => void) | null,
    ms: number,
  ) {
    const timer = Timer.set(fire, Math.max(0, Math.round(ms))) as TimerWithOwner;
    timer.owner = this;
    this.timer = timer;
  }

  cancel(): void {
    const timer = this.timer;
    if (timer === null) return;
    this.timer = null;
    timer.owner = null;
    Timer.clear(timer);
  }
}

type TimerWithOwner = ReturnType<typeof Timer.set> & { owner: DeviceTimer | null };

function fire(t: unknown): void {
  const timer = t as TimerWithOwner;
  const handle = timer.owner;
  if (handle === null) return;
  timer.owner = null;
  handle.timer = null;
  if (handle.report === null) return handle.callback();
  try {
    handle.callback();
  } catch (e) {
    handle.report(e);
  }
}

function timerAfter(ms: number, callback: () => void): TimerHandle {
  return new DeviceTimer(callback, null, ms);
}

/** One Moddable repeating timer: no allocation per period. */
function timerEvery(ms: number, callback: () => void): TimerHandle {
  let timer: ReturnType<typeof Timer.repeat> | null = Timer.repeat(() => callback(), Math.max(1, Math.round(ms)));
  return {
    cancel() {
      if (timer) Timer.clear(timer);
      timer = null;
    },
  };
}

/** Monotonic milliseconds and one-shot timers on Moddable's `Time.ticks` / `Timer`, for the
 *  control loop. A throw from its callbacks is not caught: it reaches XS, which aborts, and
 *  the ESP32 restarts into the saved therapy (POWER_FAILURE). A control tick that throws
 *  may have left the outputs where they were; a restart starts them from off. */
export const deviceClock: MonotonicClock & Timers = Object.freeze({
  now: () => Time.ticks,
  after: timerAfter,
  every: timerEvery,
});

/** The same for everything else (server, network, feeds): a throw is caught and reported,
 *  so a fault in a connection never reaches XS. */
export function guardedTimers(report: (error: unknown) => void): MonotonicClock & Timers {
  return Object.freeze({
    now: () => Time.ticks,
    after: (ms: number, callback: () => void): TimerHandle => new DeviceTimer(callback, report, ms),
    every: (ms: number, callback: () => void) =>
      timerEvery(ms, () => {
        try {
          callback();
        } catch (e) {
          report(e);
        }
      }),
  });
}

const RETRY_MS = 30_000;
const RESYNC_MS = 6 * 3600_000;

/** Anything before this is a clock that was never set (the ESP32 boots at 1970). */
const PLAUSIBLE_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * The wall clock: not set at boot on the ESP32 (timestamps then count from 1970 and the
 * snapshot says `clockSet: false`), set by SNTP once the network is up, re-synchronised
 * every few hours. In the simulator the host clock is already right.
 */
export class DeviceWallClock implements WallClock {
  private set = Date.now() >= PLAUSIBLE_EPOCH_MS;
  private asking = false;

  constructor(
    private readonly log: (text: string) => void,
    private readonly timers: Timers,
  ) {}

  epochMs(): number {
    return Date.now();
  }

  isSet(): boolean {
    return this.set;
  }

  /** Asks the hosts in turn until one answers, then again every RESYNC_MS; call once the
   *  network is up (again after a network change does no harm). */
  synchronise(hosts: readonly string[]): void {
    if (this.asking || hosts.length === 0) return;
    this.asking = true;
    let index = 0;
    const ask = (): void => {
      const host = hosts[index];
      // The SNTP module closes itself after its final callback (time or error); closing
      // it again from here throws "close on closed socket".
      try {
        this.request(host, () => {
          index = (index + 1) % hosts.length;
          return hosts[index];
        }, ask);
      } catch (e) {
        this.log(`SNTP: cannot ask ${host}: ${String(e)}; retrying in ${RETRY_MS / 1000} s`);
        this.timers.after(RETRY_MS, ask);
      }
    };
    ask();
  }

  private request(host: string, nextHost: () => string, again: () => void): void {
    // A native callback: nothing may escape it.
    new SNTP({ host }, (message, value) => {
      try {
        if (message === SNTP.time && value !== undefined) {
          Time.set(value);
          this.set = true;
          this.log(`wall clock set by SNTP from ${host}: ${new Date(value * 1000).toISOString()}`);
          this.timers.after(RESYNC_MS, again);
        } else if (message === SNTP.error) {
          const next = nextHost();
          this.log(`SNTP: no time from ${host}${this.set ? "" : " (timestamps say the clock is not set)"}; trying ${next} in ${RETRY_MS / 1000} s`);
          this.timers.after(RETRY_MS, again);
        }
      } catch (e) {
        this.log(`SNTP: ${String(e)}`);
      }
    });
  }
}
