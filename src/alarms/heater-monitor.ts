// Heater fault from the thermal response of the air: no rise although the heater has run
// at high duty for a long time (open element, blown fuse, dead SSR), or a clear rise although
// it has been off for a long time (welded SSR, shorted MOSFET).
//
// "No rise" is judged only during the warm-up that started therapy, and only from cold (the
// air within 2 °C of the coldest it has been since therapy started, about the room's
// temperature after a cold start): there a working heater at high duty always warms the
// air, whatever the losses, because the air can only settle above the room with heat going
// in. Warm (near the setpoint, or after a change to skin mode or a raised target drove the
// heater to full duty at 37 °C), a porthole left open holds the air flat or lets it fall at
// full heat with a healthy heater: the heater cannot keep the air that far above the room
// against the porthole. A false HEATER_FAULT there would turn off the heat the baby needs
// most; a heater that dies warm shows as TEMP_LOW (heater left on) instead.
export const HEATER_RESPONSE = Object.freeze({
  sampleEveryMs: 10_000,
  /** "High duty": at least this much, throughout the window. */
  highDuty: 0.8,
  /** Window over which high duty must have produced a rise, ms. */
  noRiseWindowMs: 600_000,
  /** Rise that proves the heater heats, °C. */
  minRiseC: 0.5,
  /** "From cold": a high-duty stretch is judged for no rise only if it starts at most this
   *  far above the coldest air seen since therapy started, °C. */
  fromColdC: 2.0,
  /** The heater must have been off this long before a rise counts against it (residual heat), ms. */
  offSettleMs: 180_000,
  /** Window over which a rise with the heater off is measured, ms. With the heater off the
   *  air rises on its own only by coming back to what surrounds it - the warm hood, mattress
   *  and baby after a porthole, a draught or the humidifier cooled it: an approach with the
   *  air's own time constant (about 35-55 s with the fan running, 80-90 s by natural
   *  convection with the fan stopped in STANDBY or FAULT), over within about 5 minutes. Heat
   *  from a welded relay keeps the rise going for as long as the hood takes to follow (an
   *  hour). 10 minutes tell the two apart; 5 did not (seeds 42, 5001, 5009, 9200001). */
  offRiseWindowMs: 600_000,
  /** Rise over that window with the heater off that means it is heating anyway, °C (the
   *  rate of the earlier 5-minute rule, 0.2 °C/min: a hot room creeping the air up at
   *  0.1 °C/min is TEMP_HIGH's, not a heater fault)… */
  offRiseC: 2.0,
  /** …and sustained, judged in this many equal parts of the window: … */
  offRiseParts: 5,
  /** …at least this much in each part (0.12 °C/min)… */
  offRiseEachPartC: 0.24,
  /** …and no part rising less than this fraction of the part before it (a re-warm slows
   *  down part by part; a heater keeps its rate). */
  offRiseKeepFraction: 0.5,
  /** …and only above this air temperature: below it, a rise with the heater off may be the
   *  room (normal use goes up to 30 °C ambient) coming in through a porthole. */
  offRiseMinAirC: 31,
});

const R = HEATER_RESPONSE;
/** History kept: the longest look-back of a judgement plus one sample interval, ms. */
const KEEP_MS = Math.max(R.noRiseWindowMs, R.offSettleMs + R.offRiseWindowMs) + R.sampleEveryMs;
/** Samples are at least sampleEveryMs apart and none is older than KEEP_MS: at most this many. */
const CAPACITY = Math.floor(KEEP_MS / R.sampleEveryMs) + 1;
/** A sample's flags: its air is known; in the interval it closes the heater ran (highest duty
 *  above 0); the heater was off (highest duty at most 0; neither of the two for a NaN duty). */
const AIR_KNOWN = 1;
const HEATED = 2;
const OFF = 4;

export interface HeaterVerdict {
  /** High duty without a rise: true; high duty with a rise (or any heating with a clear rise): false; null: not judged. */
  readonly noRise: boolean | null;
  /** A rise with the heater long off: true; off without a rise: false; null: not judged. */
  readonly riseWhileOff: boolean | null;
  /** The rises judged, °C (null where not judged). */
  readonly noRiseC: number | null;
  readonly riseWhileOffC: number | null;
  /** What was found, for a fault only ("" otherwise). */
  readonly detail: string;
}

type WritableVerdict = { -readonly [K in keyof HeaterVerdict]: HeaterVerdict[K] };

/**
 * The history is a ring of samples, one every sampleEveryMs, held in typed arrays made at
 * construction, and the verdict is one object rewritten at each sample: update() allocates
 * nothing but the detail of a fault. Callers read the verdict at once and keep no reference.
 */
export class HeaterMonitor {
  // The ring: the sample at position i (0 = oldest) is at index (first + i) % CAPACITY.
  private readonly atMs = new Float64Array(CAPACITY);
  /** The air at the sample (meaningful where AIR_KNOWN is set). */
  private readonly airC = new Float64Array(CAPACITY);
  private readonly flags = new Uint8Array(CAPACITY);
  private first = 0;
  private count = 0;
  /** Lowest and highest duty, and warming up throughout, since the previous sample. */
  private minDuty = Infinity;
  private maxDuty = -Infinity;
  private warming = true;
  private nextSampleMs: number | null = null;
  /** Start of the high-duty stretch already judged for "no rise". */
  private judgedStretchAtMs: number | null = null;
  /** Time of the sample just before the current high-duty stretch began (its baseline). */
  private stretchFromMs: number | null = null;
  /** The coldest air seen since the warm-up began (null: not warming up). */
  private coldestC: number | null = null;
  private readonly verdict: WritableVerdict = { noRise: null, riseWhileOff: null, noRiseC: null, riseWhileOffC: null, detail: "" };

  /**
   * @param heaterDuty the duty actually applied during the tick that just ended, 0..1.
   * @param warmingUp the incubator is in the warm-up that started therapy (PREHEATING
   *   entered from STANDBY; not one re-entered by a raised target).
   * @returns the verdict at the latest sample: an object this monitor rewrites.
   */
  update(nowMs: number, heaterDuty: number, airC: number | null, warmingUp: boolean): HeaterVerdict {
    this.minDuty = Math.min(this.minDuty, heaterDuty);
    this.maxDuty = Math.max(this.maxDuty, heaterDuty);
    this.warming = this.warming && warmingUp;
    if (!warmingUp) this.coldestC = null;
    else if (airC !== null) this.coldestC = this.coldestC === null ? airC : Math.min(this.coldestC, airC);
    if (this.nextSampleMs === null) this.nextSampleMs = nowMs;
    if (nowMs < this.nextSampleMs) return this.verdict;
    const high = this.minDuty >= R.highDuty && this.warming;
    if (!high) this.stretchFromMs = null;
    else if (this.stretchFromMs === null) this.stretchFromMs = this.count > 0 ? this.atMs[this.index(this.count - 1)] : nowMs;
    while (this.count > 0 && this.atMs[this.first] < nowMs - KEEP_MS) this.dropOldest();
    // Cannot happen with samples sampleEveryMs apart; keeps the ring bounded whatever the clock does.
    if (this.count === CAPACITY) this.dropOldest();
    const j = this.index(this.count);
    this.atMs[j] = nowMs;
    this.airC[j] = airC === null ? NaN : airC;
    this.flags[j] = (airC === null ? 0 : AIR_KNOWN) | (this.maxDuty > 0 ? HEATED : 0) | (this.maxDuty <= 0 ? OFF : 0);
    this.count++;
    this.minDuty = Infinity;
    this.maxDuty = -Infinity;
    this.warming = true;
    this.nextSampleMs = nowMs + R.sampleEveryMs;
    this.judge(nowMs);
    return this.verdict;
  }

  /** Forget the history (after an operator reset, or when the heater was replaced). */
  forget(): void {
    this.first = 0;
    this.count = 0;
    this.minDuty = Infinity;
    this.maxDuty = -Infinity;
    this.warming = true;
    this.nextSampleMs = null;
    this.judgedStretchAtMs = null;
    this.stretchFromMs = null;
    this.coldestC = null;
    this.write(null, null, null, null, "");
  }

  private judge(nowMs: number): void {
    const newest = this.index(this.count - 1);
    if ((this.flags[newest] & AIR_KNOWN) === 0) { this.write(null, null, null, null, ""); return; }
    const nowAirC = this.airC[newest];
    let noRise: boolean | null = null;
    let riseWhileOff: boolean | null = null;
    let noRiseC: number | null = null;
    let riseWhileOffC: number | null = null;
    let detail = "";

    // Judged once per stretch of high duty, over its first 10 minutes: that is when a working
    // heater lifts the light air fastest. Later in a long warm-up the air only creeps up with
    // the heavy hood, and with a porthole open it may not gain 0.5 °C in 10 minutes.
    const stretch = this.stretchStart();
    const stretchAtMs = stretch < 0 ? NaN : this.atMs[this.index(stretch)];
    const base = stretch < 0 ? -1 : this.index(stretch);
    const fromCold = base >= 0 && (this.flags[base] & AIR_KNOWN) !== 0 && this.coldestC !== null && this.airC[base] <= this.coldestC + R.fromColdC;
    if (fromCold && stretchAtMs !== this.judgedStretchAtMs && nowMs - stretchAtMs >= R.noRiseWindowMs) {
      this.judgedStretchAtMs = stretchAtMs;
      // The largest rise anywhere in it, from its lowest point before: a porthole opened
      // meanwhile drops the air, and a working heater then lifts it again.
      let lowest = Infinity;
      let rise = -Infinity;
      for (let i = stretch; i < this.count; i++) {
        const k = this.index(i);
        if (this.atMs[k] > stretchAtMs + R.noRiseWindowMs || (this.flags[k] & AIR_KNOWN) === 0) continue;
        lowest = Math.min(lowest, this.airC[k]);
        rise = Math.max(rise, this.airC[k] - lowest);
      }
      if (Number.isFinite(rise)) {
        noRise = rise < R.minRiseC;
        noRiseC = round2(rise);
        if (noRise) detail = `air rose ${fmt(rise)} °C in ${R.noRiseWindowMs / 60_000} min at ≥ ${R.highDuty * 100} % heater duty`;
      }
    } else if (this.count >= 2 && (this.flags[this.first] & AIR_KNOWN) !== 0) {
      // Any stretch of heating followed by a clear rise proves the heater heats.
      let heated = false;
      for (let i = 1; i < this.count && !heated; i++) heated = (this.flags[this.index(i)] & HEATED) !== 0;
      if (heated && nowAirC - this.airC[this.first] >= R.minRiseC) noRise = false;
    }

    const off = this.windowStart(nowMs - R.offSettleMs - R.offRiseWindowMs);
    if (off >= 0 && this.offSince(off)) {
      const start = nowMs - R.offRiseWindowMs;
      const first = this.airNear(off, start);
      const rise = first === null ? NaN : nowAirC - first;
      // Each part rises at least offRiseEachPartC and at least offRiseKeepFraction of the part before.
      let steady = true;
      let a: number | null = first;
      let prior = -Infinity;
      for (let k = 1; k <= R.offRiseParts; k++) {
        const b = this.airNear(off, start + (k * R.offRiseWindowMs) / R.offRiseParts);
        if (a === null || b === null) { steady = false; break; }
        if (b - a < R.offRiseEachPartC || b - a < prior * R.offRiseKeepFraction) steady = false;
        prior = b - a;
        a = b;
      }
      riseWhileOff = Number.isFinite(rise) && rise >= R.offRiseC && steady && nowAirC >= R.offRiseMinAirC;
      if (Number.isFinite(rise)) riseWhileOffC = round2(rise);
      if (riseWhileOff) {
        const found = `air rose ${fmt(rise)} °C in ${R.offRiseWindowMs / 60_000} min with the heater off, steadily`;
        detail = detail === "" ? found : `${detail}; ${found}`;
      }
    }
    this.write(noRise, riseWhileOff, noRiseC, riseWhileOffC, detail);
  }

  /** Position of the sample just before the current stretch of warming at high duty (-1: none kept). */
  private stretchStart(): number {
    const from = this.stretchFromMs;
    if (from === null) return -1;
    for (let i = 0; i < this.count; i++) {
      const t = this.atMs[this.index(i)];
      if (t >= from) return t === from ? i : -1;
    }
    return -1;
  }

  /** Position of the last sample at or before `fromMs`, if the history reaches back that far (-1: not). */
  private windowStart(fromMs: number): number {
    if (this.count < 2 || this.atMs[this.first] > fromMs + R.sampleEveryMs / 2) return -1;
    let i = 0;
    while (i + 1 < this.count && this.atMs[this.index(i + 1)] <= fromMs) i++;
    return i;
  }

  /** The heater was off in every interval after the sample at position `from`. */
  private offSince(from: number): boolean {
    for (let i = from + 1; i < this.count; i++) if ((this.flags[this.index(i)] & OFF) === 0) return false;
    return true;
  }

  /** The air of the sample nearest `t` from position `from` on (the earliest of equals), if within a sample interval. */
  private airNear(from: number, t: number): number | null {
    const atMs = this.atMs;
    const flags = this.flags;
    let best = -1;
    let bestGap = 0;
    let k = this.index(from);
    for (let i = from; i < this.count; i++) {
      if ((flags[k] & AIR_KNOWN) !== 0) {
        const at = atMs[k];
        const gap = Math.abs(at - t);
        if (best < 0 || gap < bestGap) { best = k; bestGap = gap; }
        // The times only rise: from the first sample at or after t on, the gaps only grow.
        if (at >= t) break;
      }
      k = k + 1 === CAPACITY ? 0 : k + 1;
    }
    return best >= 0 && bestGap <= R.sampleEveryMs ? this.airC[best] : null;
  }

  private index(position: number): number {
    const k = this.first + position;
    return k >= CAPACITY ? k - CAPACITY : k;
  }

  private dropOldest(): void {
    this.first = this.index(1);
    this.count--;
  }

  private write(noRise: boolean | null, riseWhileOff: boolean | null, noRiseC: number | null, riseWhileOffC: number | null, detail: string): void {
    const v = this.verdict;
    v.noRise = noRise;
    v.riseWhileOff = riseWhileOff;
    v.noRiseC = noRiseC;
    v.riseWhileOffC = riseWhileOffC;
    v.detail = detail;
  }
}

function fmt(v: number): string {
  return (Math.round(v * 100) / 100).toFixed(2);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
