// The reference debouncer: one object per condition, as the alarm system had it before its
// debouncers became one table (src/alarms/debounce-bank.ts). The equivalence oracle keeps it.
/**
 * Onset and clear delays by integrating time: while the condition holds, the time it has
 * held accumulates; a sample where it does not hold takes the same time back off instead
 * of starting over. Noise around a limit then neither flickers the alarm nor postpones a
 * real condition indefinitely, and a condition that really holds still raises after
 * `onsetMs`. Clearing works the same way on the clear side of the hysteresis band.
 *
 * `null` means the condition cannot be judged this tick (e.g. the fan is not driven): the
 * state and the integrator are frozen.
 */
export class Debouncer {
  private on = false;
  private accMs = 0;
  private lastMs: number | null = null;
  /** The condition being timed held at the previous sample too (time is credited only then). */
  private held = false;

  constructor(
    private readonly onsetMs: number,
    private readonly clearMs: number,
    /** Longest step credited at once, so a stalled tick cannot raise an alarm by itself. */
    private readonly maxStepMs = 2_000,
  ) {}

  get active(): boolean {
    return this.on;
  }

  /**
   * @param raise the raise condition holds (beyond the limit)
   * @param clear the clear condition holds (inside the limit by the hysteresis); defaults to !raise
   */
  update(nowMs: number, raise: boolean | null, clear: boolean | null = raise === null ? null : !raise): boolean {
    const step = this.lastMs === null ? 0 : Math.min(this.maxStepMs, Math.max(0, nowMs - this.lastMs));
    this.lastMs = nowMs;
    if (raise === null || clear === null) { this.held = false; return this.on; }
    // Time counts from the first sample that shows the condition, not from the one before.
    const holds = this.on ? clear : raise;
    if (holds) {
      if (this.held) this.accMs += step;
      if (this.accMs >= (this.on ? this.clearMs : this.onsetMs)) { this.on = !this.on; this.accMs = 0; this.held = false; return this.on; }
    } else {
      this.accMs = Math.max(0, this.accMs - step);
    }
    this.held = holds;
    return this.on;
  }

  reset(): void {
    this.on = false;
    this.accMs = 0;
    this.held = false;
  }
}
