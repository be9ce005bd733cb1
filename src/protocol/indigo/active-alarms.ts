// What the Indigo devices show of the snapshot's alarms, read without allocating: the
// active ones' count, whether one sounds, and their codes as one text, rebuilt only when
// the list of active codes changes.
import type { AlarmInfo, Snapshot } from "../../core/api";

export function activeAlarmCount(alarms: readonly AlarmInfo[]): number {
  let n = 0;
  for (let i = 0; i < alarms.length; i++) if (alarms[i].active) n++;
  return n;
}

/** The buzzer sounds while an active alarm is not acknowledged (acknowledging pauses audio). */
export function buzzerOn(s: Snapshot): boolean {
  const alarms = s.alarms;
  for (let i = 0; i < alarms.length; i++) if (alarms[i].active && !alarms[i].acknowledged) return true;
  return false;
}

/** The codes of the active alarms, oldest first, as last refreshed. */
export class ActiveAlarmCodes {
  count = 0;
  /** "TEMP_HIGH, FAN_FAILURE" ("" when none). */
  joined = "";
  private readonly codes: string[] = [];
  private fault: string | null = null;

  /** Takes the active codes of `alarms`; true when they differ from the previous ones. */
  refresh(alarms: readonly AlarmInfo[]): boolean {
    let n = 0;
    let same = true;
    for (let i = 0; i < alarms.length; i++) {
      const a = alarms[i];
      if (!a.active) continue;
      if (n >= this.count || this.codes[n] !== a.code) {
        same = false;
        this.codes[n] = a.code;
      }
      n++;
    }
    if (same && n === this.count) return false;
    this.count = n;
    let joined = "";
    for (let i = 0; i < n; i++) joined += i === 0 ? this.codes[i] : ", " + this.codes[i];
    this.joined = joined;
    this.fault = null;
    return true;
  }

  /** "FAULT: " and the codes, made once per change of the codes. */
  faultText(): string {
    return (this.fault ??= "FAULT: " + this.joined);
  }
}
