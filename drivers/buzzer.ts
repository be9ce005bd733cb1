import type { TimerHandle, Timers } from "../src/core/types";
import type { DigitalOutput } from "./bus";
import { describeError } from "./reading";

/** What the alarm signal outputs show during one step. */
export interface SignalStep {
  readonly buzzer: boolean;
  readonly led: boolean;
  /** How long this step lasts (only for `play`). */
  readonly ms: number;
}

/**
 * The buzzer (active, on/off) and the alarm LED, on digital outputs. The alarm logic
 * drives IEC 60601-1-8 patterns through `set` (once per tick or per pattern step from
 * its own timers) or hands a whole step list to `play`, which walks it on `Timers`.
 */
export class AlarmSignal {
  private buzzerOn = false;
  private ledOn = false;
  private error: string | null = null;
  private playing: TimerHandle | null = null;

  constructor(
    private readonly buzzerOut: DigitalOutput,
    private readonly ledOut: DigitalOutput,
  ) {}

  /** Sets both outputs now (and stops any pattern `play` started). */
  set(buzzer: boolean, led: boolean): void {
    this.stop();
    this.write(buzzer, led);
  }

  /** Plays `steps` once (or `repeat` times), starting now; the outputs end off. */
  play(steps: readonly SignalStep[], timers: Timers, repeat = 1): void {
    this.stop();
    let index = 0;
    let round = 0;
    const next = (): void => {
      if (index >= steps.length) {
        index = 0;
        round++;
      }
      if (round >= repeat || steps.length === 0) {
        this.playing = null;
        this.write(false, false);
        return;
      }
      const step = steps[index++];
      this.write(step.buzzer, step.led);
      this.playing = timers.after(Math.max(0, step.ms), next);
    };
    next();
  }

  stop(): void {
    if (this.playing) {
      this.playing.cancel();
      this.playing = null;
    }
  }

  get state(): { readonly buzzer: boolean; readonly led: boolean } {
    return { buzzer: this.buzzerOn, led: this.ledOn };
  }

  get lastError(): string | null {
    return this.error;
  }

  private write(buzzer: boolean, led: boolean): void {
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
}
