// REFERENCE COPY, not shipped: the heater monitor as it was before its history became a ring of
// typed arrays (tests/alarms/heater-monitor-equivalence.test.ts runs both on the same inputs and
// requires identical verdicts; tests/alarms/reference/alarm-system.ts runs it). Do not change it;
// it is the behaviour. Its thresholds are the shipped ones (HEATER_RESPONSE).
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
import { HEATER_RESPONSE } from "../../../src/alarms/heater-monitor";

interface Sample {
  readonly atMs: number;
  readonly airC: number | null;
  /** Lowest duty seen since the previous sample. */
  readonly minDuty: number;
  readonly maxDuty: number;
  /** Warming up throughout the interval since the previous sample. */
  readonly warming: boolean;
}

export interface HeaterVerdict {
  /** High duty without a rise: true; high duty with a rise (or any heating with a clear rise): false; null: not judged. */
  readonly noRise: boolean | null;
  /** A rise with the heater long off: true; off without a rise: false; null: not judged. */
  readonly riseWhileOff: boolean | null;
  /** The rises judged, °C (null where not judged). */
  readonly noRiseC: number | null;
  readonly riseWhileOffC: number | null;
  readonly detail: string;
}

const UNJUDGED: HeaterVerdict = Object.freeze({ noRise: null, riseWhileOff: null, noRiseC: null, riseWhileOffC: null, detail: "" });

export class HeaterMonitor {
  private samples: Sample[] = [];
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
  private last: HeaterVerdict = UNJUDGED;

  /**
   * @param heaterDuty the duty actually applied during the tick that just ended, 0..1.
   * @param warmingUp the incubator is in the warm-up that started therapy (PREHEATING
   *   entered from STANDBY; not one re-entered by a raised target).
   */
  update(nowMs: number, heaterDuty: number, airC: number | null, warmingUp: boolean): HeaterVerdict {
    this.minDuty = Math.min(this.minDuty, heaterDuty);
    this.maxDuty = Math.max(this.maxDuty, heaterDuty);
    this.warming = this.warming && warmingUp;
    if (!warmingUp) this.coldestC = null;
    else if (airC !== null) this.coldestC = this.coldestC === null ? airC : Math.min(this.coldestC, airC);
    if (this.nextSampleMs === null) this.nextSampleMs = nowMs;
    if (nowMs < this.nextSampleMs) return this.last;
    const sample: Sample = { atMs: nowMs, airC, minDuty: this.minDuty, maxDuty: this.maxDuty, warming: this.warming };
    const high = sample.minDuty >= HEATER_RESPONSE.highDuty && sample.warming;
    const previous = this.samples[this.samples.length - 1];
    if (!high) this.stretchFromMs = null;
    else if (this.stretchFromMs === null) this.stretchFromMs = previous ? previous.atMs : nowMs;
    this.samples.push(sample);
    this.minDuty = Infinity;
    this.maxDuty = -Infinity;
    this.warming = true;
    this.nextSampleMs = nowMs + HEATER_RESPONSE.sampleEveryMs;
    const keepMs = Math.max(HEATER_RESPONSE.noRiseWindowMs, HEATER_RESPONSE.offSettleMs + HEATER_RESPONSE.offRiseWindowMs) + HEATER_RESPONSE.sampleEveryMs;
    while (this.samples.length > 0 && this.samples[0].atMs < nowMs - keepMs) this.samples.shift();
    this.last = this.judge(nowMs);
    return this.last;
  }

  /** Forget the history (after an operator reset, or when the heater was replaced). */
  forget(): void {
    this.samples = [];
    this.minDuty = Infinity;
    this.maxDuty = -Infinity;
    this.warming = true;
    this.nextSampleMs = null;
    this.judgedStretchAtMs = null;
    this.stretchFromMs = null;
    this.coldestC = null;
    this.last = UNJUDGED;
  }

  private judge(nowMs: number): HeaterVerdict {
    const R = HEATER_RESPONSE;
    const now = this.samples[this.samples.length - 1];
    if (now.airC === null) return UNJUDGED;
    let noRise: boolean | null = null;
    let riseWhileOff: boolean | null = null;
    let noRiseC: number | null = null;
    let riseWhileOffC: number | null = null;
    const details: string[] = [];

    // Judged once per stretch of high duty, over its first 10 minutes: that is when a working
    // heater lifts the light air fastest. Later in a long warm-up the air only creeps up with
    // the heavy hood, and with a porthole open it may not gain 0.5 °C in 10 minutes.
    const stretch = this.highStretch();
    const fromCold = stretch !== null && stretch[0].airC !== null && this.coldestC !== null && stretch[0].airC <= this.coldestC + R.fromColdC;
    if (stretch && fromCold && stretch[0].atMs !== this.judgedStretchAtMs && nowMs - stretch[0].atMs >= R.noRiseWindowMs) {
      this.judgedStretchAtMs = stretch[0].atMs;
      // The largest rise anywhere in it, from its lowest point before: a porthole opened
      // meanwhile drops the air, and a working heater then lifts it again.
      let lowest = Infinity;
      let rise = -Infinity;
      for (const s of stretch) {
        if (s.atMs > stretch[0].atMs + R.noRiseWindowMs || s.airC === null) continue;
        lowest = Math.min(lowest, s.airC);
        rise = Math.max(rise, s.airC - lowest);
      }
      if (Number.isFinite(rise)) {
        noRise = rise < R.minRiseC;
        noRiseC = round2(rise);
        if (noRise) details.push(`air rose ${fmt(rise)} °C in ${R.noRiseWindowMs / 60_000} min at ≥ ${R.highDuty * 100} % heater duty`);
      }
    } else if (this.samples.length >= 2 && this.samples[0].airC !== null) {
      // Any stretch of heating followed by a clear rise proves the heater heats.
      const heated = this.samples.slice(1).some((s) => s.maxDuty > 0);
      if (heated && now.airC - this.samples[0].airC >= R.minRiseC) noRise = false;
    }

    const off = this.window(nowMs - R.offSettleMs - R.offRiseWindowMs);
    if (off && off.every((s, i) => i === 0 || s.maxDuty <= 0)) {
      const start = nowMs - R.offRiseWindowMs;
      const at = (t: number): number | null => {
        let best: Sample | null = null;
        for (const s of off) if (s.airC !== null && (best === null || Math.abs(s.atMs - t) < Math.abs(best.atMs - t))) best = s;
        return best && Math.abs(best.atMs - t) <= R.sampleEveryMs ? best.airC : null;
      };
      const points: Array<number | null> = [];
      for (let k = 0; k <= R.offRiseParts; k++) points.push(at(start + (k * R.offRiseWindowMs) / R.offRiseParts));
      const rise = points[0] === null ? NaN : now.airC - points[0];
      let steady = true;
      for (let k = 1; k < points.length; k++) {
        const a = points[k - 1], b = points[k];
        if (a === null || b === null) { steady = false; break; }
        const prior = k >= 2 ? (points[k - 1] as number) - (points[k - 2] as number) : -Infinity;
        if (b - a < R.offRiseEachPartC || b - a < prior * R.offRiseKeepFraction) steady = false;
      }
      riseWhileOff = Number.isFinite(rise) && rise >= R.offRiseC && steady && now.airC >= R.offRiseMinAirC;
      if (Number.isFinite(rise)) riseWhileOffC = round2(rise);
      if (riseWhileOff) details.push(`air rose ${fmt(rise)} °C in ${R.offRiseWindowMs / 60_000} min with the heater off, steadily`);
    }
    return { noRise, riseWhileOff, noRiseC, riseWhileOffC, detail: details.join("; ") };
  }

  /** The current stretch of warming at high duty: the sample before it began, then its samples. */
  private highStretch(): Sample[] | null {
    const from = this.stretchFromMs;
    if (from === null) return null;
    const i = this.samples.findIndex((s) => s.atMs >= from);
    return i < 0 || this.samples[i].atMs !== from ? null : this.samples.slice(i);
  }

  /** The samples from `fromMs` on, if the history reaches back that far. */
  private window(fromMs: number): Sample[] | null {
    if (this.samples.length < 2 || this.samples[0].atMs > fromMs + HEATER_RESPONSE.sampleEveryMs / 2) return null;
    let i = 0;
    while (i + 1 < this.samples.length && this.samples[i + 1].atMs <= fromMs) i++;
    return this.samples.slice(i);
  }
}

function fmt(v: number): string {
  return (Math.round(v * 100) / 100).toFixed(2);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
