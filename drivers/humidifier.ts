import type { DigitalOutput } from "./bus";
import { describeError } from "./reading";

/** Ultrasonic humidifier on a digital output; the core time-proportions it. */
export class Humidifier {
  private state = false;
  private error: string | null = null;

  constructor(private readonly out: DigitalOutput) {}

  set(on: boolean): boolean {
    try {
      this.out.write(on ? 1 : 0);
      this.state = on;
      this.error = null;
    } catch (e) {
      this.error = `humidifier output write failed: ${describeError(e)}`;
    }
    return this.state;
  }

  get on(): boolean {
    return this.state;
  }

  get lastError(): string | null {
    return this.error;
  }
}
