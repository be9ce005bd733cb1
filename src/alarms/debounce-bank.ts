// Onset and clear delays by integrating time, for a fixed set of conditions kept in one
// table (one Float64Array for all of them: an object per condition took 8 slots on XS).
// While a condition holds, the time it has held accumulates; a sample where it does not
// hold takes the same time back off instead of starting over. Noise around a limit then
// neither flickers the alarm nor postpones a real condition indefinitely, and a condition
// that really holds still raises after its onset. Clearing works the same way on the clear
// side of the hysteresis band.
//
// `null` means the condition cannot be judged this tick (e.g. the fan is not driven): the
// state and the integrator are frozen.

export interface DebounceSpec {
  readonly onsetMs: number;
  readonly clearMs: number;
}

// The fields of one entry, in its stride of the table.
const ONSET = 0;
const CLEAR = 1;
const ACC = 2;
/** The previous sample's time; NaN before the first. */
const LAST = 3;
const ON = 4;
/** The condition being timed held at the previous sample too (time is credited only then). */
const HELD = 5;
const STRIDE = 6;

export class DebounceBank {
  private readonly table: Float64Array;

  /** `maxStepMs`: the longest step credited at once, so a stalled tick cannot raise an alarm
   *  by itself. */
  constructor(specs: readonly DebounceSpec[], private readonly maxStepMs = 2_000) {
    const table = new Float64Array(specs.length * STRIDE);
    for (let i = 0; i < specs.length; i++) {
      const at = i * STRIDE;
      table[at + ONSET] = specs[i].onsetMs;
      table[at + CLEAR] = specs[i].clearMs;
      table[at + LAST] = NaN;
    }
    this.table = table;
  }

  active(i: number): boolean {
    return this.table[this.at(i) + ON] === 1;
  }

  /**
   * @param raise the raise condition holds (beyond the limit)
   * @param clear the clear condition holds (inside the limit by the hysteresis); defaults to !raise
   * @returns whether entry `i` is now active
   */
  update(i: number, nowMs: number, raise: boolean | null, clear: boolean | null = raise === null ? null : !raise): boolean {
    const t = this.table;
    const at = this.at(i);
    const last = t[at + LAST];
    const step = last !== last ? 0 : Math.min(this.maxStepMs, Math.max(0, nowMs - last));
    t[at + LAST] = nowMs;
    const on = t[at + ON] === 1;
    if (raise === null || clear === null) { t[at + HELD] = 0; return on; }
    // Time counts from the first sample that shows the condition, not from the one before.
    const holds = on ? clear : raise;
    if (holds) {
      if (t[at + HELD] === 1) t[at + ACC] += step;
      if (t[at + ACC] >= t[at + (on ? CLEAR : ONSET)]) {
        t[at + ON] = on ? 0 : 1;
        t[at + ACC] = 0;
        t[at + HELD] = 0;
        return !on;
      }
    } else {
      t[at + ACC] = Math.max(0, t[at + ACC] - step);
    }
    t[at + HELD] = holds ? 1 : 0;
    return on;
  }

  /** Inactive and nothing accumulated (the time of the last sample is kept). */
  reset(i: number): void {
    const at = this.at(i);
    this.table[at + ON] = 0;
    this.table[at + ACC] = 0;
    this.table[at + HELD] = 0;
  }

  private at(i: number): number {
    if (!(i >= 0 && i < this.table.length / STRIDE) || i !== Math.floor(i)) throw new RangeError(`debouncer ${i} is not one of the ${this.table.length / STRIDE}`);
    return i * STRIDE;
  }
}
