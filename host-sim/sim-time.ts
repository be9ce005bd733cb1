import type { MonotonicClock, TimerHandle, Timers, WallClock } from "../src/core/types";

/** A timer in the queue; it is its own handle (no closure per timer), and a repeating one
 *  goes back into the queue with its next due time instead of a new timer. A cancelled
 *  timer leaves the queue at once, as Moddable's `Timer.clear` frees it: the XS benches'
 *  live heap must not count timers the device would not hold. */
class PendingTimer implements TimerHandle {
  cancelled = false;

  constructor(
    private readonly owner: SimTime,
    public dueMs: number,
    public seq: number,
    readonly callback: () => void,
    readonly everyMs: number,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.owner.remove(this);
  }
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
    return this.insert(new PendingTimer(this, this.nowMs + Math.max(0, ms), this.seq++, callback, 0));
  }

  /** Fires at the same times, in the same order among other timers, as a chain of `after`
   *  calls made at the end of each callback. */
  every(ms: number, callback: () => void): TimerHandle {
    const period = Math.max(1, ms);
    return this.insert(new PendingTimer(this, this.nowMs + period, this.seq++, callback, period));
  }

  /** Keeps the queue sorted (a handful of timers: insertion from the end is cheap), without
   *  the array `splice` would return. */
  private insert(timer: PendingTimer): PendingTimer {
    const q = this.queue;
    let i = q.length;
    q.push(timer);
    while (i > 0 && q[i - 1].dueMs > timer.dueMs) {
      q[i] = q[i - 1];
      i--;
    }
    q[i] = timer;
    return timer;
  }

  /** Takes a cancelled timer out of the queue (not there: it is the one firing). */
  remove(timer: PendingTimer): void {
    const q = this.queue;
    const i = q.indexOf(timer);
    if (i < 0) return;
    for (let k = i; k < q.length - 1; k++) q[k] = q[k + 1];
    q.length--;
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
      if (next.everyMs > 0 && !next.cancelled) {
        next.dueMs = this.nowMs + next.everyMs;
        next.seq = this.seq++;
        this.insert(next);
      }
    }
    this.nowMs = end;
  }

  /** Spends `ms` of simulated time inside the current callback (to model a slow tick). */
  spend(ms: number): void {
    this.nowMs += ms;
  }
}
