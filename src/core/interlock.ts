import type { ControlMode, IncubatorState, SensorFrame } from "./types";

export const CUTOUT = Object.freeze({
  /** Independent air probe limit, °C. */
  normalC: 38.0,
  /** With the override setpoint or in skin mode. */
  raisedC: 40.0,
});

export function cutoutLimit(mode: ControlMode, override: boolean): number {
  return mode === "skin" || override ? CUTOUT.raisedC : CUTOUT.normalC;
}

export interface InterlockInputs {
  readonly state: IncubatorState;
  readonly mode: ControlMode;
  readonly override: boolean;
  readonly frame: SensorFrame;
  /** Reasons the alarm system forbids heat this tick (fan failed, TEMP_HIGH, latched cut-out…). */
  readonly alarmInhibits: readonly string[];
  /** The tachometer has shown the fan turning since therapy last started or FAULT was last reset. */
  readonly airflowProven: boolean;
}

/**
 * The last word on heat: the safety invariants of the product contract, checked every
 * tick after the controllers and independently of them. Returns null when heat is
 * allowed, otherwise why not.
 */
export function heaterInhibit(inputs: InterlockInputs): string | null {
  if (inputs.state !== "PREHEATING" && inputs.state !== "OPERATING") return `state is ${inputs.state}`;
  const probe = inputs.frame.probeAir.value;
  if (probe === null) return "no valid reading on the cut-out channel (air probe)";
  const limit = cutoutLimit(inputs.mode, inputs.override);
  if (probe >= limit) return `air probe ${probe.toFixed(2)} °C at or above the cut-out limit ${limit.toFixed(1)} °C`;
  if (inputs.frame.air.value === null) return "no valid reading on the air control channel";
  if (inputs.alarmInhibits.length > 0) return inputs.alarmInhibits.join("; ");
  if (!inputs.airflowProven) return "the fan has not yet been proven turning (tachometer) since therapy started";
  return null;
}
