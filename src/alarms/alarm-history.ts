// The last 50 alarm occurrences with value, limit and raised / acknowledged / cleared times,
// and a compact text encoding of them for the settings store (about 45 characters an entry,
// under 2.5 kB for all 50), so the history survives a reboot.
import type { AlarmCode, AlarmInfo } from "../core/api";
import { ALARM_CODES, ALARM_TABLE } from "./catalog";
import { alarmMessage } from "./messages";

export const HISTORY_LENGTH = 50;
const FORMAT = "AH1";

export interface HistoryEntry {
  readonly info: AlarmInfo;
  /** What exactly (see alarmMessage); the message is rebuilt from it on decode. */
  readonly subject: string;
}

export class AlarmHistory {
  private list: HistoryEntry[] = [];
  private changes = 0;

  constructor(entries: readonly HistoryEntry[] = []) {
    this.list = entries.slice(-HISTORY_LENGTH);
  }

  /** Adds an occurrence, or updates it in place when its id is already kept. */
  record(info: AlarmInfo, subject: string): void {
    const i = this.list.findIndex((e) => e.info.id === info.id);
    if (i >= 0) this.list[i] = { info, subject };
    else {
      this.list.push({ info, subject });
      if (this.list.length > HISTORY_LENGTH) this.list.splice(0, this.list.length - HISTORY_LENGTH);
    }
    this.changes++;
  }

  /** Oldest first. */
  entries(): readonly AlarmInfo[] {
    return this.list.map((e) => e.info);
  }

  raw(): readonly HistoryEntry[] {
    return this.list.slice();
  }

  /** Grows on every change: persist when it differs from what was last saved. */
  get version(): number {
    return this.changes;
  }

  get highestId(): number {
    let max = 0;
    for (const e of this.list) max = Math.max(max, e.info.id);
    return max;
  }

  encode(): string {
    return encodeAlarmHistory(this.list);
  }
}

const b36 = (v: number): string => v.toString(36);
const hundredths = (v: number | null): string => (v === null ? "" : b36(Math.round(v * 100)));

export function encodeAlarmHistory(entries: readonly HistoryEntry[]): string {
  const parts = [FORMAT];
  for (const { info, subject } of entries.slice(-HISTORY_LENGTH)) {
    const flags = (info.active ? 1 : 0) | (info.acknowledged ? 2 : 0) | (info.latching ? 4 : 0);
    parts.push([
      b36(info.id),
      b36(ALARM_CODES.indexOf(info.code)),
      subject,
      String(flags),
      hundredths(info.value),
      hundredths(info.limit),
      b36(info.raisedAtMs),
      info.acknowledgedAtMs === null ? "" : b36(info.acknowledgedAtMs - info.raisedAtMs),
      info.clearedAtMs === null ? "" : b36(info.clearedAtMs - info.raisedAtMs),
    ].join(","));
  }
  return parts.join(";");
}

export type DecodeResult = { readonly ok: true; readonly entries: HistoryEntry[] } | { readonly ok: false; readonly error: string };

const INT36 = /^-?[0-9a-z]+$/;
const SUBJECT = /^[A-Za-z_:]*$/;

export function decodeAlarmHistory(text: string): DecodeResult {
  const parts = text.split(";");
  if (parts[0] !== FORMAT) return { ok: false, error: `alarm history: unknown format "${parts[0].slice(0, 8)}" (expected ${FORMAT})` };
  const entries: HistoryEntry[] = [];
  for (let i = 1; i < parts.length; i++) {
    const f = parts[i].split(",");
    const where = `alarm history entry ${i}`;
    if (f.length !== 9) return { ok: false, error: `${where}: ${f.length} fields, expected 9` };
    const [idS, codeS, subject, flagsS, valueS, limitS, raisedS, ackS, clearS] = f;
    const int = (s: string, name: string, optional: boolean): number | null | string => {
      if (s === "") return optional ? null : `${where}: ${name} missing`;
      if (!INT36.test(s)) return `${where}: ${name} "${s}" is not a base-36 integer`;
      return parseInt(s, 36);
    };
    const id = int(idS, "id", false);
    const codeIndex = int(codeS, "code", false);
    const value = int(valueS, "value", true);
    const limit = int(limitS, "limit", true);
    const raised = int(raisedS, "raised time", false);
    const ack = int(ackS, "acknowledged time", true);
    const cleared = int(clearS, "cleared time", true);
    for (const x of [id, codeIndex, value, limit, raised, ack, cleared]) if (typeof x === "string") return { ok: false, error: x };
    if (typeof id !== "number" || id <= 0) return { ok: false, error: `${where}: id must be positive` };
    const code = ALARM_CODES[codeIndex as number] as AlarmCode | undefined;
    if (code === undefined) return { ok: false, error: `${where}: unknown alarm code index ${codeIndex}` };
    if (!SUBJECT.test(subject)) return { ok: false, error: `${where}: subject "${subject}" has characters outside A-Z, a-z, _ and :` };
    if (!/^[0-7]$/.test(flagsS)) return { ok: false, error: `${where}: flags "${flagsS}" must be a digit 0-7` };
    const flags = Number(flagsS);
    const raisedAtMs = raised as number;
    const v = value === null ? null : (value as number) / 100;
    const l = limit === null ? null : (limit as number) / 100;
    const info: AlarmInfo = Object.freeze({
      id,
      code,
      level: ALARM_TABLE[code].level,
      priority: ALARM_TABLE[code].priority,
      message: alarmMessage(code, subject, v, l),
      active: (flags & 1) !== 0,
      acknowledged: (flags & 2) !== 0,
      latching: (flags & 4) !== 0,
      value: v,
      limit: l,
      raisedAtMs,
      acknowledgedAtMs: ack === null ? null : raisedAtMs + (ack as number),
      clearedAtMs: cleared === null ? null : raisedAtMs + (cleared as number),
    });
    entries.push({ info, subject });
  }
  return { ok: true, entries: entries.slice(-HISTORY_LENGTH) };
}
