// Control-quality metrics on a once-per-second trace of the plant's TRUE values
// (what the baby experiences), as PRODUCT.md "How the control benchmark measures" defines them.

export interface Trace {
  /** Seconds since the scenario's event (start, setpoint step, porthole closing…). */
  readonly tS: number[];
  readonly value: number[];
  /** Actuator as applied, 0..1 (heater duty, or humidifier on = 1). */
  readonly actuator: number[];
}

export interface ResponseMetrics {
  /** First time within `reachBand` of the setpoint (coming from below), s; null if never. */
  readonly reachS: number | null;
  /** From when on the value stays within ±`settleBand` for good, s; null if it never does. */
  readonly settleS: number | null;
  /** Highest excess over the setpoint after first reaching it (0 if it never exceeds it). */
  readonly overshoot: number;
  /** max − min over the last `windowS` of the run: the steady state once settled. */
  readonly peakToPeak: number;
  /** Whether that window lies after settling (false: it never settled, or too late to tell). */
  readonly peakToPeakSettled: boolean;
  readonly actuatorMean: number;
  /** Transitions between off (0) and on (> 0) of the actuator. */
  readonly switches: number;
}

export const STEADY_WINDOW_S = 30 * 60;

export function responseMetrics(trace: Trace, setpoint: number, reachBand: number, settleBand: number, windowS = STEADY_WINDOW_S): ResponseMetrics {
  const { tS, value, actuator } = trace;
  const n = value.length;
  let reachS: number | null = null;
  let firstAtSetpoint = -1;
  let lastOutside = -1;
  for (let i = 0; i < n; i++) {
    if (reachS === null && value[i] >= setpoint - reachBand) reachS = tS[i];
    if (firstAtSetpoint < 0 && value[i] >= setpoint) firstAtSetpoint = i;
    if (Math.abs(value[i] - setpoint) > settleBand) lastOutside = i;
  }
  let overshoot = 0;
  if (firstAtSetpoint >= 0) for (let i = firstAtSetpoint; i < n; i++) overshoot = Math.max(overshoot, value[i] - setpoint);
  const settled = lastOutside < n - 1;
  const settleIndex = lastOutside + 1;
  const settleS = settled ? tS[settleIndex] : null;
  const window = lastWindow(tS, windowS);
  return {
    reachS,
    settleS,
    overshoot,
    peakToPeak: spread(value, window.from, window.to),
    peakToPeakSettled: settled && window.from >= settleIndex,
    actuatorMean: mean(actuator),
    switches: countSwitches(actuator),
  };
}

export interface RecoveryMetrics {
  /** Largest deviation below the setpoint during the disturbance and after. */
  readonly maxDrop: number;
  /** From the disturbance's end until within ±band for good, s; null if never. */
  readonly recoveryS: number | null;
  /** Highest excess over the setpoint after the disturbance ended (rebound overshoot). */
  readonly overshoot: number;
  readonly actuatorMean: number;
  readonly switches: number;
}

/** `trace.tS` counts from the disturbance's end (negative while it lasts). */
export function recoveryMetrics(trace: Trace, setpoint: number, band: number): RecoveryMetrics {
  const { tS, value, actuator } = trace;
  let maxDrop = 0;
  let overshoot = 0;
  let lastOutside = -1;
  for (let i = 0; i < value.length; i++) {
    maxDrop = Math.max(maxDrop, setpoint - value[i]);
    if (tS[i] >= 0) {
      overshoot = Math.max(overshoot, value[i] - setpoint);
      if (Math.abs(value[i] - setpoint) > band) lastOutside = i;
    }
  }
  const firstAfter = tS.findIndex((t) => t >= 0);
  const recovered = lastOutside < value.length - 1;
  const recoveryS = !recovered ? null : lastOutside < firstAfter ? 0 : tS[lastOutside + 1];
  return { maxDrop, recoveryS, overshoot, actuatorMean: mean(actuator), switches: countSwitches(actuator) };
}

function lastWindow(tS: number[], windowS: number): { from: number; to: number } {
  const n = tS.length;
  let from = n - 1;
  while (from > 0 && tS[n - 1] - tS[from - 1] <= windowS) from--;
  return { from, to: n - 1 };
}

function spread(values: number[], from: number, to: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i <= to; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return hi - lo;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, x) => s + x, 0) / values.length;
}

function countSwitches(values: number[]): number {
  let switches = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > 0 !== values[i - 1] > 0) switches++;
  return switches;
}
