// The IncuNest Incubator as an indigo.ThermostatDevice: the active mode's setpoint, the
// three temperatures and the humidity, outputs, states and alarms (see README.md).
import type { Snapshot } from "../../core/api";
import type { JsonObject } from "./json";
import { round } from "./format";
import { DEVICES, emptyProps, FOLDER_IDS, thermostatPluginProps } from "./model";
import { fillLeaves, leafIndex, leafOpenings, type Leaf, type PatchWriter } from "./patch-writer";
import { ActiveAlarmCodes } from "./active-alarms";
import { deviceBase, placeholders, PLUGIN_ID, PROTOCOL, rootLeaf, stateLeaf, STRING_PLACEHOLDERS, type IndigoDevice } from "./device-fields";

/** The texts an update sets, read from a table: on XS a string literal in preloaded code is
 *  copied into a new chunk each time it is evaluated (docs/device.md, "Memory on XS"). */
const X = Object.freeze({
  empty: "", noReading: "no reading", celsius: " °C", listSeparator: ", ", skin: "skin",
  preheating: "PREHEATING", operating: "OPERATING", fault: "FAULT",
  heat: "indigo.kHvacMode.Heat", off: "indigo.kHvacMode.Off",
  input1: "temperatureInput1", input2: "temperatureInput2",
  imageOff: "indigo.kStateImageSel.HvacOff", imageHeating: "indigo.kStateImageSel.HvacHeating", imageHeatMode: "indigo.kStateImageSel.HvacHeatMode",
});

function celsiusUi(value: number | null): string {
  return value === null ? X.noReading : value.toFixed(2) + X.celsius;
}

function inputText(value: number | null): string {
  return value === null ? X.empty : String(value);
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
const THERMOSTAT_OPENINGS = leafOpenings(THERMOSTAT_LEAVES);

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
    w.begin(THERMOSTAT_OPENINGS, v);
    const fresh = this.fresh;
    this.fresh = false;
    const air = round(s.air, 2);
    const skin = round(s.skin, 2);
    const probeAir = round(s.probeAir, 2);
    const humidity = round(s.humidity, 1);
    const setpoint = round(s.temperatureSetpoint, 2);
    const running = s.state === X.preheating || s.state === X.operating;
    const heatIsOn = s.heaterPercent > 0;
    const fanIsOn = s.fanPercent > 0;
    const hvacMode = running ? X.heat : X.off;
    const skinMode = s.effectiveMode === X.skin;
    const controlled = skinMode ? skin : air;
    const alarmsMoved = this.alarms.refresh(s.alarms) || fresh;
    // Strings are made only when what they show moved (compared before the leaves are set).
    const uiMoved = fresh || controlled !== v[T.displayStateValRaw];
    const humidityMoved = fresh || humidity !== v[T.states_humidityInput1];
    const temperaturesMoved = fresh || air !== v[T.states_temperatureInput1] || skin !== v[T.states_temperatureInput2] || probeAir !== v[T.states_temperatureInput3];

    w.set(T.displayStateId, skinMode ? X.input2 : X.input1);
    w.set(T.displayStateImageSel, !running ? X.imageOff : heatIsOn ? X.imageHeating : X.imageHeatMode);
    w.set(T.displayStateValRaw, controlled);
    if (uiMoved) w.set(T.displayStateValUi, celsiusUi(controlled));
    w.set(T.errorState, s.state === X.fault ? this.alarms.faultText() : X.empty);
    w.markStamps();
    w.set(T.fanIsOn, fanIsOn);
    w.set(T.heatIsOn, heatIsOn);
    w.set(T.heatSetpoint, setpoint);
    w.set(T.humidifierIsOn, s.humidifierOn);
    w.set(T.humidities_0, humidity);
    w.set(T.hvacMode, hvacMode);
    w.set(T.states_activeAlarmCount, this.alarms.count);
    if (alarmsMoved) w.set(T.states_activeAlarms, this.alarms.joined);
    w.set(T.states_controlMode, s.mode);
    w.set(T.states_effectiveMode, s.effectiveMode);
    w.set(T.states_fanPercent, round(s.fanPercent, 1));
    w.set(T.states_heaterPercent, round(s.heaterPercent, 1));
    w.set(T.states_humidityInput1, humidity);
    if (humidityMoved) w.set(T.states_humidityInputsAll, inputText(humidity));
    w.set(T.states_hvacFanIsOn, fanIsOn);
    w.set(T.states_hvacHeaterIsOn, heatIsOn);
    w.set(T.states_hvacHumidifierIsOn, s.humidifierOn);
    w.set(T.states_hvacOperationMode, hvacMode);
    w.set(T.states_hvacOperationModeIsHeat, running);
    w.set(T.states_hvacOperationModeIsOff, !running);
    w.set(T.states_incubatorState, s.state);
    w.set(T.states_setpointAir, round(s.setpoints.air, 2));
    w.set(T.states_setpointHeat, setpoint);
    w.set(T.states_setpointHumidity, round(s.setpoints.humidity, 1));
    w.set(T.states_setpointOverride, s.setpoints.override);
    w.set(T.states_setpointSkin, round(s.setpoints.skin, 2));
    w.set(T.states_temperatureInput1, air);
    w.set(T.states_temperatureInput2, skin);
    w.set(T.states_temperatureInput3, probeAir);
    if (temperaturesMoved) w.set(T.states_temperatureInputsAll, inputText(air) + X.listSeparator + inputText(skin) + X.listSeparator + inputText(probeAir));
    w.set(T.temperatures_0, air);
    w.set(T.temperatures_1, skin);
    w.set(T.temperatures_2, probeAir);
  }
}

