// Fan failure from the tachometer: while the fan is driven it must prove that it turns.
import type { Reading } from "../core/types";

export const FAN_LIMITS = Object.freeze({
  /** Below this duty the fan counts as not driven and is not judged. */
  drivenDuty: 0.1,
  /** Time a fan gets to spin up after it starts being driven, ms. */
  spinUpMs: 4_000,
  /** Minimum tachometer speed of a driven fan, rpm. */
  minRpm: 300,
});

export interface FanVerdict {
  /** true: driven but not turning (or no tachometer reading); false: turning; null: not judged. */
  readonly failing: boolean | null;
  readonly rpm: number | null;
}

export class FanMonitor {
  private drivenSinceMs: number | null = null;
  /** The verdict answered: one object, rewritten by each update (read it at once). */
  private readonly verdict: { failing: boolean | null; rpm: number | null } = { failing: null, rpm: null };

  update(nowMs: number, fanDuty: number, tach: Reading): FanVerdict {
    const rpm = tach.value !== null && Number.isFinite(tach.value) ? tach.value : null;
    if (!(fanDuty >= FAN_LIMITS.drivenDuty)) {
      this.drivenSinceMs = null;
      return this.answer(null, rpm);
    }
    if (this.drivenSinceMs === null) this.drivenSinceMs = nowMs;
    if (nowMs - this.drivenSinceMs < FAN_LIMITS.spinUpMs) {
      // Spinning up: a turning fan already proves itself, a still one is not judged yet.
      return this.answer(rpm !== null && rpm >= FAN_LIMITS.minRpm ? false : null, rpm);
    }
    return this.answer(rpm === null || rpm < FAN_LIMITS.minRpm, rpm);
  }

  private answer(failing: boolean | null, rpm: number | null): FanVerdict {
    this.verdict.failing = failing;
    this.verdict.rpm = rpm;
    return this.verdict;
  }
}
