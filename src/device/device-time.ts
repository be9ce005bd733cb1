import SNTP from "sntp";
import Time from "time";
import Timer from "timer";
import type { MonotonicClock, TimerHandle, Timers, WallClock } from "../core/types";

/** Monotonic milliseconds and one-shot timers on Moddable's `Time.ticks` / `Timer`. */
export const deviceClock: MonotonicClock & Timers = Object.freeze({
  now: () => Time.ticks,
  after(ms: number, callback: () => void): TimerHandle {
    let timer: ReturnType<typeof Timer.set> | null = Timer.set(() => {
      timer = null;
      callback();
    }, Math.max(0, Math.round(ms)));
    return {
      cancel() {
        if (timer) Timer.clear(timer);
        timer = null;
      },
    };
  },
});

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

  constructor(private readonly log: (text: string) => void) {}

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
        deviceClock.after(RETRY_MS, ask);
      }
    };
    ask();
  }

  private request(host: string, nextHost: () => string, again: () => void): void {
    new SNTP({ host }, (message, value) => {
      if (message === SNTP.time && value !== undefined) {
        Time.set(value);
        this.set = true;
        this.log(`wall clock set by SNTP from ${host}: ${new Date(value * 1000).toISOString()}`);
        deviceClock.after(RESYNC_MS, again);
      } else if (message === SNTP.error) {
        const next = nextHost();
        this.log(`SNTP: no time from ${host}${this.set ? "" : " (timestamps say the clock is not set)"}; trying ${next} in ${RETRY_MS / 1000} s`);
        deviceClock.after(RETRY_MS, again);
      }
    });
  }
}
