import { LIMITS } from "../alarms/catalog";
import { blindVerdict, judgeCutout } from "../alarms/overtemp-cutout";
import type { HeatPermit } from "../../drivers/heater";
import type { SensorFrame, SensorSource } from "../core/types";

/** A reading older than this cannot vouch for the heater. */
const MAX_PROBE_AGE_MS = 5000;

/**
 * The heater driver's own backstop, below the core's interlock: the heater output stays
 * off unless the independent air probe (DS18B20 at the outlet) read, within the last 5 s,
 * a plausible value under the highest cut-out limit (40.0 °C). The core's cut-out at
 * 38.0 °C acts first; this one holds even if the core misbehaves.
 */
export class ProbeHeatPermit implements HeatPermit, SensorSource {
  private last: SensorFrame | null = null;
  private lastMs = -Infinity;
  /** The cut-out verdict, judged into one object at each heater write. */
  private readonly verdict = blindVerdict();

  constructor(private readonly inner: SensorSource) {}

  sample(nowMs: number): SensorFrame {
    const frame = this.inner.sample(nowMs);
    this.last = frame;
    this.lastMs = nowMs;
    return frame;
  }

  heatAllowed(nowMs: number): boolean {
    if (!this.last || nowMs - this.lastMs > MAX_PROBE_AGE_MS) return false;
    const verdict = judgeCutout(this.last.probeAir, LIMITS.cutoutOverrideC, 0, this.verdict);
    return !verdict.blind && !verdict.tripped;
  }
}
