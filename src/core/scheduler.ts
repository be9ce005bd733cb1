import type { MonotonicClock, TimerHandle, Timers } from "./types";

/** What the scheduler tells each tick. */
export interface TickInfo {
  /** Tick number n: this tick was due at t0 + n·T. */
  readonly index: number;
  readonly dueMs: number;
  /** When the tick actually started (monotonic ms). */
  readonly startMs: number;
  /** Measured time since the previous tick started; the period for the first tick. */
  readonly elapsedMs: number;
}

export interface SchedulerStats {
  readonly ticks: number;
  /** Ticks that finished after the next tick's deadline. */
  readonly overruns: number;
  /** Deadlines that passed without a tick (never run late, never bunched). */
  readonly skipped: number;
}

/**
 * Fixed-rate deadline schedule: tick n is due at t0 + n·T, so the period never drifts
 * with the time a tick takes or the timer's lateness. A tick that runs past the next
 * deadline is an overrun; deadlines that have already passed are skipped, not bunched.
 */
export class DeadlineScheduler {
  private t0 = 0;
  private nextIndex = 0;
  private lastStartMs = 0;
  private timer: TimerHandle | null = null;
  private running = false;
  private ticks = 0;
  private overruns = 0;
  private skipped = 0;
  /** Made once: arming every tick must not make a closure. */
  private readonly fireBound = () => this.fire();

  constructor(
    private readonly clock: MonotonicClock,
    private readonly timers: Timers,
    readonly periodMs: number,
    private readonly onTick: (tick: TickInfo) => void,
  ) {
    if (!(periodMs > 0)) throw new RangeError(`scheduler period must be > 0 ms, got ${periodMs}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.t0 = this.clock.now();
    this.nextIndex = 0;
    this.lastStartMs = this.t0 - this.periodMs;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  get stats(): SchedulerStats {
    return { ticks: this.ticks, overruns: this.overruns, skipped: this.skipped };
  }

  private arm(): void {
    const due = this.t0 + this.nextIndex * this.periodMs;
    const wait = Math.max(0, due - this.clock.now());
    this.timer = this.timers.after(wait, this.fireBound);
  }

  private fire(): void {
    this.timer = null;
    if (!this.running) return;
    const startMs = this.clock.now();
    const index = this.nextIndex;
    const dueMs = this.t0 + index * this.periodMs;
    const elapsedMs = startMs - this.lastStartMs;
    this.lastStartMs = startMs;
    this.ticks++;
    try {
      this.onTick({ index, dueMs, startMs, elapsedMs });
    } finally {
      const endMs = this.clock.now();
      if (endMs > dueMs + this.periodMs) this.overruns++;
      // The first deadline not yet passed; every deadline between was missed.
      const next = Math.max(index + 1, Math.ceil((endMs - this.t0) / this.periodMs));
      this.skipped += next - index - 1;
      this.nextIndex = next;
      if (this.running) this.arm();
    }
  }
}
