import type { DigitalOutput, PulseCounter, PwmOutput } from "../../drivers/bus";
import type { MonotonicClock } from "../../src/core/types";

/** A PWM pin: rejects values outside 0 .. 2^resolution - 1 as the ECMA-419 class does. */
export class SimPwm implements PwmOutput {
  value = 0;
  writes = 0;

  constructor(readonly resolution = 10) {}

  write(value: number): void {
    const max = 2 ** this.resolution - 1;
    if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`PWM value ${value} outside 0..${max}`);
    this.value = value;
    this.writes++;
  }

  get duty(): number {
    return this.value / (2 ** this.resolution - 1);
  }
}

export class SimDigitalOut implements DigitalOutput {
  value: 0 | 1 = 0;
  edges = 0;

  write(value: 0 | 1): void {
    if (value !== 0 && value !== 1) throw new RangeError(`digital value ${String(value)} is not 0 or 1`);
    if (value !== this.value) this.edges++;
    this.value = value;
  }
}

/** Tachometer input: integrates `rpm()` over simulated time into a pulse count. */
export class SimPulseCounter implements PulseCounter {
  private count = 0;
  private fraction = 0;
  private lastMs: number;
  /** When true the counter sees no pulses (the fan stands still, or its wire is cut). */
  stopped = false;

  constructor(
    private readonly rpm: () => number,
    private readonly clock: MonotonicClock,
    private readonly pulsesPerRevolution = 2,
  ) {
    this.lastMs = clock.now();
  }

  read(): number {
    const now = this.clock.now();
    const rpm = this.stopped ? 0 : Math.max(0, this.rpm());
    this.fraction += (rpm * this.pulsesPerRevolution * (now - this.lastMs)) / 60000;
    this.lastMs = now;
    const whole = Math.floor(this.fraction);
    this.count += whole;
    this.fraction -= whole;
    return this.count;
  }
}
