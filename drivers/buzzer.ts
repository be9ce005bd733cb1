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

  setBuzzer(on: boolean): void {
    try {
      this.buzzerOut.write(on ? 1 : 0);
      this.buzzerOn = on;
      this.error = null;
    } catch (e) {
      this.error = `buzzer output write failed: ${describeError(e)}`;
    }
  }

  setLed(on: boolean): void {
    try {
      this.ledOut.write(on ? 1 : 0);
      this.ledOn = on;
      this.error = null;
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
