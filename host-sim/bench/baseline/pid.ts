// Frozen copy of src/core/pid.ts at commit 2cdf252 (main before issue 15), kept only so the
// XS control bench measures the old controllers side by side with today's. Not firmware code.
export interface PidGains {
  /** Output per unit of error. */
  readonly kp: number;
  /** Output per unit of error·second. */
  readonly ki: number;
  /** Output per unit of measurement rate (unit/s). */
  readonly kd: number;
}

export interface PidLimits {
  readonly min: number;
  readonly max: number;
}

export interface PidConfig {
  readonly gains: PidGains;
  readonly limits: PidLimits;
  /** Time constant of the first-order filter on the derivative term, seconds (0: none). */
  readonly derivativeFilterS: number;
  /**
   * Anti-windup. Always: the integral is clamped to the output range. "conditional" (default):
   * also stop integrating while the output is saturated in the error's direction. "clamp":
   * keep integrating while saturated (within `integralBand`), so that on arrival the integral
   * already holds the power the plant needs there; the clamp bounds it.
   */
  readonly antiWindup?: "conditional" | "clamp";
  /** Integrate only while |error| is below this (conditional integration near the setpoint). */
  readonly integralBand?: number;
}

/**
 * PID with derivative on measurement (a setpoint change never kicks the D term),
 * anti-windup by clamping the integral to the output range (and, by default, conditional
 * integration), optional integration only near the setpoint, output limits, and the
 * measured elapsed time of each step.
 * `track` re-initialises it bumplessly from the output currently applied.
 */
export class Pid {
  private integral = 0;
  private lastMeasurement: number | null = null;
  private derivative = 0;
  private lastOutput = 0;

  constructor(private config: PidConfig) {}

  get output(): number {
    return this.lastOutput;
  }

  get integralTerm(): number {
    return this.integral;
  }

  setGains(gains: PidGains): void {
    this.config = { ...this.config, gains };
  }

  /**
   * One step. `dtS` is the measured time since the previous step; `feedforward` is added
   * before limiting and is excluded from the integral.
   */
  update(setpoint: number, measurement: number, dtS: number, feedforward = 0): number {
    const { gains, limits, derivativeFilterS } = this.config;
    const error = setpoint - measurement;
    if (this.lastMeasurement !== null && dtS > 0) {
      const rate = (measurement - this.lastMeasurement) / dtS;
      const alpha = derivativeFilterS > 0 ? dtS / (derivativeFilterS + dtS) : 1;
      this.derivative += alpha * (rate - this.derivative);
    }
    this.lastMeasurement = measurement;

    const p = gains.kp * error;
    const d = -gains.kd * this.derivative;
    const unclamped = feedforward + p + this.integral + d;
    // Integrate only while that does not push further into a saturated output.
    const saturatedHigh = unclamped >= limits.max && error > 0;
    const saturatedLow = unclamped <= limits.min && error < 0;
    const inBand = this.config.integralBand === undefined || Math.abs(error) < this.config.integralBand;
    const mayIntegrate = this.config.antiWindup === "clamp" || (!saturatedHigh && !saturatedLow);
    if (dtS > 0 && inBand && mayIntegrate) this.integral += gains.ki * error * dtS;
    // Never hold more integral than the output range can express (the range need not start
    // at 0: the skin cascade's output is an air temperature).
    this.integral = clamp(this.integral, limits.min, limits.max);

    this.lastOutput = clamp(feedforward + p + this.integral + d, limits.min, limits.max);
    return this.lastOutput;
  }

  /**
   * Bumpless transfer: the next update starts from `output` (the value currently applied)
   * for this measurement and setpoint, with no derivative history.
   */
  track(output: number, setpoint: number, measurement: number, feedforward = 0): void {
    const { gains, limits } = this.config;
    this.lastMeasurement = measurement;
    this.derivative = 0;
    let integral = output - feedforward - gains.kp * (setpoint - measurement);
    // At a limit, every integral beyond it gives the same (clamped) output: take the one at the
    // limit, so that starting from "off" far above the setpoint does not preload the integral.
    if (output <= limits.min) integral = Math.min(integral, limits.min);
    if (output >= limits.max) integral = Math.max(integral, limits.max);
    this.integral = clamp(integral, limits.min, limits.max);
    this.lastOutput = clamp(output, limits.min, limits.max);
  }

  reset(): void {
    this.integral = 0;
    this.lastMeasurement = null;
    this.derivative = 0;
    this.lastOutput = 0;
  }
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
