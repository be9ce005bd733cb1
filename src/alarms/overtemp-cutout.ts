// The independent over-temperature cut-out. It reads only the DS18B20 air probe near the
// outlet (`frame.probeAir`), never the SHT31 control channel nor anything the controller
// computed, so a misbehaving controller or control sensor cannot defeat it.
import type { Reading } from "../core/types";
import { LIMITS } from "./catalog";

export interface CutoutVerdict {
  /** The limit in force this tick, °C. */
  readonly limitC: number;
  /** The probe reads at or above the limit now: the heater must be off this very tick. */
  readonly tripped: boolean;
  /** The probe has no usable reading now (the cut-out cannot vouch for the heater). */
  readonly blind: boolean;
  /** The probe reads safely below the limit (by the hysteresis), so a latch may be reset. */
  readonly safe: boolean;
  readonly valueC: number | null;
}

/** 38.0 °C, or 40.0 °C with the override setpoint or in skin mode. */
export function cutoutLimitC(overrideSetpoint: boolean, skinMode: boolean): number {
  return overrideSetpoint || skinMode ? LIMITS.cutoutOverrideC : LIMITS.cutoutC;
}

/** Readings outside this range are not temperatures of incubator air (85.0 is the DS18B20 power-on value). */
const PLAUSIBLE_PROBE_C = Object.freeze({ min: -10, max: 84.9 });

export type MutableCutoutVerdict = { -readonly [K in keyof CutoutVerdict]: CutoutVerdict[K] };

/** The verdict of a blind probe at the normal limit (before the first judgement). */
export function blindVerdict(): MutableCutoutVerdict {
  return { limitC: LIMITS.cutoutC, tripped: false, blind: true, safe: false, valueC: null };
}

/** @param out written with the verdict and returned (the control tick judges into its own
 *   object); a new object without it. */
export function judgeCutout(probeAir: Reading, limitC: number, resetHysteresisC: number, out: MutableCutoutVerdict = blindVerdict()): CutoutVerdict {
  const v = probeAir.value;
  const usable = v !== null && Number.isFinite(v) && v >= PLAUSIBLE_PROBE_C.min && v <= PLAUSIBLE_PROBE_C.max;
  out.limitC = limitC;
  if (!usable) {
    out.tripped = false; out.blind = true; out.safe = false; out.valueC = null;
  } else {
    out.tripped = v >= limitC; out.blind = false; out.safe = v < limitC - resetHysteresisC; out.valueC = v;
  }
  return out;
}
