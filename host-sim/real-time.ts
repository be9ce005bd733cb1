import { performance } from "node:perf_hooks";
import type { MonotonicClock, TimerHandle, Timers, WallClock } from "../src/core/types";

interface PendingTimer {
  readonly dueMs: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * Host time for `npm start`: the monotonic clock, timers and wall clock of the firmware,
 * running `speed` times faster than real time (1 = real time).
 *
 * Timers fire in due order with the clock reading their due time, as on SimTime, paced
 * against real time. So a stalled event loop (a loaded machine, a garbage collection, a
 * debugger) never makes the firmware see time jump: the clock between timers never passes
 * the next timer that has not fired, a 1 s tick is 1 s after the one before, and timers
 * that fell due during the stall fire one per turn of the event loop (sockets in between)
 * until the clock has caught up. When it is more than a second of real time behind, it
 * slips instead: the simulation runs slower than asked rather than sensors "timing out".
 */
export class RealTime implements MonotonicClock, Timers, WallClock {
  private readonly startEpoch: number;
  private anchorReal = performance.now();
  private anchorSim = 0;
  private lastNow = 0;
  private firingAt: number | null = null;
  private queue: PendingTimer[] = [];
  private seq = 0;
  private armed: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private slippedMs = 0;
  private readonly maxLagMs: number;

  /** @param startEpochMs the wall clock's reading now (default: the real one); a restart
   *  passes where the last run's simulated clock would be by now.
   *  @param onError a timer callback's exception (default: thrown again on its own, as
   *  setTimeout would, so the process reports it). */
  constructor(
    readonly speed = 1,
    startEpochMs?: number,
    private readonly onError: (error: unknown) => void = (error) => setImmediate(() => { throw error; }),
  ) {
    if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
    this.startEpoch = startEpochMs !== undefined && Number.isFinite(startEpochMs) ? Math.round(startEpochMs) : Date.now();
    this.maxLagMs = 1000 * speed;
  }

  /** Simulated milliseconds given up so far because the host could not keep up. */
  get slipped(): number {
    return this.slippedMs;
  }

  now(): number {
    if (this.firingAt !== null) return this.firingAt;
    const next = this.nextTimer();
    const paced = Math.min(this.paced(), next ? next.dueMs : Infinity);
    if (paced > this.lastNow) this.lastNow = paced;
    return this.lastNow;
  }

  epochMs(): number {
    return this.startEpoch + Math.round(this.now());
  }

  isSet(): boolean {
    return true;
  }

  after(ms: number, callback: () => void): TimerHandle {
    const timer: PendingTimer = { dueMs: this.now() + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].dueMs > timer.dueMs) i--;
    this.queue.splice(i, 0, timer);
    if (i === 0) this.arm();
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        // A cancelled first timer must not keep the process alive until it was due.
        if (this.queue[0] === timer && this.firingAt === null) this.arm();
      },
    };
  }

  /** Where real time says the clock should be, in whole milliseconds (due times stay whole). */
  private paced(): number {
    return Math.floor(this.anchorSim + (performance.now() - this.anchorReal) * this.speed);
  }

  private nextTimer(): PendingTimer | undefined {
    while (this.queue.length > 0 && this.queue[0].cancelled) this.queue.shift();
    return this.queue[0];
  }

  private arm(): void {
    if (this.immediate !== null) return;
    if (this.armed !== null) clearTimeout(this.armed);
    this.armed = null;
    const next = this.nextTimer();
    if (!next) return;
    const waitMs = (next.dueMs - this.paced()) / this.speed;
    if (waitMs <= 0) this.immediate = setImmediate(this.pump);
    else this.armed = setTimeout(this.pump, waitMs);
  }

  /** Fires the earliest timer if it is due, one per turn so I/O and promises run between. */
  private readonly pump = (): void => {
    this.armed = null;
    this.immediate = null;
    const next = this.nextTimer();
    if (next && next.dueMs <= this.paced()) {
      this.queue.shift();
      const at = Math.max(this.lastNow, next.dueMs);
      this.lastNow = at;
      this.firingAt = at;
      try {
        next.callback();
      } catch (error) {
        this.onError(error);
      } finally {
        this.firingAt = null;
      }
      const lag = this.paced() - at;
      if (lag > this.maxLagMs) {
        this.slippedMs += lag - this.maxLagMs;
        this.anchorReal = performance.now();
        this.anchorSim = at + this.maxLagMs;
      }
    }
    this.arm();
  };
}
