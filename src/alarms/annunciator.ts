// Drives the buzzer and the alarm LED with the IEC 60601-1-8 patterns of the highest
// priority sounding / showing. Each pattern starts from its beginning when the priority
// changes, so a new high-priority alarm begins with a full burst.
import type { AlarmPriority } from "../core/api";
import { everyMs, type TimerHandle, type Timers } from "../core/types";
import { buzzerOn, ledOn } from "./signal-pattern";

/** The buzzer and alarm LED outputs: drivers/buzzer.ts `AlarmSignal` has this shape. */
export interface AlarmSignalOutput {
  set(buzzer: boolean, led: boolean): void;
}

export interface AlarmSignalSource {
  signal(nowMs: number): { readonly visual: AlarmPriority | null; readonly audio: AlarmPriority | null };
}

/** Pattern resolution: 50 ms steps resolve the 150 ms pulses and 100 ms gaps. */
export const ANNUNCIATOR_STEP_MS = 50;

export class AlarmAnnunciator {
  private audio: AlarmPriority | null = null;
  private visual: AlarmPriority | null = null;
  private audioSinceMs = 0;
  private visualSinceMs = 0;
  private buzzer = false;
  private led = false;
  private timer: TimerHandle | null = null;

  constructor(private readonly output: AlarmSignalOutput) {
    output.set(false, false);
  }

  /** One step: which pattern, and where in it. Writes the outputs only when they change. */
  update(nowMs: number, want: { readonly visual: AlarmPriority | null; readonly audio: AlarmPriority | null }): void {
    if (want.audio !== this.audio) { this.audio = want.audio; this.audioSinceMs = nowMs; }
    if (want.visual !== this.visual) { this.visual = want.visual; this.visualSinceMs = nowMs; }
    const b = buzzerOn(this.audio, nowMs - this.audioSinceMs);
    const l = ledOn(this.visual, nowMs - this.visualSinceMs);
    if (b !== this.buzzer || l !== this.led) {
      this.buzzer = b;
      this.led = l;
      this.output.set(b, l);
    }
  }

  /** Runs itself every ANNUNCIATOR_STEP_MS on the given timers (a repeating timer: 20 steps
   *  a second must not each make a timer). */
  start(timers: Timers, now: () => number, source: AlarmSignalSource): void {
    this.stop();
    const step = () => {
      const t = now();
      this.update(t, source.signal(t));
    };
    step();
    this.timer = everyMs(timers, ANNUNCIATOR_STEP_MS, step);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  get state(): { readonly buzzer: boolean; readonly led: boolean } {
    return { buzzer: this.buzzer, led: this.led };
  }
}
