// IEC 60601-1-8 alarm signal patterns as a pure function of time.
//
// Audio (pulse 150 ms high / 200 ms medium, within the standard's 75–200 / 125–250 ms):
//   high:   a burst of 10 pulses "xxx xx  xxx xx", repeated every 8 s (2.5–15 s allowed);
//   medium: a burst of 3 pulses "xxx", repeated every 8 s (2.5–30 s allowed);
//   low:    no auditory signal (the standard permits a low-priority alarm without one;
//           low here is only HUMIDITY_HIGH/LOW, which the steady light already shows).
// Visual (one alarm LED): high flashes at 2 Hz (50 % duty, 1.4–2.8 Hz allowed), medium
// at 0.5 Hz (50 %, 0.4–0.8 Hz allowed), low is steady on.
import type { AlarmPriority } from "../core/api";

export interface AudioPattern {
  /** Offsets of pulse starts within one burst, ms. */
  readonly pulseStartsMs: readonly number[];
  readonly pulseMs: number;
  /** From the start of one burst to the start of the next, ms. */
  readonly repeatMs: number;
}

export const AUDIO_PATTERNS: Readonly<Record<AlarmPriority, AudioPattern | null>> = Object.freeze({
  high: Object.freeze({ pulseStartsMs: Object.freeze([0, 250, 500, 1000, 1250, 2100, 2350, 2600, 3100, 3350]), pulseMs: 150, repeatMs: 8_000 }),
  medium: Object.freeze({ pulseStartsMs: Object.freeze([0, 400, 800]), pulseMs: 200, repeatMs: 8_000 }),
  low: null,
});

export const VISUAL_PATTERNS: Readonly<Record<AlarmPriority, { readonly periodMs: number; readonly onMs: number }>> = Object.freeze({
  high: Object.freeze({ periodMs: 500, onMs: 250 }),
  medium: Object.freeze({ periodMs: 2_000, onMs: 1_000 }),
  low: Object.freeze({ periodMs: 1, onMs: 1 }),
});

/** Buzzer on at `tMs` after the signal of this priority started. */
export function buzzerOn(priority: AlarmPriority | null, tMs: number): boolean {
  if (priority === null || tMs < 0) return false;
  const p = AUDIO_PATTERNS[priority];
  if (p === null) return false;
  const t = tMs % p.repeatMs;
  for (const start of p.pulseStartsMs) if (t >= start && t < start + p.pulseMs) return true;
  return false;
}

/** Alarm LED on at `tMs` after the signal of this priority started. */
export function ledOn(priority: AlarmPriority | null, tMs: number): boolean {
  if (priority === null || tMs < 0) return false;
  const v = VISUAL_PATTERNS[priority];
  return tMs % v.periodMs < v.onMs;
}
