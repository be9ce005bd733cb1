// The IncuNest Incubator as an indigo.ThermostatDevice: the active mode's setpoint, the
// three temperatures and the humidity, outputs, states and alarms (see README.md).
import type { Snapshot } from "../../core/api";
import type { JsonObject } from "./json";
import { round } from "./format";
import { DEVICES, emptyProps, FOLDER_IDS, thermostatPluginProps } from "./model";
import { fillLeaves, leafIndex, type Leaf, type PatchWriter } from "./patch-writer";
import { ActiveAlarmCodes } from "./active-alarms";
import { deviceBase, placeholders, PLUGIN_ID, PROTOCOL, rootLeaf, stateLeaf, STRING_PLACEHOLDERS, type IndigoDevice } from "./device-fields";

function celsiusUi(value: number | null): string {
  return value === null ? "no reading" : value.toFixed(2) + " °C";
}

function inputText(value: number | null): string {
  return value === null ? "" : String(value);
}

/** The thermostat's states in key order (the constant ones are set after these placeholders). */
const THERMOSTAT_STATE_KEYS: readonly string[] = Object.freeze([
  "activeAlarmCount", "activeAlarms", "controlMode", "effectiveMode", "fanPercent", "heaterPercent",
  "humidityInput1", "humidityInputsAll", "hvacCoolerIsOn", "hvacDehumidifierIsOn", "hvacFanIsOn",
  "hvacFanMode", "hvacHeaterIsOn", "hvacHumidifierIsOn", "hvacOperationMode", "hvacOperationModeIsHeat",
  "hvacOperationModeIsOff", "incubatorState", "setpointAir", "setpointHeat", "setpointHumidity",
  "setpointOverride", "setpointSkin", "temperatureInput1", "temperatureInput2", "temperatureInput3",
  "temperatureInputsAll",
]);


/** The thermostat's dynamic leaves, in the order its update sets them (its key order). */
const THERMOSTAT_LEAVES: readonly Leaf[] = Object.freeze([
  ...["displayStateId", "displayStateImageSel", "displayStateValRaw", "displayStateValUi", "errorState", "fanIsOn", "heatIsOn", "heatSetpoint", "humidifierIsOn"].map(rootLeaf),
  Object.freeze(["humidities", 0] as const),
  rootLeaf("hvacMode"),
  ...THERMOSTAT_STATE_KEYS.filter((k) => k !== "hvacCoolerIsOn" && k !== "hvacDehumidifierIsOn" && k !== "hvacFanMode").map(stateLeaf),
  Object.freeze(["temperatures", 0] as const),
  Object.freeze(["temperatures", 1] as const),
  Object.freeze(["temperatures", 2] as const),
]);
const T = leafIndex(THERMOSTAT_LEAVES);

export class Thermostat implements IndigoDevice {
  readonly id = DEVICES.incubator.id;
  private readonly values = placeholders(THERMOSTAT_LEAVES, STRING_PLACEHOLDERS);
  private readonly alarms = new ActiveAlarmCodes();
  private fresh = true;

  object(): JsonObject {
    const obj = deviceBase(DEVICES.incubator, "indigo.ThermostatDevice", FOLDER_IDS.incubator, "IncuNest", "Neonatal incubator: heat setpoint is the active mode's temperature setpoint", "IncuNest", "");
    const states: JsonObject = {};
    for (let i = 0; i < THERMOSTAT_STATE_KEYS.length; i++) states[THERMOSTAT_STATE_KEYS[i]] = null;
    states.hvacCoolerIsOn = false;
    states.hvacDehumidifierIsOn = false;
    states.hvacFanMode = "indigo.kFanMode.Auto";
    obj.coolIsOn = false;
    obj.coolSetpoint = null;
    obj.dehumidifierIsOn = false;
    obj.fanIsOn = null;
    obj.fanMode = "indigo.kFanMode.Auto";
    obj.heatIsOn = null;
    obj.heatSetpoint = null;
    obj.humidifierIsOn = null;
    obj.humidities = [null];
    obj.humiditySensorCount = 1;
    obj.hvacMode = null;
    obj.ownerProps = emptyProps();
    obj.pluginId = PLUGIN_ID;
    obj.pluginProps = thermostatPluginProps();
    obj.protocol = PROTOCOL;
    obj.remoteDisplay = true;
    obj.sharedProps = emptyProps();
    obj.states = states;
    obj.subModel = "";
    obj.subType = "";
    obj.supportsCoolSetpoint = false;
    obj.supportsHeatSetpoint = true;
    obj.supportsHvacFanMode = false;
    obj.supportsHvacOperationMode = true;
    obj.supportsStatusRequest = true;
    obj.temperatureSensorCount = 3;
    obj.temperatures = [null, null, null];
    obj.version = 1;
    fillLeaves(obj, THERMOSTAT_LEAVES, this.values);
    return obj;
  }

  update(s: Snapshot, w: PatchWriter): void {
    const v = this.values;
    w.begin(THERMOSTAT_LEAVES, v);
    const fresh = this.fresh;
    this.fresh = false;
    const air = round(s.air, 2);
    const skin = round(s.skin, 2);
    const probeAir = round(s.probeAir, 2);
    const humidity = round(s.humidity, 1);
    const setpoint = round(s.temperatureSetpoint, 2);
    const running = s.state === "PREHEATING" || s.state === "OPERATING";
    const heatIsOn = s.heaterPercent > 0;
    const fanIsOn = s.fanPercent > 0;
    const hvacMode = running ? "indigo.kHvacMode.Heat" : "indigo.kHvacMode.Off";
    const skinMode = s.effectiveMode === "skin";
    const controlled = skinMode ? skin : air;
    const alarmsMoved = this.alarms.refresh(s.alarms) || fresh;
    // Strings are made only when what they show moved (compared before the leaves are set).
    const uiMoved = fresh || controlled !== v[T.displayStateValRaw];
    const humidityMoved = fresh || humidity !== v[T["states.humidityInput1"]];
    const temperaturesMoved = fresh || air !== v[T["states.temperatureInput1"]] || skin !== v[T["states.temperatureInput2"]] || probeAir !== v[T["states.temperatureInput3"]];

    w.set(T.displayStateId, skinMode ? "temperatureInput2" : "temperatureInput1");
    w.set(T.displayStateImageSel, !running ? "indigo.kStateImageSel.HvacOff" : heatIsOn ? "indigo.kStateImageSel.HvacHeating" : "indigo.kStateImageSel.HvacHeatMode");
    w.set(T.displayStateValRaw, controlled);
    if (uiMoved) w.set(T.displayStateValUi, celsiusUi(controlled));
    w.set(T.errorState, s.state === "FAULT" ? this.alarms.faultText() : "");
    w.markStamps();
    w.set(T.fanIsOn, fanIsOn);
    w.set(T.heatIsOn, heatIsOn);
    w.set(T.heatSetpoint, setpoint);
    w.set(T.humidifierIsOn, s.humidifierOn);
    w.set(T["humidities.0"], humidity);
    w.set(T.hvacMode, hvacMode);
    w.set(T["states.activeAlarmCount"], this.alarms.count);
    if (alarmsMoved) w.set(T["states.activeAlarms"], this.alarms.joined);
    w.set(T["states.controlMode"], s.mode);
    w.set(T["states.effectiveMode"], s.effectiveMode);
    w.set(T["states.fanPercent"], round(s.fanPercent, 1));
    w.set(T["states.heaterPercent"], round(s.heaterPercent, 1));
    w.set(T["states.humidityInput1"], humidity);
    if (humidityMoved) w.set(T["states.humidityInputsAll"], inputText(humidity));
    w.set(T["states.hvacFanIsOn"], fanIsOn);
    w.set(T["states.hvacHeaterIsOn"], heatIsOn);
    w.set(T["states.hvacHumidifierIsOn"], s.humidifierOn);
    w.set(T["states.hvacOperationMode"], hvacMode);
    w.set(T["states.hvacOperationModeIsHeat"], running);
    w.set(T["states.hvacOperationModeIsOff"], !running);
    w.set(T["states.incubatorState"], s.state);
    w.set(T["states.setpointAir"], round(s.setpoints.air, 2));
    w.set(T["states.setpointHeat"], setpoint);
    w.set(T["states.setpointHumidity"], round(s.setpoints.humidity, 1));
    w.set(T["states.setpointOverride"], s.setpoints.override);
    w.set(T["states.setpointSkin"], round(s.setpoints.skin, 2));
    w.set(T["states.temperatureInput1"], air);
    w.set(T["states.temperatureInput2"], skin);
    w.set(T["states.temperatureInput3"], probeAir);
    if (temperaturesMoved) w.set(T["states.temperatureInputsAll"], inputText(air) + ", " + inputText(skin) + ", " + inputText(probeAir));
    w.set(T["temperatures.0"], air);
    w.set(T["temperatures.1"], skin);
    w.set(T["temperatures.2"], probeAir);
  }
}

