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

/** Anything before this is a clock that was never set (the ESP32 boots at 1970). */
const PLAUSIBLE_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * The wall clock: not set at boot on the ESP32 (timestamps then count from 1970 and the
 * snapshot says `clockSet: false`), set by SNTP once the network is up, re-synchronised
 * every few hours. In the simulator the host clock is already right.
 */
export class DeviceWallClock implements WallClock {
  private set = Date.now() >= PLAUSIBLE_EPOCH_MS;
  private sntp: SNTP | null = null;

  constructor(private readonly log: (text: string) => void) {}

  epochMs(): number {
    return Date.now();
  }

  isSet(): boolean {
    return this.set;
  }

  /** Asks the first host that answers; call again after a network change. */
  synchronise(hosts: readonly string[]): void {
    if (this.sntp || hosts.length === 0) return;
    let index = 0;
    const ask = (): void => {
      const host = hosts[index];
      this.sntp = new SNTP({ host }, (message, value) => {
        if (message === SNTP.time && value !== undefined) {
          Time.set(value);
          this.set = true;
          this.log(`wall clock set by SNTP from ${host}: ${new Date(value * 1000).toISOString()}`);
          this.stop();
        } else if (message === SNTP.error) {
          this.stop();
          index = (index + 1) % hosts.length;
          this.log(`SNTP: no answer from ${host}; trying ${hosts[index]} in 30 s`);
          deviceClock.after(30_000, ask);
        }
      });
    };
    ask();
  }

  private stop(): void {
    try {
      // SNTP#close exists in the SDK (modules/network/sntp/sntp.js) but not in the typings.
      (this.sntp as unknown as { close(): void } | null)?.close();
    } catch {
      // already closed by the module after its last callback
    }
    this.sntp = null;
  }
}
