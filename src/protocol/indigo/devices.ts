// The 11 Indigo devices. A device keeps only its dynamic leaves' values, in a table of
// leaves (module constants: in flash on the device); its object, mostly constant, is made
// when a client asks for it (refresh, statusRequest) instead of living on the heap. Each
// tick a device sets its leaves from the snapshot through a PatchWriter, in its object's
// key order, so the writer's entries are the dictdiffer patch of the change. A device
// whose inputs are unchanged returns before computing anything (no string is made for an
// unchanged reading). Key order mirrors Indigo's dictionaries ("class" first, then alphabetical).
// Per-device settings are module constants too (no per-device closures).
import type { Snapshot } from "../../core/api";
import type { JsonObject, JsonValue } from "./json";
import { round } from "./format";
import { DEVICES, emptyProps, FOLDER_IDS, thermostatPluginProps, type DeviceSpec } from "./model";
import { fillLeaves, leafIndex, type Leaf, type PatchWriter } from "./patch-writer";
import { ActiveAlarmCodes, activeAlarmCount, buzzerOn } from "./active-alarms";

const PLUGIN_ID = "org.incunest.firmware";
const PROTOCOL = "indigo.kProtocol.Plugin";

export interface IndigoDevice {
  readonly id: number;
  /** Its object with the leaves as last updated, made anew; lastChanged / lastSuccessfulComm
   *  are "" (the publisher keeps the stamps). */
  object(): JsonObject;
  /** Sets the dynamic leaves from `s`; each change becomes an entry of `w` (begun here),
   *  which marks where the stamps (lastChanged, lastSuccessfulComm) lie among them. */
  update(s: Snapshot, w: PatchWriter): void;
}

/** The fields every Indigo device carries; the dynamic ones are placeholders until the first update. */
function deviceBase(spec: DeviceSpec, cls: string, folderId: number, address: string, description: string, model: string, displayStateId: string): JsonObject {
  return {
    class: cls,
    address,
    batteryLevel: null,
    configured: true,
    description,
    deviceTypeId: spec.role,
    displayStateId,
    displayStateImageSel: "",
    displayStateValRaw: null,
    displayStateValUi: "",
    enabled: true,
    energyAccumBaseTime: null,
    energyAccumTimeDelta: null,
    energyAccumTotal: null,
    energyCurLevel: null,
    errorState: "",
    folderId,
    globalProps: emptyProps(),
    id: spec.id,
    lastChanged: "",
    lastSuccessfulComm: "",
    model,
    name: spec.name,
  };
}

// The rest of an object is written key by key (no temporary objects to copy from: a
// refresh makes every object anew).

/** The plugin fields after a plugin device's own leading fields, up to `remoteDisplay`. */
function pluginFields(obj: JsonObject): void {
  obj.ownerProps = emptyProps();
  obj.pluginId = PLUGIN_ID;
  obj.pluginProps = emptyProps();
  obj.protocol = PROTOCOL;
  obj.remoteDisplay = true;
}

/** From `sharedProps` to `subType`, common to sensors, dimmers and relays. */
function tailFields(obj: JsonObject, states: JsonObject): void {
  obj.sharedProps = emptyProps();
  obj.states = states;
  obj.subModel = "";
  obj.subType = "";
}

function celsiusUi(value: number | null): string {
  return value === null ? "no reading" : value.toFixed(2) + " °C";
}

function inputText(value: number | null): string {
  return value === null ? "" : String(value);
}

// ---------------------------------------------------------------------------------------

/** The thermostat's states in key order (the constant ones are set after these placeholders). */
const THERMOSTAT_STATE_KEYS: readonly string[] = Object.freeze([
  "activeAlarmCount", "activeAlarms", "controlMode", "effectiveMode", "fanPercent", "heaterPercent",
  "humidityInput1", "humidityInputsAll", "hvacCoolerIsOn", "hvacDehumidifierIsOn", "hvacFanIsOn",
  "hvacFanMode", "hvacHeaterIsOn", "hvacHumidifierIsOn", "hvacOperationMode", "hvacOperationModeIsHeat",
  "hvacOperationModeIsOff", "incubatorState", "setpointAir", "setpointHeat", "setpointHumidity",
  "setpointOverride", "setpointSkin", "temperatureInput1", "temperatureInput2", "temperatureInput3",
  "temperatureInputsAll",
]);

const root = (key: string): Leaf => Object.freeze([null, key] as const);
const state = (key: string): Leaf => Object.freeze(["states", key] as const);

/** The thermostat's dynamic leaves, in the order its update sets them (its key order). */
const THERMOSTAT_LEAVES: readonly Leaf[] = Object.freeze([
  ...["displayStateId", "displayStateImageSel", "displayStateValRaw", "displayStateValUi", "errorState", "fanIsOn", "heatIsOn", "heatSetpoint", "humidifierIsOn"].map(root),
  Object.freeze(["humidities", 0] as const),
  root("hvacMode"),
  ...THERMOSTAT_STATE_KEYS.filter((k) => k !== "hvacCoolerIsOn" && k !== "hvacDehumidifierIsOn" && k !== "hvacFanMode").map(state),
  Object.freeze(["temperatures", 0] as const),
  Object.freeze(["temperatures", 1] as const),
  Object.freeze(["temperatures", 2] as const),
]);
const T = leafIndex(THERMOSTAT_LEAVES);

/** What a leaf holds before the first update: the object's placeholders. */
function placeholders(leaves: readonly Leaf[], strings: readonly string[]): JsonValue[] {
  const values: JsonValue[] = new Array(leaves.length);
  for (let i = 0; i < leaves.length; i++) values[i] = leaves[i][0] === null && strings.indexOf(leaves[i][1] as string) >= 0 ? "" : null;
  return values;
}

/** The fields whose placeholder is "" (deviceBase's; sensorValue.ui is the sensors' own). */
const STRING_PLACEHOLDERS: readonly string[] = Object.freeze(["displayStateId", "displayStateImageSel", "displayStateValUi", "errorState"]);

class Thermostat implements IndigoDevice {
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

// ---------------------------------------------------------------------------------------

type SensorChannel = "air" | "humidity" | "skin" | "probeAir" | "fanRpm";

interface SensorConfig {
  readonly spec: DeviceSpec;
  readonly address: string;
  readonly model: string;
  readonly channel: SensorChannel;
}

const SENSOR_LEAVES: readonly Leaf[] = Object.freeze([
  ...["displayStateImageSel", "displayStateValRaw", "displayStateValUi", "errorState", "sensorValue"].map(root),
  state("sensorValue"),
  state("sensorValue.ui"),
]);
const S = leafIndex(SENSOR_LEAVES);

/** A sensor: everything it shows is a function of its rounded reading. */
class Sensor implements IndigoDevice {
  readonly id: number;
  private readonly values = placeholders(SENSOR_LEAVES, STRING_PLACEHOLDERS);
  private fresh = true;

  constructor(private readonly config: SensorConfig) {
    this.id = config.spec.id;
    this.values[S["states.sensorValue.ui"]] = "";
  }

  object(): JsonObject {
    const c = this.config;
    const obj = deviceBase(c.spec, "indigo.SensorDevice", FOLDER_IDS.sensors, c.address, "", c.model, "sensorValue");
    obj.onState = null;
    pluginFields(obj);
    obj.sensorValue = null;
    tailFields(obj, { sensorValue: null, "sensorValue.ui": "" });
    obj.supportsOnState = false;
    obj.supportsSensorValue = true;
    obj.supportsStatusRequest = true;
    obj.version = 1;
    fillLeaves(obj, SENSOR_LEAVES, this.values);
    return obj;
  }

  update(s: Snapshot, w: PatchWriter): void {
    const v = this.values;
    w.begin(SENSOR_LEAVES, v);
    const channel = this.config.channel;
    const value = round(s[channel], channel === "fanRpm" ? 0 : channel === "humidity" ? 1 : 2);
    if (!this.fresh && value === v[S.sensorValue]) return;
    this.fresh = false;
    const ui = value === null ? "no reading" : sensorText(channel, value);
    w.set(S.displayStateImageSel, value === null ? "indigo.kStateImageSel.Error" : sensorImage(channel, value));
    w.set(S.displayStateValRaw, value);
    w.set(S.displayStateValUi, ui);
    w.set(S.errorState, value === null ? "no valid reading" : "");
    w.markStamps();
    w.set(S.sensorValue, value);
    w.set(S["states.sensorValue"], value);
    w.set(S["states.sensorValue.ui"], ui);
  }
}

function sensorText(channel: SensorChannel, v: number): string {
  if (channel === "fanRpm") return v.toFixed(0) + " rpm";
  if (channel === "humidity") return v.toFixed(1) + " %RH";
  return v.toFixed(2) + " °C";
}

function sensorImage(channel: SensorChannel, v: number): string {
  if (channel === "fanRpm") return v > 0 ? "indigo.kStateImageSel.FanHigh" : "indigo.kStateImageSel.FanOff";
  if (channel === "humidity") return "indigo.kStateImageSel.HumiditySensorOn";
  return "indigo.kStateImageSel.TemperatureSensorOn";
}

// ---------------------------------------------------------------------------------------

interface DimmerConfig {
  readonly spec: DeviceSpec;
  readonly address: string;
  readonly duty: "heaterPercent" | "fanPercent";
  readonly onImage: string;
  readonly offImage: string;
}

const DIMMER_LEAVES: readonly Leaf[] = Object.freeze([
  ...["displayStateImageSel", "displayStateValRaw", "displayStateValUi", "brightness", "onState"].map(root),
  state("brightnessLevel"),
  state("onOffState"),
]);
const D = leafIndex(DIMMER_LEAVES);

/** A PWM output: everything it shows is a function of its duty, rounded to 0.1 %. */
class Dimmer implements IndigoDevice {
  readonly id: number;
  private readonly values = placeholders(DIMMER_LEAVES, STRING_PLACEHOLDERS);
  private fresh = true;

  constructor(private readonly config: DimmerConfig) {
    this.id = config.spec.id;
  }

  object(): JsonObject {
    const c = this.config;
    const obj = deviceBase(c.spec, "indigo.DimmerDevice", FOLDER_IDS.actuators, c.address, "Driven by the incubator's controller and safety interlocks", "PWM output", "brightnessLevel");
    obj.brightness = null;
    obj.onState = null;
    pluginFields(obj);
    tailFields(obj, { brightnessLevel: null, onOffState: null });
    obj.supportsOnState = true;
    obj.supportsStatusRequest = true;
    obj.version = 1;
    fillLeaves(obj, DIMMER_LEAVES, this.values);
    return obj;
  }

  update(s: Snapshot, w: PatchWriter): void {
    const v = this.values;
    w.begin(DIMMER_LEAVES, v);
    const level = round(s[this.config.duty], 1) ?? 0;
    if (!this.fresh && level === v[D.brightness]) return;
    this.fresh = false;
    const on = level > 0;
    w.set(D.displayStateImageSel, on ? this.config.onImage : this.config.offImage);
    w.set(D.displayStateValRaw, level);
    w.set(D.displayStateValUi, level.toFixed(1) + " %");
    w.markStamps();
    w.set(D.brightness, level);
    w.set(D.onState, on);
    w.set(D["states.brightnessLevel"], level);
    w.set(D["states.onOffState"], on);
  }
}

// ---------------------------------------------------------------------------------------

interface RelayConfig {
  readonly spec: DeviceSpec;
  readonly address: string;
  readonly description: string;
  readonly output: "humidifier" | "buzzer" | "alarmLed";
}

const RELAY_LEAVES: readonly Leaf[] = Object.freeze([
  ...["displayStateImageSel", "displayStateValRaw", "displayStateValUi", "onState"].map(root),
  state("onOffState"),
]);
const R = leafIndex(RELAY_LEAVES);

/** A digital output. */
class Relay implements IndigoDevice {
  readonly id: number;
  private readonly values = placeholders(RELAY_LEAVES, STRING_PLACEHOLDERS);

  constructor(private readonly config: RelayConfig) {
    this.id = config.spec.id;
  }

  object(): JsonObject {
    const c = this.config;
    const obj = deviceBase(c.spec, "indigo.RelayDevice", FOLDER_IDS.actuators, c.address, c.description, "Digital output", "onOffState");
    obj.onState = null;
    pluginFields(obj);
    tailFields(obj, { onOffState: null });
    obj.supportsOnState = true;
    obj.supportsStatusRequest = true;
    obj.version = 1;
    fillLeaves(obj, RELAY_LEAVES, this.values);
    return obj;
  }

  update(s: Snapshot, w: PatchWriter): void {
    const v = this.values;
    w.begin(RELAY_LEAVES, v);
    const output = this.config.output;
    const on = output === "humidifier" ? s.humidifierOn : output === "buzzer" ? buzzerOn(s) : activeAlarmCount(s.alarms) > 0;
    if (on === v[R.onState]) return;
    w.set(R.displayStateImageSel, on ? "indigo.kStateImageSel.PowerOn" : "indigo.kStateImageSel.PowerOff");
    w.set(R.displayStateValRaw, on);
    w.set(R.displayStateValUi, on ? "on" : "off");
    w.markStamps();
    w.set(R.onState, on);
    w.set(R["states.onOffState"], on);
  }
}

// ---------------------------------------------------------------------------------------

const SENSORS: readonly SensorConfig[] = Object.freeze([
  Object.freeze({ spec: DEVICES.airTemperature, address: "I2C 0x44", model: "SHT31", channel: "air" as const }),
  Object.freeze({ spec: DEVICES.humidity, address: "I2C 0x44", model: "SHT31", channel: "humidity" as const }),
  Object.freeze({ spec: DEVICES.skinTemperature, address: "1-Wire skin probe", model: "DS18B20", channel: "skin" as const }),
  Object.freeze({ spec: DEVICES.probeAirTemperature, address: "1-Wire air outlet probe", model: "DS18B20", channel: "probeAir" as const }),
  Object.freeze({ spec: DEVICES.fanSpeed, address: "tachometer input", model: "Fan tachometer", channel: "fanRpm" as const }),
]);

const DIMMERS: readonly DimmerConfig[] = Object.freeze([
  Object.freeze({ spec: DEVICES.heater, address: "PWM heater", duty: "heaterPercent" as const, onImage: "indigo.kStateImageSel.DimmerOn", offImage: "indigo.kStateImageSel.DimmerOff" }),
  Object.freeze({ spec: DEVICES.fan, address: "PWM fan", duty: "fanPercent" as const, onImage: "indigo.kStateImageSel.FanHigh", offImage: "indigo.kStateImageSel.FanOff" }),
]);

const RELAYS: readonly RelayConfig[] = Object.freeze([
  Object.freeze({ spec: DEVICES.humidifier, address: "humidifier output", description: "Ultrasonic humidifier, time-proportioned", output: "humidifier" as const }),
  Object.freeze({ spec: DEVICES.buzzer, address: "buzzer output", description: "Sounds while an alarm is unacknowledged; turnOff acknowledges all alarms", output: "buzzer" as const }),
  Object.freeze({ spec: DEVICES.alarmLed, address: "alarm LED output", description: "Lit while any alarm is active", output: "alarmLed" as const }),
]);

/** The devices in feed order (thermostat, sensors, actuators), not yet updated. */
export function makeDevices(): IndigoDevice[] {
  const out: IndigoDevice[] = [new Thermostat()];
  for (let i = 0; i < SENSORS.length; i++) out.push(new Sensor(SENSORS[i]));
  for (let i = 0; i < DIMMERS.length; i++) out.push(new Dimmer(DIMMERS[i]));
  for (let i = 0; i < RELAYS.length; i++) out.push(new Relay(RELAYS[i]));
  return out;
}
