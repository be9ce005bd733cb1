// Rate of change of a reading over a time window, kept in a ring of numbers written in place
// (no object per sample: it runs every control tick). Float64Arrays: 8 bytes a sample on
// every platform, where an array's numbers take a slot each (16 bytes on the ESP32, 32 in
// the simulator).

export class RateOfChange {
  private atMs: Float64Array;
  private values: Float64Array;
  private head = 0;
  private length = 0;
  /** The latest sample minus the one before it (0 without one). */
  lastStep = 0;

  /** `capacity` defaults to the window's samples at one a second and a few more (it grows
   *  when ticks come faster): 38 for 30 s, where a fixed 64 held 832 bytes never used. */
  constructor(private readonly windowMs: number, capacity = Math.ceil(windowMs / 1000) + 8) {
    this.atMs = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** °C/s over the window; null until the window is filled, and without a reading (which
   *  also forgets the samples). The oldest sample kept is the last one at or before
   *  `nowMs - windowMs` (two at least). */
  update(nowMs: number, v: number | null): number | null {
    if (v === null) { this.head = 0; this.length = 0; this.lastStep = 0; return null; }
    if (this.length === this.atMs.length) this.grow();
    const cap = this.atMs.length;
    const at = (this.head + this.length) % cap;
    this.lastStep = this.length > 0 ? v - this.values[(at + cap - 1) % cap] : 0;
    this.atMs[at] = nowMs;
    this.values[at] = v;
    this.length++;
    while (this.length > 2 && this.atMs[(this.head + 1) % cap] <= nowMs - this.windowMs) {
      this.head = (this.head + 1) % cap;
      this.length--;
    }
    const firstAtMs = this.atMs[this.head];
    if (nowMs - firstAtMs < this.windowMs) return null;
    return (v - this.values[this.head]) / ((nowMs - firstAtMs) / 1000);
  }

  /** More samples in the window than the ring holds (ticks faster than expected). */
  private grow(): void {
    const cap = this.atMs.length;
    const atMs = new Float64Array(cap * 2);
    const values = new Float64Array(cap * 2);
    for (let i = 0; i < this.length; i++) {
      atMs[i] = this.atMs[(this.head + i) % cap];
      values[i] = this.values[(this.head + i) % cap];
    }
    this.atMs = atMs;
    this.values = values;
    this.head = 0;
  }
}
