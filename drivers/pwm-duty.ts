import type { PwmOutput } from "./bus";

/** Duty 0..1 -> the PWM's integer range 0 .. 2^resolution - 1. Anything not a finite number is 0. */
export function dutyToPwmValue(duty: number, resolution: number): number {
  const full = 2 ** resolution - 1;
  if (!Number.isFinite(duty) || duty <= 0) return 0;
  if (duty >= 1) return full;
  return Math.round(duty * full);
}

export function pwmValueToDuty(value: number, resolution: number): number {
  return value / (2 ** resolution - 1);
}

/** A PWM output that remembers what it last wrote and whether the write worked. */
export class DutyOutput {
  private written = 0;
  private error: string | null = null;

  constructor(private readonly pwm: PwmOutput, private readonly name: string) {}

  /** Writes `duty`; returns the duty actually on the pin (as quantised), never throws. */
  write(duty: number): number {
    const value = dutyToPwmValue(duty, this.pwm.resolution);
    try {
      this.pwm.write(value);
      this.written = value;
      this.error = null;
    } catch (e) {
      this.error = `${this.name} PWM write of ${value} failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    return this.duty;
  }

  /** The duty last written successfully (0..1). */
  get duty(): number {
    return pwmValueToDuty(this.written, this.pwm.resolution);
  }

  get lastError(): string | null {
    return this.error;
  }
}
