// Judges every alarm condition of the PRODUCT.md table once per control tick into the fixed
// finding table (alarm-findings.ts): the independent cut-out, the sensor channels and their
// cross-check, the deviations from the setpoints, the fan, the heater's thermal response and
// the stores. Everything it keeps is made once and updated in place; the alarm system runs
// the occurrences' lifecycle from the findings.
import type { AlarmCode } from "../core/api";
import type { ControlMode } from "../core/types";
import type { AlarmInputs } from "./alarm-types";
import { FINDING, FindingTable, SENSOR_KEYS, SENSOR_ROWS, sensorSubject, type SensorKey } from "./alarm-findings";
import { ALARM_TABLE, LIMITS } from "./catalog";
import { DebounceBank } from "./debounce-bank";
import { FAN_LIMITS, FanMonitor } from "./fan-monitor";
import { HEATER_RESPONSE, HeaterMonitor } from "./heater-monitor";
import { blindVerdict, cutoutLimitC, judgeCutout, type CutoutVerdict, type MutableCutoutVerdict } from "./overtemp-cutout";
import { RateOfChange } from "./rate-of-change";
import { CHANNELS, SensorChannels, type ChannelHealth, type MutableChannelHealth } from "./sensor-health";

/** The cross-check of the two air channels (SHT31 and outlet probe): SENSOR_FAULT beyond limitC. */
export const MISMATCH = Object.freeze({
  limitC: 1.0, hysteresisC: 0.2, onsetMs: 10_000, clearMs: 10_000,
  /** The channels are compared only while one of them changes slower than this (0.6 °C/min). */
  maxRateCPerS: 0.01,
  rateWindowMs: 30_000,
  /** While the cabin air moves, the outlet probe trails it by about its time constant times
   *  the air's rate (a porthole: 0.7 °C in 20 s), so the limit widens by that much. */
  probeLagS: 20,
  /** A change of the air reading faster than this between two samples is not the air moving
   *  but the sensor going wrong: no lag allowed for it, for one rate window. */
  jumpC: 0.3,
});

type DeviationCode = "TEMP_HIGH" | "TEMP_LOW" | "SKIN_TEMP_HIGH" | "SKIN_TEMP_LOW" | "HUMIDITY_HIGH" | "HUMIDITY_LOW";

/** The debounced conditions, by their entry in the one debounce table. */
/** The debounced conditions' onset and clear times, by name, in the debounce table's order. */
const DEBOUNCE_SPECS = Object.freeze({
  overtemp: ALARM_TABLE.OVERTEMP, mismatch: MISMATCH, fan: ALARM_TABLE.FAN_FAILURE,
  TEMP_HIGH: ALARM_TABLE.TEMP_HIGH, TEMP_LOW: ALARM_TABLE.TEMP_LOW, SKIN_TEMP_HIGH: ALARM_TABLE.SKIN_TEMP_HIGH,
  SKIN_TEMP_LOW: ALARM_TABLE.SKIN_TEMP_LOW, HUMIDITY_HIGH: ALARM_TABLE.HUMIDITY_HIGH, HUMIDITY_LOW: ALARM_TABLE.HUMIDITY_LOW,
});
type Debounced = keyof typeof DEBOUNCE_SPECS;
/** Each debounced condition's entry in the debounce table. */
const D: Readonly<Record<Debounced, number>> = Object.freeze(
  Object.fromEntries(Object.keys(DEBOUNCE_SPECS).map((name, i) => [name, i])) as Record<Debounced, number>,
);
const DEBOUNCED = Object.freeze(Object.values(DEBOUNCE_SPECS));
/** The sensor channels, numbered in the order of SENSOR_KEYS. */
const CHANNEL_SPECS = Object.freeze(SENSOR_KEYS.map((key) => CHANNELS[key]));
const SKIN_CHANNEL = SENSOR_KEYS.indexOf("skin");

interface HeaterFault { noRise: boolean; riseWhileOff: boolean; value: number | null; limit: number | null; subject: string }

export class AlarmConditions {
  readonly findings = new FindingTable();
  /** The cut-out's verdict at the last evaluation. */
  readonly cut: CutoutVerdict;
  // What the last evaluation decided beside the findings.
  skinFallback = false;
  effectiveMode: ControlMode = "air";
  controlSetpointC = 0;
  cutoutLimitC: number = LIMITS.cutoutC;
  airUsable = false;

  private readonly cutOut: MutableCutoutVerdict = blindVerdict();
  private readonly heldCheck: MutableCutoutVerdict = blindVerdict();
  private readonly sensors = new SensorChannels(CHANNEL_SPECS);
  /** The skin probe's health while it is not watched (air mode). */
  private readonly skinUnwatched: MutableChannelHealth = { usable: false, value: null, faulty: false, cause: null, detail: "" };
  private readonly health: Record<SensorKey, ChannelHealth> = { air: this.skinUnwatched, probeAir: this.skinUnwatched, humidity: this.skinUnwatched, skin: this.skinUnwatched };
  private readonly debounce = new DebounceBank(DEBOUNCED);
  private readonly airRate = new RateOfChange(MISMATCH.rateWindowMs);
  private readonly probeRate = new RateOfChange(MISMATCH.rateWindowMs);
  private airJumpAtMs = -Infinity;
  private readonly fan = new FanMonitor();
  private readonly heater = new HeaterMonitor();
  private heaterFault: HeaterFault | null = null;
  private raisedLimitHeld = false;

  constructor() {
    this.cut = this.cutOut;
  }

  judge(input: AlarmInputs): void {
    const { nowMs, frame, setpoints } = input;
    const found = this.findings;
    const therapy = input.state !== "STANDBY";
    const skinMode = input.mode === "skin";
    found.clear();

    // --- the independent cut-out: the outlet probe only -------------------------------
    // Leaving the override or skin mode while the air is warmer than 38 °C would latch the
    // cut-out on a deliberate setpoint change: the raised limit stays until the probe is
    // back below the normal limit (the interlock keeps the heater off meanwhile).
    if (cutoutLimitC(setpoints.override, skinMode) > LIMITS.cutoutC) this.raisedLimitHeld = true;
    else if (this.raisedLimitHeld) {
      const p = judgeCutout(frame.probeAir, LIMITS.cutoutC, ALARM_TABLE.OVERTEMP.hysteresis, this.heldCheck);
      if (p.safe) this.raisedLimitHeld = false;
    }
    const limitC = this.raisedLimitHeld ? LIMITS.cutoutOverrideC : LIMITS.cutoutC;
    this.cutoutLimitC = limitC;
    const cut = judgeCutout(frame.probeAir, limitC, ALARM_TABLE.OVERTEMP.hysteresis, this.cutOut);
    const overtemp = this.debounce.update(D.overtemp, nowMs, cut.blind ? null : cut.tripped, cut.blind ? null : !cut.tripped);
    found.judged(FINDING.overtemp, overtemp || cut.tripped, !cut.blind, cut.valueC, limitC);

    // --- sensor channels --------------------------------------------------------------
    const health = this.health;
    for (let i = 0; i < SENSOR_KEYS.length; i++) {
      const key = SENSOR_KEYS[i];
      if (i === SKIN_CHANNEL && !skinMode) {
        // The skin probe is optional in air mode: not watched, its alarm (if any) goes.
        this.sensors.forget(i);
        const u = this.skinUnwatched;
        u.usable = frame.skin.value !== null; u.value = frame.skin.value; u.faulty = false; u.cause = null; u.detail = "";
        health.skin = u;
        continue;
      }
      const h = this.sensors.update(i, nowMs, frame[key]);
      health[key] = h;
      const f = SENSOR_ROWS[i];
      found.setSubject(f, sensorSubject(key, h.cause));
      found.judged(f, h.faulty, true, h.cause === "implausible" ? frame[key].value : null, null);
    }
    this.airUsable = health.air.usable;
    const air = health.air.usable ? health.air.value : null;
    const probe = health.probeAir.usable ? health.probeAir.value : null;
    // The outlet probe lags the cabin air (its housing, the outlet's own mixing): while the
    // air moves fast (a porthole opens or closes) both channels move and differ for physical
    // reasons. A sensor going wrong moves only its own channel, so the channels are compared
    // whenever at least one of them is still.
    const airRate = this.airRate.update(nowMs, air);
    const probeRate = this.probeRate.update(nowMs, probe);
    const comparable = air !== null && probe !== null && (still(airRate) || still(probeRate));
    if (Math.abs(this.airRate.lastStep) > MISMATCH.jumpC) this.airJumpAtMs = nowMs;
    // A lagging probe looks still where its slope turns (rising at full heat, then a porthole
    // opens): the gap it trails the moving air by is physics, not a fault.
    const lagC = airRate === null || nowMs - this.airJumpAtMs < MISMATCH.rateWindowMs ? 0 : MISMATCH.probeLagS * Math.abs(airRate);
    const mismatchRaise = comparable ? Math.abs(air - probe) > MISMATCH.limitC + lagC : null;
    const mismatchClear = comparable ? Math.abs(air - probe) <= MISMATCH.limitC - MISMATCH.hysteresisC : null;
    const mismatch = this.debounce.update(D.mismatch, nowMs, mismatchRaise, mismatchClear);
    found.judged(FINDING.mismatch, mismatch, mismatchRaise !== null, air !== null && probe !== null ? round2(Math.abs(air - probe)) : null, MISMATCH.limitC);

    // --- skin fallback ----------------------------------------------------------------
    const skinFallback = skinMode && (!health.skin.usable || health.skin.faulty);
    const effectiveMode: ControlMode = skinMode && !skinFallback ? "skin" : "air";
    const airSetpoint = skinFallback ? LIMITS.skinFallbackAirC : setpoints.air;
    this.skinFallback = skinFallback;
    this.effectiveMode = effectiveMode;
    this.controlSetpointC = effectiveMode === "skin" ? setpoints.skin : airSetpoint;

    // --- deviations -------------------------------------------------------------------
    const airMode = therapy && effectiveMode === "air";
    const skinCtl = therapy && effectiveMode === "skin";
    this.judgeDeviation(nowMs, FINDING.tempHigh, "TEMP_HIGH", airMode, air, airSetpoint + LIMITS.airDeviationC, true);
    this.judgeDeviation(nowMs, FINDING.tempLow, "TEMP_LOW", airMode && input.steadyReached, air, airSetpoint - LIMITS.airDeviationC, false);
    this.judgeDeviation(nowMs, FINDING.skinHigh, "SKIN_TEMP_HIGH", skinCtl, health.skin.value, setpoints.skin + LIMITS.skinDeviationC, true);
    this.judgeDeviation(nowMs, FINDING.skinLow, "SKIN_TEMP_LOW", skinCtl && input.steadyReached, health.skin.value, setpoints.skin - LIMITS.skinDeviationC, false);
    const rh = health.humidity.usable ? health.humidity.value : null;
    this.judgeDeviation(nowMs, FINDING.humidityHigh, "HUMIDITY_HIGH", therapy, rh, setpoints.humidity + LIMITS.humidityDeviationPct, true);
    this.judgeDeviation(nowMs, FINDING.humidityLow, "HUMIDITY_LOW", therapy && input.steadyReached, rh, setpoints.humidity - LIMITS.humidityDeviationPct, false);

    // --- fan --------------------------------------------------------------------------
    const fanV = this.fan.update(nowMs, input.fanDuty, frame.fanRpm);
    const fanFailed = this.debounce.update(D.fan, nowMs, fanV.failing, fanV.failing === null ? null : !fanV.failing);
    found.judged(FINDING.fan, fanFailed, fanV.failing !== null, fanV.rpm, FAN_LIMITS.minRpm);

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
    found.setSubject(FINDING.heater, hf?.subject ?? "");
    found.judged(FINDING.heater, hf !== null, heaterKnown, hf?.value ?? null, hf?.limit ?? null);

    // --- storage ------------------------------------------------------------------------
    const stores = input.storageFaults;
    if (stores !== undefined) for (let i = 0; i < stores.length; i++) found.storageFailing(stores[i].store);
  }

  /** The operator reset acknowledged this fault: what judges it starts over. */
  forget(code: AlarmCode): void {
    if (code === "FAN_FAILURE") this.debounce.reset(D.fan);
    if (code === "HEATER_FAULT") { this.heater.forget(); this.heaterFault = null; }
    if (code === "OVERTEMP") this.debounce.reset(D.overtemp);
  }

  private judgeDeviation(nowMs: number, f: number, code: DeviationCode, applies: boolean, value: number | null, limit: number, above: boolean): void {
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
    const present = this.debounce.update(D[code], nowMs, raise, clear);
    this.findings.judged(f, present, raise !== null, value === null ? null : round2(value), round2(limit));
  }
}

function still(rate: number | null): boolean {
  return rate !== null && Math.abs(rate) <= MISMATCH.maxRateCPerS;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
