// The alarm occurrences open now and their lifecycle: raised → acknowledged → cleared,
// latching, audio pause, and the FAULT latch an equipment fault sets. Every change is
// recorded in the history and handed out as an event.
import type { AlarmCode, AlarmInfo } from "../core/api";
import { FINDING } from "./alarm-findings";
import type { AlarmHistory } from "./alarm-history";
import type { AlarmEvent, FaultLatch } from "./alarm-types";
import { ALARM_TABLE, LIMITS } from "./catalog";
import { alarmMessage } from "./messages";

export interface Occurrence {
  readonly id: number;
  readonly key: string;
  readonly code: AlarmCode;
  readonly subject: string;
  readonly value: number | null;
  readonly limit: number | null;
  readonly raisedAtMs: number;
  readonly forcesFault: boolean;
  acknowledgedAtMs: number | null;
  /** Monotonic ms until which the audio is paused. */
  audioPausedUntilMs: number;
  /** For latching alarms: the condition has gone since the alarm was raised. */
  conditionGone: boolean;
  info: AlarmInfo;
  /** The finding table's row it was raised on (NO_FINDING: an event alarm, POWER_FAILURE or SETTINGS_LOST). */
  readonly finding: number;
}

/** Alarms that are events rather than conditions: raised once, active until acknowledged. */
export const UNTIL_ACKNOWLEDGED: readonly AlarmCode[] = Object.freeze(["POWER_FAILURE", "SETTINGS_LOST"] as AlarmCode[]);
export const NO_FINDING = -1;

export class AlarmOccurrences {
  private readonly byKey = new Map<string, Occurrence>();
  /** The occurrences open now, by key; they change through raise, acknowledge and close only. */
  readonly open: ReadonlyMap<string, Occurrence> = this.byKey;
  private nextId: number;
  private latched: FaultLatch | null = null;
  /** The active list answered until an occurrence changes (null: to be rebuilt). */
  private active: readonly AlarmInfo[] | null = null;

  /** Reopens what the history says was still active at the restart, or closes it at `bootEpochMs`. */
  constructor(private readonly history: AlarmHistory, bootEpochMs: number | undefined) {
    this.nextId = history.highestId + 1;
    for (const { info, subject } of history.raw()) {
      if (!info.active) continue;
      if (info.code === "SETTINGS_LOST" && info.acknowledgedAtMs === null) {
        // Shown until acknowledged: a reboot before anyone saw it does not make it go away.
        const occ: Occurrence = {
          id: info.id, key: info.code, code: info.code, subject, value: info.value, limit: info.limit,
          raisedAtMs: info.raisedAtMs, forcesFault: false, acknowledgedAtMs: null,
          audioPausedUntilMs: -Infinity, conditionGone: true, info, finding: NO_FINDING,
        };
        this.byKey.set(occ.key, occ);
      } else if (info.latching && info.code === "OVERTEMP") {
        // A power cycle must not reset a latched cut-out: it stays latched, FAULT included.
        const occ: Occurrence = {
          id: info.id, key: info.code, code: info.code, subject, value: info.value, limit: info.limit,
          raisedAtMs: info.raisedAtMs, forcesFault: true, acknowledgedAtMs: info.acknowledgedAtMs,
          audioPausedUntilMs: -Infinity, conditionGone: false, info, finding: FINDING.overtemp,
        };
        this.byKey.set(occ.key, occ);
        this.latched ??= Object.freeze({ code: info.code, reason: `${info.message} (latched before restart)`, sinceEpochMs: info.raisedAtMs });
      } else {
        // Its condition is judged afresh after the restart (a new occurrence if still there).
        history.record(Object.freeze({ ...info, active: false, clearedAtMs: bootEpochMs ?? info.raisedAtMs }), subject);
      }
    }
  }

  get latch(): FaultLatch | null {
    return this.latched;
  }

  /** The operator's reset has settled the fault. */
  unlatch(): void {
    this.latched = null;
  }

  raise(
    key: string, code: AlarmCode, subject: string, value: number | null, limit: number | null, forcesFault: boolean,
    finding: number, epochMs: number, events: AlarmEvent[],
  ): void {
    const occ: Occurrence = {
      id: this.nextId++, key, code, subject, value, limit,
      raisedAtMs: epochMs, forcesFault, acknowledgedAtMs: null, audioPausedUntilMs: -Infinity,
      conditionGone: false, info: undefined as unknown as AlarmInfo, finding,
    };
    occ.info = this.infoOf(occ, true, null);
    this.byKey.set(key, occ);
    this.active = null;
    if (forcesFault && this.latched === null) {
      this.latched = Object.freeze({ code, reason: occ.info.message, sinceEpochMs: epochMs });
    }
    this.emit(occ, "raised", epochMs, events);
  }

  acknowledge(occ: Occurrence, nowMs: number, epochMs: number, events: AlarmEvent[]): void {
    if (occ.acknowledgedAtMs === null) {
      occ.acknowledgedAtMs = epochMs;
      occ.audioPausedUntilMs = nowMs + LIMITS.audioPauseMs;
      occ.info = this.infoOf(occ, true, null);
      this.active = null;
      this.emit(occ, "acknowledged", epochMs, events);
      // Acknowledged before its cause went: a latching alarm waits for a second acknowledgement.
      if (occ.info.latching && !occ.conditionGone) return;
    } else if (occ.info.latching && !occ.conditionGone) {
      return;
    }
    if (occ.info.latching || UNTIL_ACKNOWLEDGED.includes(occ.code)) this.close(occ, epochMs, events);
  }

  close(occ: Occurrence, epochMs: number, events: AlarmEvent[]): void {
    this.byKey.delete(occ.key);
    this.active = null;
    occ.info = this.infoOf(occ, false, epochMs);
    this.emit(occ, "cleared", epochMs, events);
  }

  /** Active alarms, and latched ones not yet reset, oldest first. */
  activeAlarms(): readonly AlarmInfo[] {
    // The same (frozen) list is answered until an occurrence is raised, acknowledged or closed.
    this.active ??= Object.freeze([...this.byKey.values()].sort((a, b) => a.id - b.id).map((o) => o.info));
    return this.active;
  }

  /** The highest priority among alarms that are showing (visual) and sounding (audio).
   *  Called every 50 ms by the annunciator: the answer is one object, rewritten each call
   *  (read it at once), and the scan goes through Map.forEach (no iterator objects). */
  signal(nowMs: number): { readonly visual: AlarmInfo["priority"] | null; readonly audio: AlarmInfo["priority"] | null } {
    const out = this.signalOut;
    out.visual = null;
    out.audio = null;
    this.signalNowMs = nowMs;
    this.byKey.forEach(this.signalScan);
    return out;
  }

  private signalNowMs = 0;
  private readonly signalOut: { visual: AlarmInfo["priority"] | null; audio: AlarmInfo["priority"] | null } = { visual: null, audio: null };
  private readonly signalScan = (occ: Occurrence): void => {
    const out = this.signalOut;
    const p = occ.info.priority;
    if (rank(p) > rank(out.visual)) out.visual = p;
    if (this.signalNowMs >= occ.audioPausedUntilMs && rank(p) > rank(out.audio)) out.audio = p;
  };

  private infoOf(occ: Occurrence, active: boolean, clearedAtMs: number | null): AlarmInfo {
    const d = ALARM_TABLE[occ.code];
    return Object.freeze({
      id: occ.id, code: occ.code, level: d.level, priority: d.priority,
      message: alarmMessage(occ.code, occ.subject, occ.value, occ.limit),
      active, acknowledged: occ.acknowledgedAtMs !== null, latching: d.latching,
      value: occ.value, limit: occ.limit, raisedAtMs: occ.raisedAtMs,
      acknowledgedAtMs: occ.acknowledgedAtMs, clearedAtMs,
    });
  }

  private emit(occ: Occurrence, change: AlarmEvent["change"], epochMs: number, events: AlarmEvent[]): void {
    this.history.record(occ.info, occ.subject);
    events.push(Object.freeze({ type: "alarm", alarm: occ.info, change, epochMs }));
  }
}

function rank(p: AlarmInfo["priority"] | null): number {
  return p === "high" ? 3 : p === "medium" ? 2 : p === "low" ? 1 : 0;
}
