import { performance } from "node:perf_hooks";
import type { MonotonicClock, TimerHandle, Timers, WallClock } from "../src/core/types";

/**
 * Host time for `npm start`: the monotonic clock, timers and wall clock of the firmware,
 * running `speed` times faster than real time (1 = real time). The wall clock moves with
 * the same factor from the moment the program started, so timestamps stay consistent.
 */
export class RealTime implements MonotonicClock, Timers, WallClock {
  private readonly startPerf = performance.now();
  private readonly startEpoch: number;

  /** @param startEpochMs the wall clock's reading now (default: the real one); a restart
   *  passes where the last run's simulated clock would be by now. */
  constructor(readonly speed = 1, startEpochMs?: number) {
    if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
    this.startEpoch = startEpochMs !== undefined && Number.isFinite(startEpochMs) ? Math.round(startEpochMs) : Date.now();
  }

  now(): number {
    return (performance.now() - this.startPerf) * this.speed;
  }

  epochMs(): number {
    return this.startEpoch + Math.round(this.now());
  }

  isSet(): boolean {
    return true;
  }

  after(ms: number, callback: () => void): TimerHandle {
    const handle = setTimeout(callback, Math.max(0, ms / this.speed));
    return { cancel: () => clearTimeout(handle) };
  }
}
