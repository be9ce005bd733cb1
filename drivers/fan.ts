import type { Reading } from "../src/core/types";
import type { PulseCounter, PwmOutput } from "./bus";
import { DutyOutput } from "./pwm-duty";
import { ChannelReading, describeError } from "./reading";

/** Fan speed on PWM, 0..1. */
export class Fan {
  private readonly out: DutyOutput;

  constructor(pwm: PwmOutput) {
    this.out = new DutyOutput(pwm, "fan");
  }

  set(duty: number): number {
    return this.out.write(Number.isFinite(duty) ? Math.min(Math.max(duty, 0), 1) : 0);
  }

  get duty(): number {
    return this.out.duty;
  }

  get lastError(): string | null {
    return this.out.lastError;
  }
}

export interface TachometerOptions {
  /** Tachometer pulses per revolution (2 for most PC-style fans). */
  readonly pulsesPerRevolution?: number;
}

/** Fan tachometer: RPM from the pulse count between two ticks. 0 rpm is a valid reading
 *  (a stopped fan); the core decides whether that is a failure. */
export class FanTachometer {
  private readonly channel = new ChannelReading("no count interval yet");
  private readonly pulsesPerRevolution: number;
  /** The previous count and when it was read (hasLast false: none yet, or the counter failed). */
  private hasLast = false;
  private lastCount = 0;
  private lastAtMs = 0;

  constructor(private readonly counter: PulseCounter, options: TachometerOptions = {}) {
    this.pulsesPerRevolution = options.pulsesPerRevolution ?? 2;
  }

  get reading(): Reading {
    return this.channel.reading;
  }

  sample(nowMs: number): Reading {
    this.channel.stampStart(nowMs);
    let count: number;
    try {
      count = this.counter.read();
    } catch (error) {
      this.hasLast = false;
      return this.channel.fail("bus", `tachometer counter read failed: ${describeError(error)}`, nowMs);
    }
    const hadLast = this.hasLast;
    const lastCount = this.lastCount;
    const lastAtMs = this.lastAtMs;
    if (hadLast && nowMs <= lastAtMs) return this.channel.reading;
    this.hasLast = true;
    this.lastCount = count;
    this.lastAtMs = nowMs;
    if (!hadLast) return this.channel.reading;
    const pulses = count - lastCount;
    if (pulses < 0 || !Number.isFinite(pulses)) {
      return this.channel.fail("stale", `tachometer counter went from ${lastCount} to ${count} (restarted)`, nowMs);
    }
    const rpm = (pulses / this.pulsesPerRevolution) * (60000 / (nowMs - lastAtMs));
    return this.channel.good(rpm, lastAtMs);
  }
}
