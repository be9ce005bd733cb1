import type { DigitalOutput } from "./bus";
import { describeError } from "./reading";

/**
 * The buzzer (active, on/off) and the alarm LED, on digital outputs. The alarm
 * annunciator (src/alarms/annunciator.ts) walks the IEC 60601-1-8 patterns and sets
 * each output as the pattern steps; a failed write is kept in `lastError`, never thrown.
 */
export class AlarmSignal {
  private buzzerOn = false;
  private ledOn = false;
  private error: string | null = null;

  constructor(
    private readonly buzzerOut: DigitalOutput,
    private readonly ledOut: DigitalOutput,
  ) {}

  /** Sets both outputs; a failed write is kept in `lastError` and the other output is still written. */
  set(buzzer: boolean, led: boolean): void {
    this.error = null;
    try {
      this.buzzerOut.write(buzzer ? 1 : 0);
      this.buzzerOn = buzzer;
    } catch (e) {
      this.error = `buzzer output write failed: ${describeError(e)}`;
    }
    try {
      this.ledOut.write(led ? 1 : 0);
      this.ledOn = led;
    } catch (e) {
      this.error = `alarm LED output write failed: ${describeError(e)}`;
    }
  }

  get state(): { readonly buzzer: boolean; readonly led: boolean } {
    return { buzzer: this.buzzerOn, led: this.ledOn };
  }

  get lastError(): string | null {
    return this.error;
  }
}
