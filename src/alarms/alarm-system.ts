// The alarm system, evaluated once per control tick. It judges every condition of the
// PRODUCT.md alarm table, runs each occurrence's lifecycle (raised → acknowledged → cleared,
// latching, audio pause) and tells the core what to do: inhibit the heater, go to FAULT,
// fall back from skin to air control. It owns no timers and touches no hardware.
import type { AlarmCode, AlarmInfo } from "../core/api";
import { AlarmConditions } from "./alarm-conditions";
import { FINDING, FIXED_FINDINGS } from "./alarm-findings";
import { AlarmHistory, type HistoryEntry } from "./alarm-history";
import { AlarmOccurrences, NO_FINDING, UNTIL_ACKNOWLEDGED, type Occurrence } from "./alarm-occurrences";
import type { AlarmEvent, AlarmInputs, AlarmOutputs, CommandOutcome, FaultLatch } from "./alarm-types";
import { ALARM_TABLE } from "./catalog";

export type { AlarmEvent, AlarmInputs, AlarmOutputs, CommandOutcome, FaultLatch } from "./alarm-types";

/** Heater inhibit reasons of the occurrences that turn the heater off, by code. */
const ACTIVE_REASON: Readonly<Record<AlarmCode, string>> = Object.freeze(
  Object.fromEntries(Object.keys(ALARM_TABLE).map((code) => [code, `${code} active`])) as Record<AlarmCode, string>,
);
const LATCHED_REASON: Readonly<Record<AlarmCode, string>> = Object.freeze(
  Object.fromEntries(Object.keys(ALARM_TABLE).map((code) => [code, `FAULT latched (${code}) until reset`])) as Record<AlarmCode, string>,
);
const NO_EVENTS: readonly AlarmEvent[] = Object.freeze([]);
const NO_REASONS: readonly string[] = Object.freeze([]);

export interface AlarmSystemOptions {
  /** Occurrences restored from the settings store (AlarmHistory decode). */
  readonly history?: readonly HistoryEntry[];
  /** Wall-clock time of this boot: restored occurrences still active are closed at it. */
  readonly bootEpochMs?: number;
}

export class AlarmSystem {
  readonly history: AlarmHistory;
  private readonly occurrences: AlarmOccurrences;
  private readonly conditions = new AlarmConditions();
  /** The events of the evaluation under way (copied out when there are any). */
  private readonly tickEvents: AlarmEvent[] = [];
  private reconcileEpochMs = 0;

  constructor(options: AlarmSystemOptions = {}) {
    this.history = new AlarmHistory(options.history ?? []);
    this.occurrences = new AlarmOccurrences(this.history, options.bootEpochMs);
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
    this.occurrences.open.forEach(this.collectInhibit);
    reasons = this.inhibitReasons;
    this.inhibitReasons = null;
    const latch = this.occurrences.latch;
    if (latch) (reasons ??= []).push(LATCHED_REASON[latch.code]);

    return {
      heaterInhibit: reasons !== null,
      inhibitReasons: reasons ?? NO_REASONS,
      fault: latch,
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
    if (!this.occurrences.open.has("POWER_FAILURE")) this.occurrences.raise("POWER_FAILURE", "POWER_FAILURE", "", null, null, false, NO_FINDING, epochMs, events);
    return events;
  }

  /** Boot found the stored therapy settings unreadable ("corrupt") or gone ("missing"):
   *  raise SETTINGS_LOST (active until acknowledged, across reboots). */
  reportSettingsLost(epochMs: number, why: "corrupt" | "missing"): readonly AlarmEvent[] {
    const events: AlarmEvent[] = [];
    if (!this.occurrences.open.has("SETTINGS_LOST")) this.occurrences.raise("SETTINGS_LOST", "SETTINGS_LOST", why, null, null, false, NO_FINDING, epochMs, events);
    return events;
  }

  acknowledge(id: number, nowMs: number, epochMs: number): CommandOutcome {
    for (const occ of this.occurrences.open.values()) {
      if (occ.id !== id) continue;
      const events: AlarmEvent[] = [];
      const already = occ.acknowledgedAtMs !== null;
      this.occurrences.acknowledge(occ, nowMs, epochMs, events);
      if (already && events.length === 0) return { ok: true, message: `alarm ${id} (${occ.code}) was already acknowledged`, events };
      return { ok: true, message: `alarm ${id} (${occ.code}) acknowledged`, events };
    }
    const past = this.history.entries().find((a) => a.id === id);
    return { ok: false, message: past ? `alarm ${id} (${past.code}) is no longer active` : `no alarm with id ${id}`, events: [] };
  }

  acknowledgeAll(nowMs: number, epochMs: number): CommandOutcome {
    const events: AlarmEvent[] = [];
    const occs = [...this.occurrences.open.values()];
    for (const occ of occs) this.occurrences.acknowledge(occ, nowMs, epochMs, events);
    return { ok: true, message: `${occs.length} active alarm${occs.length === 1 ? "" : "s"} acknowledged`, events };
  }

  /** What still stands in the way of an operator reset (empty: a reset would succeed);
   *  findings of the codes in `except` are left out. */
  resetBlockers(except: readonly AlarmCode[] = []): string[] {
    const blockers: string[] = [];
    const cut = this.conditions.cut;
    if (this.occurrences.latch === null) return blockers;
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
    if (this.occurrences.latch === null) return { ok: true, message: "no fault latched", events: [] };
    const blockers = this.resetBlockers();
    if (blockers.length > 0) return { ok: false, message: `cannot reset: ${blockers.join("; ")}`, events: [] };
    const events: AlarmEvent[] = [];
    const found = this.conditions.findings;
    for (const occ of [...this.occurrences.open.values()]) {
      if (!occ.forcesFault) continue;
      const f = occ.finding;
      const judged = f !== NO_FINDING && found.included(f);
      if (occ.info.latching || !judged || !found.known(f) || !found.present(f)) {
        // The reset is the operator's deliberate action on the fault: it acknowledges it,
        // and clears what can no longer be judged (a stopped fan, a heater that is off).
        this.conditions.forget(occ.code);
        this.occurrences.acknowledge(occ, nowMs, epochMs, events);
        if (this.occurrences.open.has(occ.key)) this.occurrences.close(occ, epochMs, events);
      }
    }
    this.occurrences.unlatch();
    return { ok: true, message: "fault reset", events };
  }

  /** Active alarms, and latched ones not yet reset, oldest first. */
  activeAlarms(): readonly AlarmInfo[] {
    return this.occurrences.activeAlarms();
  }

  /** The highest priority among alarms that are showing (visual) and sounding (audio); see AlarmOccurrences.signal. */
  signal(nowMs: number): { readonly visual: AlarmInfo["priority"] | null; readonly audio: AlarmInfo["priority"] | null } {
    return this.occurrences.signal(nowMs);
  }

  get faultLatch(): FaultLatch | null {
    return this.occurrences.latch;
  }

  // ------------------------------------------------------------------------------------

  private reconcile(epochMs: number, events: AlarmEvent[]): void {
    const found = this.conditions.findings;
    for (let i = 0; i < FIXED_FINDINGS; i++) if (found.included(i)) this.reconcileOne(i, epochMs, events);
    for (let i = 0; i < found.storageCount; i++) this.reconcileOne(found.storageRow(i), epochMs, events);
    // Sensor channels no longer watched (skin probe after leaving skin mode) clear too.
    // (Map.forEach visits the entries left as it goes: closing the one visited is safe.)
    this.reconcileEpochMs = epochMs;
    this.occurrences.open.forEach(this.closeUnjudged);
  }

  private readonly closeUnjudged = (occ: Occurrence): void => {
    if (!UNTIL_ACKNOWLEDGED.includes(occ.code) && !(occ.finding !== NO_FINDING && this.conditions.findings.included(occ.finding))) this.occurrences.close(occ, this.reconcileEpochMs, this.tickEvents);
  };

  private reconcileOne(f: number, epochMs: number, events: AlarmEvent[]): void {
    const found = this.conditions.findings;
    const key = found.key(f);
    const occ = this.occurrences.open.get(key);
    if (found.present(f)) {
      if (!occ) this.occurrences.raise(key, found.code(f), found.subject(f), found.value(f), found.limit(f), found.forcesFault(f), f, epochMs, events);
      else if (occ.info.latching) occ.conditionGone = false;
    } else if (occ) {
      const known = found.known(f);
      if (!known && !occ.info.latching) return;
      if (occ.info.latching) {
        if (!known) return;
        occ.conditionGone = true;
      } else {
        this.occurrences.close(occ, epochMs, events);
      }
    }
  }
}
