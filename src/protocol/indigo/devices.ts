// The 11 Indigo device objects, built once and then kept up to date in place: each device
// sets its dynamic leaves from a snapshot through a PatchWriter, in its object's key order,
// so the writer's entries are the dictdiffer patch of the change. A device whose inputs
// are unchanged returns before computing anything (no string is made for an unchanged
// reading). Key order mirrors Indigo's dictionaries ("class" first, then alphabetical).
import type { Snapshot } from "../../core/api";
import type { JsonObject, JsonValue } from "./diff";
import { round } from "./format";
import { DEVICES, emptyProps, FOLDER_IDS, thermostatPluginProps, type DeviceSpec } from "./model";
import type { PatchWriter } from "./patch-writer";
import { ActiveAlarmCodes, activeAlarmCount, buzzerOn } from "./active-alarms";

const PLUGIN_ID = "org.incunest.firmware";
const PROTOCOL = "indigo.kProtocol.Plugin";

export interface IndigoDevice {
  readonly obj: JsonObject;
  /** Sets the dynamic leaves from `s`; each change becomes an entry of `w`, which marks
   *  where the stamps (lastChanged, lastSuccessfulComm) lie among them. */
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

/** The fields after `name` common to sensors, dimmers and relays, in key order with `extra` merged in. */
function pluginTail(obj: JsonObject, before: JsonObject, states: JsonObject, after: JsonObject): JsonObject {
  copy(obj, before);
  obj.ownerProps = emptyProps();
  obj.pluginId = PLUGIN_ID;
  obj.pluginProps = emptyProps();
  obj.protocol = PROTOCOL;
  obj.remoteDisplay = true;
  copy(obj, after);
  obj.sharedProps = emptyProps();
  obj.states = states;
  obj.subModel = "";
  obj.subType = "";
  return obj;
}

function copy(obj: JsonObject, fields: JsonObject): void {
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) obj[keys[i]] = fields[keys[i]];
}

function celsiusUi(value: number | null): string {
  return value === null ? "no reading" : value.toFixed(2) + " °C";
}

function inputText(value: number | null): string {
  return value === null ? "" : String(value);
}

// ---------------------------------------------------------------------------------------

class Thermostat implements IndigoDevice {
  readonly obj: JsonObject;
  private readonly states: JsonObject;
  private readonly humidities: JsonValue[] = [null];
  private readonly temperatures: JsonValue[] = [null, null, null];
  private readonly alarms = new ActiveAlarmCodes();
  private fresh = true;

  constructor() {
    const spec = DEVICES.incubator;
    const obj = deviceBase(spec, "indigo.ThermostatDevice", FOLDER_IDS.incubator, "IncuNest", "Neonatal incubator: heat setpoint is the active mode's temperature setpoint", "IncuNest", "");
    const states: JsonObject = {};
    for (const key of THERMOSTAT_STATE_KEYS) states[key] = null;
    states.hvacCoolerIsOn = false;
    states.hvacDehumidifierIsOn = false;
    states.hvacFanMode = "indigo.kFanMode.Auto";
    copy(obj, {
      coolIsOn: false,
      coolSetpoint: null,
      dehumidifierIsOn: false,
      fanIsOn: null,
      fanMode: "indigo.kFanMode.Auto",
      heatIsOn: null,
      heatSetpoint: null,
      humidifierIsOn: null,
      humidities: this.humidities,
      humiditySensorCount: 1,
      hvacMode: null,
      ownerProps: emptyProps(),
      pluginId: PLUGIN_ID,
      pluginProps: thermostatPluginProps(),
      protocol: PROTOCOL,
      remoteDisplay: true,
      sharedProps: emptyProps(),
      states,
      subModel: "",
      subType: "",
      supportsCoolSetpoint: false,
      supportsHeatSetpoint: true,
      supportsHvacFanMode: false,
      supportsHvacOperationMode: true,
      supportsStatusRequest: true,
      temperatureSensorCount: 3,
      temperatures: this.temperatures,
      version: 1,
    });
    this.obj = obj;
    this.states = states;
  }

  update(s: Snapshot, w: PatchWriter): void {
    const obj = this.obj;
    const st = this.states;
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
    const uiMoved = fresh || controlled !== obj.displayStateValRaw;
    const humidityMoved = fresh || humidity !== st.humidityInput1;
    const temperaturesMoved = fresh || air !== st.temperatureInput1 || skin !== st.temperatureInput2 || probeAir !== st.temperatureInput3;

    w.set(obj, null, "displayStateId", skinMode ? "temperatureInput2" : "temperatureInput1");
    w.set(obj, null, "displayStateImageSel", !running ? "indigo.kStateImageSel.HvacOff" : heatIsOn ? "indigo.kStateImageSel.HvacHeating" : "indigo.kStateImageSel.HvacHeatMode");
    w.set(obj, null, "displayStateValRaw", controlled);
    if (uiMoved) w.set(obj, null, "displayStateValUi", celsiusUi(controlled));
    w.set(obj, null, "errorState", s.state === "FAULT" ? this.alarms.faultText() : "");
    w.markStamps();
    w.set(obj, null, "fanIsOn", fanIsOn);
    w.set(obj, null, "heatIsOn", heatIsOn);
    w.set(obj, null, "heatSetpoint", setpoint);
    w.set(obj, null, "humidifierIsOn", s.humidifierOn);
    w.set(this.humidities, "humidities", 0, humidity);
    w.set(obj, null, "hvacMode", hvacMode);
    w.set(st, "states", "activeAlarmCount", this.alarms.count);
    if (alarmsMoved) w.set(st, "states", "activeAlarms", this.alarms.joined);
    w.set(st, "states", "controlMode", s.mode);
    w.set(st, "states", "effectiveMode", s.effectiveMode);
    w.set(st, "states", "fanPercent", round(s.fanPercent, 1));
    w.set(st, "states", "heaterPercent", round(s.heaterPercent, 1));
    w.set(st, "states", "humidityInput1", humidity);
    if (humidityMoved) w.set(st, "states", "humidityInputsAll", inputText(humidity));
    w.set(st, "states", "hvacFanIsOn", fanIsOn);
    w.set(st, "states", "hvacHeaterIsOn", heatIsOn);
    w.set(st, "states", "hvacHumidifierIsOn", s.humidifierOn);
    w.set(st, "states", "hvacOperationMode", hvacMode);
    w.set(st, "states", "hvacOperationModeIsHeat", running);
    w.set(st, "states", "hvacOperationModeIsOff", !running);
    w.set(st, "states", "incubatorState", s.state);
    w.set(st, "states", "setpointAir", round(s.setpoints.air, 2));
    w.set(st, "states", "setpointHeat", setpoint);
    w.set(st, "states", "setpointHumidity", round(s.setpoints.humidity, 1));
    w.set(st, "states", "setpointOverride", s.setpoints.override);
    w.set(st, "states", "setpointSkin", round(s.setpoints.skin, 2));
    w.set(st, "states", "temperatureInput1", air);
    w.set(st, "states", "temperatureInput2", skin);
    w.set(st, "states", "temperatureInput3", probeAir);
    if (temperaturesMoved) w.set(st, "states", "temperatureInputsAll", inputText(air) + ", " + inputText(skin) + ", " + inputText(probeAir));
    w.set(this.temperatures, "temperatures", 0, air);
    w.set(this.temperatures, "temperatures", 1, skin);
    w.set(this.temperatures, "temperatures", 2, probeAir);
  }
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

// ---------------------------------------------------------------------------------------

/** A sensor: everything it shows is a function of its rounded reading. */
class Sensor implements IndigoDevice {
  readonly obj: JsonObject;
  private readonly states: JsonObject = { sensorValue: null, "sensorValue.ui": "" };
  private fresh = true;

  constructor(
    spec: DeviceSpec,
    address: string,
    model: string,
    private readonly read: (s: Snapshot) => number | null,
    private readonly text: (value: number) => string,
    private readonly image: (value: number) => string,
  ) {
    const obj = deviceBase(spec, "indigo.SensorDevice", FOLDER_IDS.sensors, address, "", model, "sensorValue");
    this.obj = pluginTail(obj, { onState: null }, this.states, { sensorValue: null });
    copy(obj, { supportsOnState: false, supportsSensorValue: true, supportsStatusRequest: true, version: 1 });
  }

  update(s: Snapshot, w: PatchWriter): void {
    const value = this.read(s);
    if (!this.fresh && value === this.obj.sensorValue) return;
    this.fresh = false;
    const obj = this.obj;
    const ui = value === null ? "no reading" : this.text(value);
    w.set(obj, null, "displayStateImageSel", value === null ? "indigo.kStateImageSel.Error" : this.image(value));
    w.set(obj, null, "displayStateValRaw", value);
    w.set(obj, null, "displayStateValUi", ui);
    w.set(obj, null, "errorState", value === null ? "no valid reading" : "");
    w.markStamps();
    w.set(obj, null, "sensorValue", value);
    w.set(this.states, "states", "sensorValue", value);
    w.set(this.states, "states", "sensorValue.ui", ui);
  }
}

const temperatureImage = (): string => "indigo.kStateImageSel.TemperatureSensorOn";
const humidityImage = (): string => "indigo.kStateImageSel.HumiditySensorOn";
const fanImage = (rpm: number): string => (rpm > 0 ? "indigo.kStateImageSel.FanHigh" : "indigo.kStateImageSel.FanOff");
const celsiusText = (v: number): string => v.toFixed(2) + " °C";
const humidityText = (v: number): string => v.toFixed(1) + " %RH";
const rpmText = (v: number): string => v.toFixed(0) + " rpm";

// ---------------------------------------------------------------------------------------

/** A PWM output: everything it shows is a function of its duty, rounded to 0.1 %. */
class Dimmer implements IndigoDevice {
  readonly obj: JsonObject;
  private readonly states: JsonObject = { brightnessLevel: null, onOffState: null };
  private fresh = true;

  constructor(spec: DeviceSpec, address: string, private readonly read: (s: Snapshot) => number, private readonly onImage: string, private readonly offImage: string) {
    const obj = deviceBase(spec, "indigo.DimmerDevice", FOLDER_IDS.actuators, address, "Driven by the incubator's controller and safety interlocks", "PWM output", "brightnessLevel");
    this.obj = pluginTail(obj, { brightness: null, onState: null }, this.states, {});
    copy(obj, { supportsOnState: true, supportsStatusRequest: true, version: 1 });
  }

  update(s: Snapshot, w: PatchWriter): void {
    const level = round(this.read(s), 1) ?? 0;
    if (!this.fresh && level === this.obj.brightness) return;
    this.fresh = false;
    const obj = this.obj;
    const on = level > 0;
    w.set(obj, null, "displayStateImageSel", on ? this.onImage : this.offImage);
    w.set(obj, null, "displayStateValRaw", level);
    w.set(obj, null, "displayStateValUi", level.toFixed(1) + " %");
    w.markStamps();
    w.set(obj, null, "brightness", level);
    w.set(obj, null, "onState", on);
    w.set(this.states, "states", "brightnessLevel", level);
    w.set(this.states, "states", "onOffState", on);
  }
}

/** A digital output. */
class Relay implements IndigoDevice {
  readonly obj: JsonObject;
  private readonly states: JsonObject = { onOffState: null };

  constructor(spec: DeviceSpec, address: string, description: string, private readonly read: (s: Snapshot) => boolean) {
    const obj = deviceBase(spec, "indigo.RelayDevice", FOLDER_IDS.actuators, address, description, "Digital output", "onOffState");
    this.obj = pluginTail(obj, { onState: null }, this.states, {});
    copy(obj, { supportsOnState: true, supportsStatusRequest: true, version: 1 });
  }

  update(s: Snapshot, w: PatchWriter): void {
    const on = this.read(s);
    const obj = this.obj;
    if (on === obj.onState) return;
    w.set(obj, null, "displayStateImageSel", on ? "indigo.kStateImageSel.PowerOn" : "indigo.kStateImageSel.PowerOff");
    w.set(obj, null, "displayStateValRaw", on);
    w.set(obj, null, "displayStateValUi", on ? "on" : "off");
    w.markStamps();
    w.set(obj, null, "onState", on);
    w.set(this.states, "states", "onOffState", on);
  }
}

// ---------------------------------------------------------------------------------------

/** The devices in feed order (thermostat, sensors, actuators), not yet updated. */
export function makeDevices(): IndigoDevice[] {
  return [
    new Thermostat(),
    new Sensor(DEVICES.airTemperature, "I2C 0x44", "SHT31", (s) => round(s.air, 2), celsiusText, temperatureImage),
    new Sensor(DEVICES.humidity, "I2C 0x44", "SHT31", (s) => round(s.humidity, 1), humidityText, humidityImage),
    new Sensor(DEVICES.skinTemperature, "1-Wire skin probe", "DS18B20", (s) => round(s.skin, 2), celsiusText, temperatureImage),
    new Sensor(DEVICES.probeAirTemperature, "1-Wire air outlet probe", "DS18B20", (s) => round(s.probeAir, 2), celsiusText, temperatureImage),
    new Sensor(DEVICES.fanSpeed, "tachometer input", "Fan tachometer", (s) => round(s.fanRpm, 0), rpmText, fanImage),
    new Dimmer(DEVICES.heater, "PWM heater", (s) => s.heaterPercent, "indigo.kStateImageSel.DimmerOn", "indigo.kStateImageSel.DimmerOff"),
    new Dimmer(DEVICES.fan, "PWM fan", (s) => s.fanPercent, "indigo.kStateImageSel.FanHigh", "indigo.kStateImageSel.FanOff"),
    new Relay(DEVICES.humidifier, "humidifier output", "Ultrasonic humidifier, time-proportioned", (s) => s.humidifierOn),
    new Relay(DEVICES.buzzer, "buzzer output", "Sounds while an alarm is unacknowledged; turnOff acknowledges all alarms", buzzerOn),
    new Relay(DEVICES.alarmLed, "alarm LED output", "Lit while any alarm is active", (s) => activeAlarmCount(s.alarms) > 0),
  ];
}
