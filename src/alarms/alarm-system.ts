// The alarm system, evaluated once per control tick. It judges every condition of the
// PRODUCT.md alarm table, runs each occurrence's lifecycle (raised → acknowledged → cleared,
// latching, audio pause) and tells the core what to do: inhibit the heater, go to FAULT,
// fall back from skin to air control. It owns no timers and touches no hardware.
import type { AlarmCode, AlarmInfo, IncubatorEvent, Setpoints } from "../core/api";
import type { StorageFault } from "../core/storage-health";
import type { ControlMode, IncubatorState, SensorFrame } from "../core/types";
import { AlarmConditions } from "./alarm-conditions";
import { FINDING, FIXED_FINDINGS } from "./alarm-findings";
import { AlarmHistory, type HistoryEntry } from "./alarm-history";
import { ALARM_TABLE, LIMITS } from "./catalog";
import { alarmMessage } from "./messages";

export type AlarmEvent = Extract<IncubatorEvent, { type: "alarm" }>;

export interface AlarmInputs {
  /** Monotonic ms. */
  readonly nowMs: number;
  /** Wall-clock epoch ms, for the alarm times. */
  readonly epochMs: number;
  readonly state: IncubatorState;
  /** The selected mode (the effective one is decided here: see AlarmOutputs.effectiveMode). */
  readonly mode: ControlMode;
  readonly setpoints: Setpoints;
  readonly frame: SensorFrame;
  /** Duties actually applied during the tick that just ended, 0..1. */
  readonly heaterDuty: number;
  readonly fanDuty: number;
  /** The controlled temperature has reached steady state (OPERATING) since therapy started
   *  or the setpoint was last raised: cold-side deviation alarms are armed. */
  readonly steadyReached: boolean;
  /** PREHEATING since therapy started (from cold), not re-entered by a raised target or a
   *  mode change; the heater's "no rise" is judged only then. Default: state is PREHEATING. */
  readonly warmUpFromStart?: boolean;
  /** Stores failing now (StorageHealth): one STORAGE_FAULT each while they fail. */
  readonly storageFaults?: readonly StorageFault[];
}

/** Alarms that are events rather than conditions: raised once, active until acknowledged. */
const UNTIL_ACKNOWLEDGED: readonly AlarmCode[] = Object.freeze(["POWER_FAILURE", "SETTINGS_LOST"] as AlarmCode[]);

export interface FaultLatch {
  readonly code: AlarmCode;
  readonly reason: string;
  readonly sinceEpochMs: number;
}

export interface AlarmOutputs {
  /** The heater must be off this tick. */
  readonly heaterInhibit: boolean;
  /** Why, one line per cause (empty when not inhibited). */
  readonly inhibitReasons: readonly string[];
  /** An equipment fault or the cut-out has latched: the core must be (or go) in FAULT. */
  readonly fault: FaultLatch | null;
  /** Skin mode has lost its probe and controls the air at `controlSetpointC` instead. */
  readonly skinFallback: boolean;
  readonly effectiveMode: ControlMode;
  /** The temperature the controller should servo to in `effectiveMode`. */
  readonly controlSetpointC: number;
  readonly cutoutLimitC: number;
  /** The independent probe reads at or above the cut-out limit right now. */
  readonly cutoutTripped: boolean;
  /** Active alarms (and latched ones not yet reset), oldest first. */
  readonly alarms: readonly AlarmInfo[];
  /** Alarm events of this tick, in order. */
  readonly events: readonly AlarmEvent[];
}

export interface CommandOutcome {
  readonly ok: boolean;
  readonly message: string;
  readonly events: readonly AlarmEvent[];
}

interface Occurrence {
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

/** Heater inhibit reasons of the occurrences that turn the heater off, by code. */
const ACTIVE_REASON: Readonly<Record<AlarmCode, string>> = Object.freeze(
  Object.fromEntries(Object.keys(ALARM_TABLE).map((code) => [code, `${code} active`])) as Record<AlarmCode, string>,
);
const LATCHED_REASON: Readonly<Record<AlarmCode, string>> = Object.freeze(
  Object.fromEntries(Object.keys(ALARM_TABLE).map((code) => [code, `FAULT latched (${code}) until reset`])) as Record<AlarmCode, string>,
);
const NO_EVENTS: readonly AlarmEvent[] = Object.freeze([]);
const NO_FINDING = -1;
const NO_REASONS: readonly string[] = Object.freeze([]);

export interface AlarmSystemOptions {
  /** Occurrences restored from the settings store (AlarmHistory decode). */
  readonly history?: readonly HistoryEntry[];
  /** Wall-clock time of this boot: restored occurrences still active are closed at it. */
  readonly bootEpochMs?: number;
}

export class AlarmSystem {
  readonly history: AlarmHistory;
  private nextId: number;
  private readonly open = new Map<string, Occurrence>();
  private readonly conditions = new AlarmConditions();
  private latch: FaultLatch | null = null;
  /** The active list answered until an occurrence changes (null: to be rebuilt). */
  private active: readonly AlarmInfo[] | null = null;
  /** The events of the evaluation under way (copied out when there are any). */
  private readonly tickEvents: AlarmEvent[] = [];
  private reconcileEpochMs = 0;

  constructor(options: AlarmSystemOptions = {}) {
    this.history = new AlarmHistory(options.history ?? []);
    this.nextId = this.history.highestId + 1;
    for (const { info, subject } of this.history.raw()) {
      if (!info.active) continue;
      if (info.code === "SETTINGS_LOST" && info.acknowledgedAtMs === null) {
        // Shown until acknowledged: a reboot before anyone saw it does not make it go away.
        const occ: Occurrence = {
          id: info.id, key: info.code, code: info.code, subject, value: info.value, limit: info.limit,
          raisedAtMs: info.raisedAtMs, forcesFault: false, acknowledgedAtMs: null,
          audioPausedUntilMs: -Infinity, conditionGone: true, info, finding: NO_FINDING,
        };
        this.open.set(occ.key, occ);
      } else if (info.latching && info.code === "OVERTEMP") {
        // A power cycle must not reset a latched cut-out: it stays latched, FAULT included.
        const occ: Occurrence = {
          id: info.id, key: info.code, code: info.code, subject, value: info.value, limit: info.limit,
          raisedAtMs: info.raisedAtMs, forcesFault: true, acknowledgedAtMs: info.acknowledgedAtMs,
          audioPausedUntilMs: -Infinity, conditionGone: false, info, finding: FINDING.overtemp,
        };
        this.open.set(occ.key, occ);
        this.latch ??= Object.freeze({ code: info.code, reason: `${info.message} (latched before restart)`, sinceEpochMs: info.raisedAtMs });
      } else {
        // Its condition is judged afresh after the restart (a new occurrence if still there).
        this.history.record(Object.freeze({ ...info, active: false, clearedAtMs: options.bootEpochMs ?? info.raisedAtMs }), subject);
      }
    }
  }

  /** One evaluation per control tick. */
  evaluate(input: AlarmInputs): AlarmOutputs {
    const c = this.conditions;
    c.judge(input);
    const events = this.tickEvents;
    this.reconcile(input.epochMs, events);

    // --- what the heater may do -------------------------------------------------------
    const cut = c.cut;
    const limitC = c.cutoutLimitC;
    let reasons: string[] | null = null;
    if (cut.tripped) (reasons ??= []).push(`cut-out: air probe ${cut.valueC?.toFixed(2)} °C ≥ ${limitC.toFixed(1)} °C`);
    if (!c.airUsable) (reasons ??= []).push("air control channel has no valid reading");
    if (cut.blind) (reasons ??= []).push("cut-out channel (air probe) has no valid reading");
    this.inhibitReasons = reasons;
    this.open.forEach(this.collectInhibit);
    reasons = this.inhibitReasons;
    this.inhibitReasons = null;
    if (this.latch) (reasons ??= []).push(LATCHED_REASON[this.latch.code]);

    return {
      heaterInhibit: reasons !== null,
      inhibitReasons: reasons ?? NO_REASONS,
      fault: this.latch,
      skinFallback: c.skinFallback,
      effectiveMode: c.effectiveMode,
      controlSetpointC: c.controlSetpointC,
      cutoutLimitC: limitC,
      cutoutTripped: cut.tripped,
      alarms: this.activeAlarms(),
      events: events.length === 0 ? NO_EVENTS : events.splice(0, events.length),
    };
  }

  private inhibitReasons: string[] | null = null;
  private readonly collectInhibit = (occ: Occurrence): void => {
    const h = ALARM_TABLE[occ.code].heater;
    if (h === "off_while_active" || h === "off_until_reset") {
      // A skin probe fault does not stop the heater: control falls back to the air.
      if (occ.key === "SENSOR_FAULT:skin" || occ.key === "SENSOR_FAULT:humidity") return;
      (this.inhibitReasons ??= []).push(ACTIVE_REASON[occ.code]);
    }
  };

  /** A reboot found therapy active: raise POWER_FAILURE (active until acknowledged). */
  reportPowerFailure(_nowMs: number, epochMs: number): readonly AlarmEvent[] {
    const events: AlarmEvent[] = [];
    if (!this.open.has("POWER_FAILURE")) this.raise("POWER_FAILURE", "POWER_FAILURE", "", null, null, false, NO_FINDING, epochMs, events);
    return events;
  }

  /** Boot found the stored therapy settings unreadable ("corrupt") or gone ("missing"):
   *  raise SETTINGS_LOST (active until acknowledged, across reboots). */
  reportSettingsLost(epochMs: number, why: "corrupt" | "missing"): readonly AlarmEvent[] {
    const events: AlarmEvent[] = [];
    if (!this.open.has("SETTINGS_LOST")) this.raise("SETTINGS_LOST", "SETTINGS_LOST", why, null, null, false, NO_FINDING, epochMs, events);
    return events;
  }

  acknowledge(id: number, nowMs: number, epochMs: number): CommandOutcome {
    for (const occ of this.open.values()) {
      if (occ.id !== id) continue;
      const events: AlarmEvent[] = [];
      const already = occ.acknowledgedAtMs !== null;
      this.ack(occ, nowMs, epochMs, events);
      if (already && events.length === 0) return { ok: true, message: `alarm ${id} (${occ.code}) was already acknowledged`, events };
      return { ok: true, message: `alarm ${id} (${occ.code}) acknowledged`, events };
    }
    const past = this.history.entries().find((a) => a.id === id);
    return { ok: false, message: past ? `alarm ${id} (${past.code}) is no longer active` : `no alarm with id ${id}`, events: [] };
  }

  acknowledgeAll(nowMs: number, epochMs: number): CommandOutcome {
    const events: AlarmEvent[] = [];
    const occs = [...this.open.values()];
    for (const occ of occs) this.ack(occ, nowMs, epochMs, events);
    return { ok: true, message: `${occs.length} active alarm${occs.length === 1 ? "" : "s"} acknowledged`, events };
  }

  /** What still stands in the way of an operator reset (empty: a reset would succeed);
   *  findings of the codes in `except` are left out. */
  resetBlockers(except: readonly AlarmCode[] = []): string[] {
    const blockers: string[] = [];
    const cut = this.conditions.cut;
    if (this.latch === null) return blockers;
    if (cut.blind) blockers.push("the cut-out probe has no valid reading");
    else if (!cut.safe) blockers.push(`air probe ${cut.valueC?.toFixed(2)} °C not below ${(cut.limitC - ALARM_TABLE.OVERTEMP.hysteresis).toFixed(1)} °C`);
    const found = this.conditions.findings;
    const blocking = (f: number) => {
      if (!found.included(f) || f === FINDING.overtemp || !found.forcesFault(f) || except.includes(found.code(f))) return;
      if (found.present(f) && found.known(f)) blockers.push(`${f === FINDING.mismatch ? "air channels disagree" : found.key(f)} still present`);
    };
    for (let i = 0; i < FIXED_FINDINGS; i++) blocking(i);
    for (let i = 0; i < found.storageCount; i++) blocking(found.storageRow(i));
    return blockers;
  }

  /** Operator reset out of FAULT: refused while a cause is still there. */
  reset(nowMs: number, epochMs: number): CommandOutcome {
    if (this.latch === null) return { ok: true, message: "no fault latched", events: [] };
    const blockers = this.resetBlockers();
    if (blockers.length > 0) return { ok: false, message: `cannot reset: ${blockers.join("; ")}`, events: [] };
    const events: AlarmEvent[] = [];
    const found = this.conditions.findings;
    for (const occ of [...this.open.values()]) {
      if (!occ.forcesFault) continue;
      const f = occ.finding;
      const judged = f !== NO_FINDING && found.included(f);
      if (occ.info.latching || !judged || !found.known(f) || !found.present(f)) {
        // The reset is the operator's deliberate action on the fault: it acknowledges it,
        // and clears what can no longer be judged (a stopped fan, a heater that is off).
        this.conditions.forget(occ.code);
        this.ack(occ, nowMs, epochMs, events);
        if (this.open.has(occ.key)) this.close(occ, epochMs, events);
      }
    }
    this.latch = null;
    return { ok: true, message: "fault reset", events };
  }

  /** Active alarms, and latched ones not yet reset, oldest first. */
  activeAlarms(): readonly AlarmInfo[] {
    // The same (frozen) list is answered until an occurrence is raised, acknowledged or closed.
    this.active ??= Object.freeze([...this.open.values()].sort((a, b) => a.id - b.id).map((o) => o.info));
    return this.active;
  }

  /** The highest priority among alarms that are showing (visual) and sounding (audio). */
  /** Called every 50 ms by the annunciator: the answer is one object, rewritten each call
   *  (read it at once), and the scan goes through Map.forEach (no iterator objects). */
  signal(nowMs: number): { readonly visual: AlarmInfo["priority"] | null; readonly audio: AlarmInfo["priority"] | null } {
    const out = this.signalOut;
    out.visual = null;
    out.audio = null;
    this.signalNowMs = nowMs;
    this.open.forEach(this.signalScan);
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

  get faultLatch(): FaultLatch | null {
    return this.latch;
  }

  // ------------------------------------------------------------------------------------

  private reconcile(epochMs: number, events: AlarmEvent[]): void {
    const found = this.conditions.findings;
    for (let i = 0; i < FIXED_FINDINGS; i++) if (found.included(i)) this.reconcileOne(i, epochMs, events);
    for (let i = 0; i < found.storageCount; i++) this.reconcileOne(found.storageRow(i), epochMs, events);
    // Sensor channels no longer watched (skin probe after leaving skin mode) clear too.
    // (Map.forEach visits the entries left as it goes: closing the one visited is safe.)
    this.reconcileEpochMs = epochMs;
    this.open.forEach(this.closeUnjudged);
  }

  private readonly closeUnjudged = (occ: Occurrence): void => {
    if (!UNTIL_ACKNOWLEDGED.includes(occ.code) && !(occ.finding !== NO_FINDING && this.conditions.findings.included(occ.finding))) this.close(occ, this.reconcileEpochMs, this.tickEvents);
  };

  private reconcileOne(f: number, epochMs: number, events: AlarmEvent[]): void {
    const found = this.conditions.findings;
    const key = found.key(f);
    const occ = this.open.get(key);
    if (found.present(f)) {
      if (!occ) this.raise(key, found.code(f), found.subject(f), found.value(f), found.limit(f), found.forcesFault(f), f, epochMs, events);
      else if (occ.info.latching) occ.conditionGone = false;
    } else if (occ) {
      const known = found.known(f);
      if (!known && !occ.info.latching) return;
      if (occ.info.latching) {
        if (!known) return;
        occ.conditionGone = true;
      } else {
        this.close(occ, epochMs, events);
      }
    }
  }

  private raise(
    key: string, code: AlarmCode, subject: string, value: number | null, limit: number | null, forcesFault: boolean,
    finding: number, epochMs: number, events: AlarmEvent[],
  ): void {
    const occ: Occurrence = {
      id: this.nextId++, key, code, subject, value, limit,
      raisedAtMs: epochMs, forcesFault, acknowledgedAtMs: null, audioPausedUntilMs: -Infinity,
      conditionGone: false, info: undefined as unknown as AlarmInfo, finding,
    };
    occ.info = this.infoOf(occ, true, null);
    this.open.set(key, occ);
    this.active = null;
    if (forcesFault && this.latch === null) {
      this.latch = Object.freeze({ code, reason: occ.info.message, sinceEpochMs: epochMs });
    }
    this.emit(occ, "raised", epochMs, events);
  }

  private ack(occ: Occurrence, nowMs: number, epochMs: number, events: AlarmEvent[]): void {
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

  private close(occ: Occurrence, epochMs: number, events: AlarmEvent[]): void {
    this.open.delete(occ.key);
    this.active = null;
    occ.info = this.infoOf(occ, false, epochMs);
    this.emit(occ, "cleared", epochMs, events);
  }

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
