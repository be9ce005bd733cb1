// Control-quality metrics on a once-per-second trace of the plant's TRUE values
// (what the baby experiences), as PRODUCT.md "How the control benchmark measures" defines them.

export interface Trace {
  /** Seconds since the scenario's event (start, setpoint step, disturbance's end). */
  readonly tS: number[];
  readonly value: number[];
  /** Heater duty as applied, 0..1. */
  readonly heater: number[];
  /** Humidifier as applied, 1 = on. */
  readonly humidifier: number[];
}

export function emptyTrace(): Trace {
  return { tS: [], value: [], heater: [], humidifier: [] };
}

/** What both kinds of metrics share: the actuators. */
export interface ActuatorMetrics {
  readonly heaterMean: number;
  /** Transitions between off (0) and on (> 0) of the heater. */
  readonly heaterSwitches: number;
  readonly humidifierMean: number;
  readonly humidifierSwitches: number;
}

export interface ResponseMetrics extends ActuatorMetrics {
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
}

export const STEADY_WINDOW_S = 30 * 60;

function actuators(trace: Trace, from = 0): ActuatorMetrics {
  return {
    heaterMean: mean(trace.heater, from),
    heaterSwitches: countSwitches(trace.heater, from),
    humidifierMean: mean(trace.humidifier, from),
    humidifierSwitches: countSwitches(trace.humidifier, from),
  };
}

export function responseMetrics(trace: Trace, setpoint: number, reachBand: number, settleBand: number, windowS = STEADY_WINDOW_S): ResponseMetrics {
  const { tS, value } = trace;
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
    ...actuators(trace),
  };
}

export interface RecoveryMetrics extends ActuatorMetrics {
  /** Largest deviation below the setpoint during the disturbance and after. */
  readonly maxDrop: number;
  /** From the disturbance's end until within ±band for good, s; null if never. */
  readonly recoveryS: number | null;
  /** Highest excess over the setpoint after the disturbance ended (rebound overshoot). */
  readonly overshoot: number;
}

/** `trace.tS` counts from the disturbance's end (negative while it lasts). */
export function recoveryMetrics(trace: Trace, setpoint: number, band: number): RecoveryMetrics {
  const { tS, value } = trace;
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
  return { maxDrop, recoveryS, overshoot, ...actuators(trace) };
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

function mean(values: number[], from = 0): number {
  let s = 0;
  for (let i = from; i < values.length; i++) s += values[i];
  return values.length - from <= 0 ? 0 : s / (values.length - from);
}

function countSwitches(values: number[], from = 0): number {
  let switches = 0;
  for (let i = from + 1; i < values.length; i++) if (values[i] > 0 !== values[i - 1] > 0) switches++;
  return switches;
}

/** Mean and worst (largest: every compared metric is better when lower) over events; null is "never". */
export interface Aggregate {
  readonly mean: number | null;
  readonly worst: number | null;
}

export function aggregate(values: readonly (number | null)[]): Aggregate {
  if (values.length === 0) return { mean: null, worst: null };
  if (values.some((v) => v === null)) return { mean: null, worst: null };
  const xs = values as number[];
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, worst: Math.max(...xs) };
}
