// REFERENCE COPY, not shipped: the alarm system as it was before evaluate() was rewritten to
// evaluate into preallocated per-alarm state (tests/alarms/alarm-equivalence.test.ts runs both
// on the same inputs and requires identical outputs). Do not change it; it is the behaviour.
// The alarm system, evaluated once per control tick. It judges every condition of the
// PRODUCT.md alarm table, runs each occurrence's lifecycle (raised → acknowledged → cleared,
// latching, audio pause) and tells the core what to do: inhibit the heater, go to FAULT,
// fall back from skin to air control. It owns no timers and touches no hardware.
import type { AlarmCode, AlarmInfo, IncubatorEvent, Setpoints } from "../../../src/core/api";
import type { StorageFault } from "../../../src/core/storage-health";
import type { ControlMode, IncubatorState, SensorFrame } from "../../../src/core/types";
import { ALARM_TABLE, LIMITS } from "../../../src/alarms/catalog";
import { AlarmHistory, type HistoryEntry } from "../../../src/alarms/alarm-history";
import { Debouncer } from "./debounce";
import { FAN_LIMITS, FanMonitor } from "./fan-monitor";
import { HEATER_RESPONSE } from "../../../src/alarms/heater-monitor";
import { HeaterMonitor } from "./heater-monitor";
import { alarmMessage } from "../../../src/alarms/messages";
import { cutoutLimitC, judgeCutout, type CutoutVerdict } from "./overtemp-cutout";
import { CHANNELS, SensorChannelMonitor, type ChannelHealth } from "./sensor-health";

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

/** A store's name as an alarm subject (the history's subjects are letters, '_' and ':'). */
function storeSubject(store: string): string {
  return store.replace(/[^A-Za-z]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 24) || "store";
}

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

/** What this tick found about one alarm condition. */
interface Finding {
  readonly code: AlarmCode;
  /** The debounced condition holds. */
  readonly present: boolean;
  /** The condition could be judged this tick (false: frozen, e.g. the fan is not driven). */
  readonly known: boolean;
  readonly value: number | null;
  readonly limit: number | null;
  readonly subject: string;
  readonly forcesFault: boolean;
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
}

const SENSOR_KEYS = Object.freeze(["air", "probeAir", "humidity", "skin"] as const);
type SensorKey = (typeof SENSOR_KEYS)[number];

const MISMATCH = Object.freeze({
  limitC: 1.0, hysteresisC: 0.2, onsetMs: 10_000, clearMs: 10_000,
  /** The channels are compared only while one of them changes slower than this (0.6 °C/min). */
  maxRateCPerS: 0.01,
  rateWindowMs: 30_000,
  /** While the air moves, the limit widens by the outlet probe's lag times the air's rate. */
  probeLagS: 20,
  /** No lag allowed for one window after the air reading jumps more than this between samples. */
  jumpC: 0.3,
});

/** Rate of change of a reading over a window, °C/s (null until the window is filled or without a reading). */
class RateOfChange {
  private samples: Array<{ atMs: number; v: number }> = [];
  constructor(private readonly windowMs: number) {}
  update(nowMs: number, v: number | null): number | null {
    if (v === null) { this.samples = []; return null; }
    this.samples.push({ atMs: nowMs, v });
    while (this.samples.length > 2 && this.samples[1].atMs <= nowMs - this.windowMs) this.samples.shift();
    const first = this.samples[0];
    if (nowMs - first.atMs < this.windowMs) return null;
    return (v - first.v) / ((nowMs - first.atMs) / 1000);
  }
}

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
  private readonly sensors: Record<SensorKey, SensorChannelMonitor> = {
    air: new SensorChannelMonitor(CHANNELS.air),
    probeAir: new SensorChannelMonitor(CHANNELS.probeAir),
    humidity: new SensorChannelMonitor(CHANNELS.humidity),
    skin: new SensorChannelMonitor(CHANNELS.skin),
  };
  private readonly deviation: Record<"TEMP_HIGH" | "TEMP_LOW" | "SKIN_TEMP_HIGH" | "SKIN_TEMP_LOW" | "HUMIDITY_HIGH" | "HUMIDITY_LOW", Debouncer>;
  private readonly overtemp = new Debouncer(ALARM_TABLE.OVERTEMP.onsetMs, ALARM_TABLE.OVERTEMP.clearMs);
  private readonly mismatch = new Debouncer(MISMATCH.onsetMs, MISMATCH.clearMs);
  private readonly airRate = new RateOfChange(MISMATCH.rateWindowMs);
  private readonly probeRate = new RateOfChange(MISMATCH.rateWindowMs);
  private lastAirC: number | null = null;
  private airJumpAtMs = -Infinity;
  private readonly fanDebounce = new Debouncer(ALARM_TABLE.FAN_FAILURE.onsetMs, ALARM_TABLE.FAN_FAILURE.clearMs);
  private readonly fan = new FanMonitor();
  private readonly heater = new HeaterMonitor();
  private heaterFault: { noRise: boolean; riseWhileOff: boolean; value: number | null; limit: number | null; subject: string } | null = null;
  private latch: FaultLatch | null = null;
  private raisedLimitHeld = false;
  private lastFindings = new Map<string, Finding>();
  private lastCutout: CutoutVerdict = { tripped: false, safe: false, blind: true, limitC: LIMITS.cutoutC, valueC: null };

  constructor(options: AlarmSystemOptions = {}) {
    const t = ALARM_TABLE;
    const d = (c: AlarmCode) => new Debouncer(t[c].onsetMs, t[c].clearMs);
    this.deviation = {
      TEMP_HIGH: d("TEMP_HIGH"), TEMP_LOW: d("TEMP_LOW"),
      SKIN_TEMP_HIGH: d("SKIN_TEMP_HIGH"), SKIN_TEMP_LOW: d("SKIN_TEMP_LOW"),
      HUMIDITY_HIGH: d("HUMIDITY_HIGH"), HUMIDITY_LOW: d("HUMIDITY_LOW"),
    };
    this.history = new AlarmHistory(options.history ?? []);
    this.nextId = this.history.highestId + 1;
    for (const { info, subject } of this.history.raw()) {
      if (!info.active) continue;
      if (info.code === "SETTINGS_LOST" && info.acknowledgedAtMs === null) {
        // Shown until acknowledged: a reboot before anyone saw it does not make it go away.
        const occ: Occurrence = {
          id: info.id, key: info.code, code: info.code, subject, value: info.value, limit: info.limit,
          raisedAtMs: info.raisedAtMs, forcesFault: false, acknowledgedAtMs: null,
          audioPausedUntilMs: -Infinity, conditionGone: true, info,
        };
        this.open.set(occ.key, occ);
      } else if (info.latching && info.code === "OVERTEMP") {
        // A power cycle must not reset a latched cut-out: it stays latched, FAULT included.
        const occ: Occurrence = {
          id: info.id, key: info.code, code: info.code, subject, value: info.value, limit: info.limit,
          raisedAtMs: info.raisedAtMs, forcesFault: true, acknowledgedAtMs: info.acknowledgedAtMs,
          audioPausedUntilMs: -Infinity, conditionGone: false, info,
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
    const { nowMs, epochMs, frame, setpoints } = input;
    const therapy = input.state !== "STANDBY";
    const skinMode = input.mode === "skin";
    const events: AlarmEvent[] = [];
    const findings = new Map<string, Finding>();
    const put = (key: string, f: Finding) => findings.set(key, f);

    // --- the independent cut-out: the outlet probe only -------------------------------
    // Leaving the override or skin mode while the air is warmer than 38 °C would latch the
    // cut-out on a deliberate setpoint change: the raised limit stays until the probe is
    // back below the normal limit (the interlock keeps the heater off meanwhile).
    if (cutoutLimitC(setpoints.override, skinMode) > LIMITS.cutoutC) this.raisedLimitHeld = true;
    else if (this.raisedLimitHeld) {
      const p = judgeCutout(frame.probeAir, LIMITS.cutoutC, ALARM_TABLE.OVERTEMP.hysteresis);
      if (p.safe) this.raisedLimitHeld = false;
    }
    const limitC = this.raisedLimitHeld ? LIMITS.cutoutOverrideC : LIMITS.cutoutC;
    const cut = judgeCutout(frame.probeAir, limitC, ALARM_TABLE.OVERTEMP.hysteresis);
    this.lastCutout = cut;
    const overtemp = this.overtemp.update(nowMs, cut.blind ? null : cut.tripped, cut.blind ? null : !cut.tripped);
    put("OVERTEMP", { code: "OVERTEMP", present: overtemp || cut.tripped, known: !cut.blind, value: cut.valueC, limit: limitC, subject: "", forcesFault: true });

    // --- sensor channels --------------------------------------------------------------
    const health = {} as Record<SensorKey, ChannelHealth>;
    for (const key of SENSOR_KEYS) {
      if (key === "skin" && !skinMode) {
        // The skin probe is optional in air mode: not watched, its alarm (if any) goes.
        this.sensors.skin.forget();
        health.skin = { usable: frame.skin.value !== null, value: frame.skin.value, faulty: false, cause: null, detail: "" };
        continue;
      }
      health[key] = this.sensors[key].update(nowMs, frame[key]);
      const h = health[key];
      put(`SENSOR_FAULT:${key}`, {
        code: "SENSOR_FAULT", present: h.faulty, known: true,
        value: h.cause === "implausible" ? frame[key].value : null, limit: null,
        subject: `${key}:${h.cause ?? "stale"}`, forcesFault: key === "air" || key === "probeAir",
      });
    }
    const air = health.air.usable ? health.air.value : null;
    const probe = health.probeAir.usable ? health.probeAir.value : null;
    // The outlet probe lags the cabin air (its housing, the outlet's own mixing): while the
    // air moves fast (a porthole opens or closes) both channels move and differ for physical
    // reasons. A sensor going wrong moves only its own channel, so the channels are compared
    // whenever at least one of them is still.
    const airRate = this.airRate.update(nowMs, air);
    const probeRate = this.probeRate.update(nowMs, probe);
    const still = (r: number | null) => r !== null && Math.abs(r) <= MISMATCH.maxRateCPerS;
    const comparable = air !== null && probe !== null && (still(airRate) || still(probeRate));
    if (air !== null && this.lastAirC !== null && Math.abs(air - this.lastAirC) > MISMATCH.jumpC) this.airJumpAtMs = nowMs;
    this.lastAirC = air;
    const lagC = airRate === null || nowMs - this.airJumpAtMs < MISMATCH.rateWindowMs ? 0 : MISMATCH.probeLagS * Math.abs(airRate);
    const mismatchRaise = comparable ? Math.abs(air - probe) > MISMATCH.limitC + lagC : null;
    const mismatchClear = comparable ? Math.abs(air - probe) <= MISMATCH.limitC - MISMATCH.hysteresisC : null;
    const mismatch = this.mismatch.update(nowMs, mismatchRaise, mismatchClear);
    put("SENSOR_FAULT:mismatch", {
      code: "SENSOR_FAULT", present: mismatch, known: mismatchRaise !== null,
      value: air !== null && probe !== null ? round2(Math.abs(air - probe)) : null, limit: MISMATCH.limitC,
      subject: "mismatch", forcesFault: true,
    });

    // --- skin fallback ----------------------------------------------------------------
    const skinFallback = skinMode && (!health.skin.usable || health.skin.faulty);
    const effectiveMode: ControlMode = skinMode && !skinFallback ? "skin" : "air";
    const airSetpoint = skinFallback ? LIMITS.skinFallbackAirC : setpoints.air;
    const controlSetpointC = effectiveMode === "skin" ? setpoints.skin : airSetpoint;

    // --- deviations -------------------------------------------------------------------
    const dev = (code: keyof AlarmSystem["deviation"], applies: boolean, value: number | null, limit: number, above: boolean) => {
      const hyst = ALARM_TABLE[code].hysteresis;
      let raise: boolean | null;
      let clear: boolean | null;
      if (!applies) { raise = false; clear = true; }
      else if (value === null) { raise = null; clear = null; }
      else if (code === "HUMIDITY_HIGH" || code === "HUMIDITY_LOW") {
        raise = above ? value > limit : value < limit;
        clear = above ? value <= limit - hyst : value >= limit + hyst;
      } else {
        raise = above ? value >= limit : value <= limit;
        clear = above ? value < limit - hyst : value > limit + hyst;
      }
      const present = this.deviation[code].update(nowMs, raise, clear);
      put(code, { code, present, known: raise !== null, value: value === null ? null : round2(value), limit: round2(limit), subject: "", forcesFault: false });
    };
    const airMode = therapy && effectiveMode === "air";
    const skinCtl = therapy && effectiveMode === "skin";
    dev("TEMP_HIGH", airMode, air, airSetpoint + LIMITS.airDeviationC, true);
    dev("TEMP_LOW", airMode && input.steadyReached, air, airSetpoint - LIMITS.airDeviationC, false);
    dev("SKIN_TEMP_HIGH", skinCtl, health.skin.value, setpoints.skin + LIMITS.skinDeviationC, true);
    dev("SKIN_TEMP_LOW", skinCtl && input.steadyReached, health.skin.value, setpoints.skin - LIMITS.skinDeviationC, false);
    const rh = health.humidity.usable ? health.humidity.value : null;
    dev("HUMIDITY_HIGH", therapy, rh, setpoints.humidity + LIMITS.humidityDeviationPct, true);
    dev("HUMIDITY_LOW", therapy && input.steadyReached, rh, setpoints.humidity - LIMITS.humidityDeviationPct, false);

    // --- fan --------------------------------------------------------------------------
    const fanV = this.fan.update(nowMs, input.fanDuty, frame.fanRpm);
    const fanFailed = this.fanDebounce.update(nowMs, fanV.failing, fanV.failing === null ? null : !fanV.failing);
    put("FAN_FAILURE", { code: "FAN_FAILURE", present: fanFailed, known: fanV.failing !== null, value: fanV.rpm, limit: FAN_LIMITS.minRpm, subject: "", forcesFault: true });

    // --- heater thermal response --------------------------------------------------------
    const hv = this.heater.update(nowMs, input.heaterDuty, air, input.warmUpFromStart ?? input.state === "PREHEATING");
    if (this.heaterFault === null && (hv.noRise === true || hv.riseWhileOff === true)) {
      const offRise = hv.riseWhileOff === true;
      this.heaterFault = {
        noRise: hv.noRise === true, riseWhileOff: offRise,
        value: offRise ? hv.riseWhileOffC : hv.noRiseC,
        limit: offRise ? HEATER_RESPONSE.offRiseC : HEATER_RESPONSE.minRiseC,
        subject: offRise ? "rise_while_off" : "no_rise",
      };
    } else if (this.heaterFault !== null) {
      const f = this.heaterFault;
      // Cleared only by proof: the kind of fault that was seen is now judged absent.
      if ((!f.noRise || hv.noRise === false) && (!f.riseWhileOff || hv.riseWhileOff === false)) this.heaterFault = null;
    }
    const hf = this.heaterFault;
    const heaterKnown = hf === null ? true : ((!hf.noRise || hv.noRise !== null) && (!hf.riseWhileOff || hv.riseWhileOff !== null));
    put("HEATER_FAULT", { code: "HEATER_FAULT", present: hf !== null, known: heaterKnown, value: hf?.value ?? null, limit: hf?.limit ?? null, subject: hf?.subject ?? "", forcesFault: true });

    // --- storage ------------------------------------------------------------------------
    for (const fault of input.storageFaults ?? []) {
      const subject = storeSubject(fault.store);
      put(`STORAGE_FAULT:${subject}`, { code: "STORAGE_FAULT", present: true, known: true, value: null, limit: null, subject, forcesFault: false });
    }

    this.lastFindings = findings;
    this.reconcile(findings, epochMs, events);

    // --- what the heater may do -------------------------------------------------------
    const reasons: string[] = [];
    if (cut.tripped) reasons.push(`cut-out: air probe ${cut.valueC?.toFixed(2)} °C ≥ ${limitC.toFixed(1)} °C`);
    if (!health.air.usable) reasons.push("air control channel has no valid reading");
    if (cut.blind) reasons.push("cut-out channel (air probe) has no valid reading");
    for (const occ of this.open.values()) {
      const h = ALARM_TABLE[occ.code].heater;
      if (h === "off_while_active" || h === "off_until_reset") {
        // A skin probe fault does not stop the heater: control falls back to the air.
        if (occ.key === "SENSOR_FAULT:skin" || occ.key === "SENSOR_FAULT:humidity") continue;
        reasons.push(`${occ.code} active`);
      }
    }
    if (this.latch) reasons.push(`FAULT latched (${this.latch.code}) until reset`);

    return {
      heaterInhibit: reasons.length > 0,
      inhibitReasons: reasons,
      fault: this.latch,
      skinFallback,
      effectiveMode,
      controlSetpointC,
      cutoutLimitC: limitC,
      cutoutTripped: cut.tripped,
      alarms: this.activeAlarms(),
      events,
    };
  }

  /** A reboot found therapy active: raise POWER_FAILURE (active until acknowledged). */
  reportPowerFailure(_nowMs: number, epochMs: number): readonly AlarmEvent[] {
    const events: AlarmEvent[] = [];
    const f: Finding = { code: "POWER_FAILURE", present: true, known: true, value: null, limit: null, subject: "", forcesFault: false };
    if (!this.open.has("POWER_FAILURE")) this.raise("POWER_FAILURE", f, epochMs, events);
    return events;
  }

  /** Boot found the stored therapy settings unreadable ("corrupt") or gone ("missing"):
   *  raise SETTINGS_LOST (active until acknowledged, across reboots). */
  reportSettingsLost(epochMs: number, why: "corrupt" | "missing"): readonly AlarmEvent[] {
    const events: AlarmEvent[] = [];
    const f: Finding = { code: "SETTINGS_LOST", present: true, known: true, value: null, limit: null, subject: why, forcesFault: false };
    if (!this.open.has("SETTINGS_LOST")) this.raise("SETTINGS_LOST", f, epochMs, events);
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
    const cut = this.lastCutout;
    if (this.latch === null) return blockers;
    if (cut.blind) blockers.push("the cut-out probe has no valid reading");
    else if (!cut.safe) blockers.push(`air probe ${cut.valueC?.toFixed(2)} °C not below ${(cut.limitC - ALARM_TABLE.OVERTEMP.hysteresis).toFixed(1)} °C`);
    for (const [key, f] of this.lastFindings) {
      if (key === "OVERTEMP" || !f.forcesFault || except.includes(f.code)) continue;
      if (f.present && f.known) blockers.push(`${key === "SENSOR_FAULT:mismatch" ? "air channels disagree" : key} still present`);
    }
    return blockers;
  }

  /** Operator reset out of FAULT: refused while a cause is still there. */
  reset(nowMs: number, epochMs: number): CommandOutcome {
    if (this.latch === null) return { ok: true, message: "no fault latched", events: [] };
    const blockers = this.resetBlockers();
    if (blockers.length > 0) return { ok: false, message: `cannot reset: ${blockers.join("; ")}`, events: [] };
    const events: AlarmEvent[] = [];
    for (const occ of [...this.open.values()]) {
      if (!occ.forcesFault) continue;
      const f = this.lastFindings.get(occ.key);
      if (occ.info.latching || !f || !f.known || !f.present) {
        // The reset is the operator's deliberate action on the fault: it acknowledges it,
        // and clears what can no longer be judged (a stopped fan, a heater that is off).
        if (occ.code === "FAN_FAILURE") this.fanDebounce.reset();
        if (occ.code === "HEATER_FAULT") { this.heater.forget(); this.heaterFault = null; }
        if (occ.code === "OVERTEMP") this.overtemp.reset();
        this.ack(occ, nowMs, epochMs, events);
        if (this.open.has(occ.key)) this.close(occ, epochMs, events);
      }
    }
    this.latch = null;
    return { ok: true, message: "fault reset", events };
  }

  /** Active alarms, and latched ones not yet reset, oldest first. */
  activeAlarms(): readonly AlarmInfo[] {
    return [...this.open.values()].sort((a, b) => a.id - b.id).map((o) => o.info);
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

  private reconcile(findings: Map<string, Finding>, epochMs: number, events: AlarmEvent[]): void {
    for (const [key, f] of findings) {
      const occ = this.open.get(key);
      if (f.present) {
        if (!occ) this.raise(key, f, epochMs, events);
        else if (occ.info.latching) occ.conditionGone = false;
      } else if (occ) {
        if (!f.known && !occ.info.latching) continue;
        if (occ.info.latching) {
          if (!f.known) continue;
          occ.conditionGone = true;
        } else {
          this.close(occ, epochMs, events);
        }
      }
    }
    // Sensor channels no longer watched (skin probe after leaving skin mode) clear too.
    for (const occ of [...this.open.values()]) {
      if (!UNTIL_ACKNOWLEDGED.includes(occ.code) && !findings.has(occ.key)) this.close(occ, epochMs, events);
    }
  }

  private raise(key: string, f: Finding, epochMs: number, events: AlarmEvent[]): void {
    const occ: Occurrence = {
      id: this.nextId++, key, code: f.code, subject: f.subject, value: f.value, limit: f.limit,
      raisedAtMs: epochMs, forcesFault: f.forcesFault, acknowledgedAtMs: null, audioPausedUntilMs: -Infinity,
      conditionGone: false, info: undefined as unknown as AlarmInfo,
    };
    occ.info = this.infoOf(occ, true, null);
    this.open.set(key, occ);
    if (f.forcesFault && this.latch === null) {
      this.latch = Object.freeze({ code: f.code, reason: occ.info.message, sinceEpochMs: epochMs });
    }
    this.emit(occ, "raised", epochMs, events);
  }

  private ack(occ: Occurrence, nowMs: number, epochMs: number, events: AlarmEvent[]): void {
    if (occ.acknowledgedAtMs === null) {
      occ.acknowledgedAtMs = epochMs;
      occ.audioPausedUntilMs = nowMs + LIMITS.audioPauseMs;
      occ.info = this.infoOf(occ, true, null);
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

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
