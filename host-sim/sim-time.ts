import type { MonotonicClock, TimerHandle, Timers, WallClock } from "../src/core/types";

interface PendingTimer {
  readonly dueMs: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * Simulated time: a monotonic clock, one-shot timers and a wall clock that move only
 * when `advance` is called, so hours of incubator operation run in seconds and every
 * run is repeatable. Timers fire in due order (ties in creation order), with the clock
 * set to each timer's due time while it runs.
 */
export class SimTime implements MonotonicClock, Timers, WallClock {
  private nowMs = 0;
  private seq = 0;
  private queue: PendingTimer[] = [];

  constructor(private readonly epochAtZeroMs = Date.UTC(2026, 0, 15, 8, 0, 0)) {}

  now(): number {
    return this.nowMs;
  }

  epochMs(): number {
    return this.epochAtZeroMs + this.nowMs;
  }

  isSet(): boolean {
    return true;
  }

  after(ms: number, callback: () => void): TimerHandle {
    const timer: PendingTimer = { dueMs: this.nowMs + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
    // Keep the queue sorted; it holds a handful of timers, so insertion is cheap.
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].dueMs > timer.dueMs)) i--;
    this.queue.splice(i, 0, timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const next = this.queue[0];
      if (!next || next.dueMs > end) break;
      this.queue.shift();
      if (next.cancelled) continue;
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      next.callback();
    }
    this.nowMs = end;
  }

  /** Spends `ms` of simulated time inside the current callback (to model a slow tick). */
  spend(ms: number): void {
    this.nowMs += ms;
  }
}
