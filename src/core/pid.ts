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
    // Written for XS, where every property lookup, local and call is metered: the config read
    // field by field as needed, the clamps inline (the same arithmetic as clamp()).
    const config = this.config;
    const error = setpoint - measurement;
    if (this.lastMeasurement !== null && dtS > 0) {
      // The rate (measurement - last) / dtS, filtered by alpha = dtS / (filter + dtS) (1: none).
      this.derivative += (config.derivativeFilterS > 0 ? dtS / (config.derivativeFilterS + dtS) : 1) * ((measurement - this.lastMeasurement) / dtS - this.derivative);
    }
    this.lastMeasurement = measurement;

    const gains = config.gains;
    const limits = config.limits;
    const p = gains.kp * error;
    const d = -gains.kd * this.derivative;
    const unclamped = feedforward + p + this.integral + d;
    // Integrate only near the setpoint (integralBand) and, unless "clamp", not while that
    // pushes further into a saturated output.
    if (
      dtS > 0 &&
      (config.integralBand === undefined || Math.abs(error) < config.integralBand) &&
      (config.antiWindup === "clamp" || !((unclamped >= limits.max && error > 0) || (unclamped <= limits.min && error < 0)))
    )
      this.integral += gains.ki * error * dtS;
    // Never hold more integral than the output range can express (the range need not start
    // at 0: the skin cascade's output is an air temperature).
    if (this.integral < limits.min) this.integral = limits.min;
    else if (this.integral > limits.max) this.integral = limits.max;

    const out = feedforward + p + this.integral + d;
    this.lastOutput = out < limits.min ? limits.min : out > limits.max ? limits.max : out;
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
