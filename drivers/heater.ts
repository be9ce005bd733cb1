import type { PwmOutput } from "./bus";
import { DutyOutput } from "./pwm-duty";

/** Whoever decides that heat is allowed at all (the core's safety layer). Asked every apply. */
export interface HeatPermit {
  heatAllowed(nowMs: number): boolean;
}

export interface HeaterOptions {
  /** Highest duty ever put on the heater, 0..1 (element and supply rating). */
  readonly maxDuty: number;
}

/**
 * Heater on PWM, behind two guards that do not trust the caller: a maximum-duty clamp and an
 * interlock that writes 0 unless the permit allows heat - even if the command asks for more.
 * A permit that throws counts as "not allowed".
 */
export class Heater {
  private readonly out: DutyOutput;
  private readonly maxDuty: number;
  private lastBlocked = false;

  constructor(pwm: PwmOutput, private readonly permit: HeatPermit, options: HeaterOptions) {
    if (!(options.maxDuty >= 0 && options.maxDuty <= 1)) {
      throw new RangeError(`heater maxDuty ${options.maxDuty} is not within 0..1`);
    }
    this.out = new DutyOutput(pwm, "heater");
    this.maxDuty = options.maxDuty;
  }

  /** Sets the heater; returns the duty actually applied. */
  set(requestedDuty: number, nowMs: number): number {
    let allowed = false;
    try {
      allowed = this.permit.heatAllowed(nowMs) === true;
    } catch {
      allowed = false;
    }
    this.lastBlocked = !allowed;
    const duty = allowed && Number.isFinite(requestedDuty) ? Math.min(Math.max(requestedDuty, 0), this.maxDuty) : 0;
    return this.out.write(duty);
  }

  get duty(): number {
    return this.out.duty;
  }

  /** True when the interlock forced the last apply to 0. */
  get interlocked(): boolean {
    return this.lastBlocked;
  }

  get lastError(): string | null {
    return this.out.lastError;
  }
}

/** A HeatPermit the safety layer switches; starts at "not allowed". */
export class SwitchedHeatPermit implements HeatPermit {
  private allowed = false;

  set(allowed: boolean): void {
    this.allowed = allowed;
  }

  heatAllowed(): boolean {
    return this.allowed;
  }
}
