// The 11 Indigo devices. A device keeps only its dynamic leaves' values, in a table of
// leaves (module constants: in flash on the device); its object, mostly constant, is made
// when a client asks for it (refresh, statusRequest) instead of living on the heap. Each
// tick a device sets its leaves from the snapshot through a PatchWriter, in its object's
// key order, so the writer's entries are the dictdiffer patch of the change. A device
// whose inputs are unchanged returns before computing anything (no string is made for an
// unchanged reading). Key order mirrors Indigo's dictionaries ("class" first, then alphabetical).
// Per-device settings are module constants too (no per-device closures). The thermostat is
// in thermostat-device.ts, what all devices share in device-fields.ts.
import type { Snapshot } from "../../core/api";
import type { JsonObject } from "./json";
import { round } from "./format";
import { DEVICES, FOLDER_IDS, type DeviceSpec } from "./model";
import { fillLeaves, leafIndex, leafOpenings, type Leaf, type PatchWriter } from "./patch-writer";
import { activeAlarmCount, buzzerOn } from "./active-alarms";
import { deviceBase, placeholders, pluginFields, rootLeaf, stateLeaf, STRING_PLACEHOLDERS, tailFields, type IndigoDevice } from "./device-fields";

/** The texts an update sets, read from a table: on XS a string literal in preloaded code is
 *  copied into a new chunk each time it is evaluated (docs/device.md, "Memory on XS"). */
const X = Object.freeze({
  empty: "", noReading: "no reading", noValidReading: "no valid reading", on: "on", off: "off",
  fanRpm: "fanRpm", humidity: "humidity", humidifier: "humidifier", buzzer: "buzzer",
  rpm: " rpm", percentRh: " %RH", celsius: " °C", percent: " %",
  imageError: "indigo.kStateImageSel.Error", imageFanHigh: "indigo.kStateImageSel.FanHigh", imageFanOff: "indigo.kStateImageSel.FanOff",
  imageHumidity: "indigo.kStateImageSel.HumiditySensorOn", imageTemperature: "indigo.kStateImageSel.TemperatureSensorOn",
  imagePowerOn: "indigo.kStateImageSel.PowerOn", imagePowerOff: "indigo.kStateImageSel.PowerOff",
});
import { Thermostat } from "./thermostat-device";

export type { IndigoDevice } from "./device-fields";

// ---------------------------------------------------------------------------------------

type SensorChannel = "air" | "humidity" | "skin" | "probeAir" | "fanRpm";

interface SensorConfig {
  readonly spec: DeviceSpec;
  readonly address: string;
  readonly model: string;
  readonly channel: SensorChannel;
}

const SENSOR_LEAVES: readonly Leaf[] = Object.freeze([
  ...["displayStateImageSel", "displayStateValRaw", "displayStateValUi", "errorState", "sensorValue"].map(rootLeaf),
  stateLeaf("sensorValue"),
  stateLeaf("sensorValue.ui"),
]);
const S = leafIndex(SENSOR_LEAVES);
const SENSOR_OPENINGS = leafOpenings(SENSOR_LEAVES);

/** A sensor: everything it shows is a function of its rounded reading. */
class Sensor implements IndigoDevice {
  readonly id: number;
  private readonly values = placeholders(SENSOR_LEAVES, STRING_PLACEHOLDERS);
  private fresh = true;

  constructor(private readonly config: SensorConfig) {
    this.id = config.spec.id;
    this.values[S.states_sensorValue_ui] = "";
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
    w.begin(SENSOR_OPENINGS, v);
    const channel = this.config.channel;
    const value = round(s[channel], channel === X.fanRpm ? 0 : channel === X.humidity ? 1 : 2);
    if (!this.fresh && value === v[S.sensorValue]) return;
    this.fresh = false;
    const ui = value === null ? X.noReading : sensorText(channel, value);
    w.set(S.displayStateImageSel, value === null ? X.imageError : sensorImage(channel, value));
    w.set(S.displayStateValRaw, value);
    w.set(S.displayStateValUi, ui);
    w.set(S.errorState, value === null ? X.noValidReading : X.empty);
    w.markStamps();
    w.set(S.sensorValue, value);
    w.set(S.states_sensorValue, value);
    w.set(S.states_sensorValue_ui, ui);
  }
}

function sensorText(channel: SensorChannel, v: number): string {
  if (channel === X.fanRpm) return v.toFixed(0) + X.rpm;
  if (channel === X.humidity) return v.toFixed(1) + X.percentRh;
  return v.toFixed(2) + X.celsius;
}

function sensorImage(channel: SensorChannel, v: number): string {
  if (channel === X.fanRpm) return v > 0 ? X.imageFanHigh : X.imageFanOff;
  if (channel === X.humidity) return X.imageHumidity;
  return X.imageTemperature;
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
  ...["displayStateImageSel", "displayStateValRaw", "displayStateValUi", "brightness", "onState"].map(rootLeaf),
  stateLeaf("brightnessLevel"),
  stateLeaf("onOffState"),
]);
const D = leafIndex(DIMMER_LEAVES);
const DIMMER_OPENINGS = leafOpenings(DIMMER_LEAVES);

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
    w.begin(DIMMER_OPENINGS, v);
    const level = round(s[this.config.duty], 1) ?? 0;
    if (!this.fresh && level === v[D.brightness]) return;
    this.fresh = false;
    const on = level > 0;
    w.set(D.displayStateImageSel, on ? this.config.onImage : this.config.offImage);
    w.set(D.displayStateValRaw, level);
    w.set(D.displayStateValUi, level.toFixed(1) + X.percent);
    w.markStamps();
    w.set(D.brightness, level);
    w.set(D.onState, on);
    w.set(D.states_brightnessLevel, level);
    w.set(D.states_onOffState, on);
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
  ...["displayStateImageSel", "displayStateValRaw", "displayStateValUi", "onState"].map(rootLeaf),
  stateLeaf("onOffState"),
]);
const R = leafIndex(RELAY_LEAVES);
const RELAY_OPENINGS = leafOpenings(RELAY_LEAVES);

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
    w.begin(RELAY_OPENINGS, v);
    const output = this.config.output;
    const on = output === X.humidifier ? s.humidifierOn : output === X.buzzer ? buzzerOn(s) : activeAlarmCount(s.alarms) > 0;
    if (on === v[R.onState]) return;
    w.set(R.displayStateImageSel, on ? X.imagePowerOn : X.imagePowerOff);
    w.set(R.displayStateValRaw, on);
    w.set(R.displayStateValUi, on ? X.on : X.off);
    w.markStamps();
    w.set(R.onState, on);
    w.set(R.states_onOffState, on);
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
