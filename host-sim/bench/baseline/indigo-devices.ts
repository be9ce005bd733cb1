// BASELINE, frozen for comparison: the 11 Indigo device objects built afresh from a
// snapshot, as the device feed did every tick before it kept its objects (copied from
// src/protocol/indigo/model.ts). Only the differential test and indigo-bench use it.
import type { AlarmInfo, Snapshot } from "../../../src/core/api";
import type { JsonObject, JsonValue } from "./indigo-diff";
import { round } from "../../../src/protocol/indigo/format";
import { DEVICES, FOLDER_IDS, type DeviceSpec } from "../../../src/protocol/indigo/model";

const PLUGIN_ID = "org.incunest.firmware";

let shared: { readonly empty: JsonObject; readonly thermostatPluginProps: JsonObject } | null = null;
function sharedValues(): { readonly empty: JsonObject; readonly thermostatPluginProps: JsonObject } {
  return (shared ??= Object.freeze({
    empty: Object.freeze({}) as JsonObject,
    thermostatPluginProps: Object.freeze({
      NumHumidityInputs: 1,
      NumTemperatureInputs: 3,
      ShowCoolHeatEquipmentStateUI: true,
      SupportsCoolSetpoint: false,
      SupportsHeatSetpoint: true,
      SupportsHvacFanMode: false,
      SupportsHvacOperationMode: true,
    }) as JsonObject,
  }));
}
const empty = (): JsonObject => sharedValues().empty;

const PROTOCOL = "indigo.kProtocol.Plugin";

/** Fields every Indigo device carries; `lastChanged`/`lastSuccessfulComm` are stamped by the publisher. */
function deviceBase(spec: DeviceSpec, cls: string, folderId: number, extra: {
  address: string;
  description: string;
  model: string;
  displayStateId: string;
  displayStateImageSel: string;
  displayStateValRaw: JsonValue;
  displayStateValUi: string;
  errorState: string;
}): JsonObject {
  return {
    class: cls,
    address: extra.address,
    batteryLevel: null,
    configured: true,
    description: extra.description,
    deviceTypeId: spec.role,
    displayStateId: extra.displayStateId,
    displayStateImageSel: extra.displayStateImageSel,
    displayStateValRaw: extra.displayStateValRaw,
    displayStateValUi: extra.displayStateValUi,
    enabled: true,
    energyAccumBaseTime: null,
    energyAccumTimeDelta: null,
    energyAccumTotal: null,
    energyCurLevel: null,
    errorState: extra.errorState,
    folderId,
    globalProps: empty(),
    id: spec.id,
    lastChanged: "",
    lastSuccessfulComm: "",
    model: extra.model,
    name: spec.name,
  };
}

function tail(obj: JsonObject, fields: JsonObject): JsonObject {
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) obj[keys[i]] = fields[keys[i]];
  return obj;
}

function celsiusUi(value: number | null): string {
  return value === null ? "no reading" : value.toFixed(2) + " °C";
}

function alarmsActive(s: Snapshot): AlarmInfo[] {
  return s.alarms.filter((a) => a.active);
}

function thermostat(s: Snapshot): JsonObject {
  const spec = DEVICES.incubator;
  const air = round(s.air, 2);
  const skin = round(s.skin, 2);
  const probeAir = round(s.probeAir, 2);
  const humidity = round(s.humidity, 1);
  const setpoint = round(s.temperatureSetpoint, 2);
  const running = s.state === "PREHEATING" || s.state === "OPERATING";
  const heatIsOn = s.heaterPercent > 0;
  const fanIsOn = s.fanPercent > 0;
  const hvacMode = running ? "indigo.kHvacMode.Heat" : "indigo.kHvacMode.Off";
  const controlled = s.effectiveMode === "skin" ? skin : air;
  const active = alarmsActive(s);
  const obj = deviceBase(spec, "indigo.ThermostatDevice", FOLDER_IDS.incubator, {
    address: "IncuNest",
    description: "Neonatal incubator: heat setpoint is the active mode's temperature setpoint",
    model: "IncuNest",
    displayStateId: s.effectiveMode === "skin" ? "temperatureInput2" : "temperatureInput1",
    displayStateImageSel: !running ? "indigo.kStateImageSel.HvacOff" : heatIsOn ? "indigo.kStateImageSel.HvacHeating" : "indigo.kStateImageSel.HvacHeatMode",
    displayStateValRaw: controlled,
    displayStateValUi: celsiusUi(controlled),
    errorState: s.state === "FAULT" ? "FAULT: " + active.map((a) => a.code).join(", ") : "",
  });
  return tail(obj, {
    coolIsOn: false,
    coolSetpoint: null,
    dehumidifierIsOn: false,
    fanIsOn,
    fanMode: "indigo.kFanMode.Auto",
    heatIsOn,
    heatSetpoint: setpoint,
    humidifierIsOn: s.humidifierOn,
    humidities: [humidity],
    humiditySensorCount: 1,
    hvacMode,
    ownerProps: empty(),
    pluginId: PLUGIN_ID,
    pluginProps: sharedValues().thermostatPluginProps,
    protocol: PROTOCOL,
    remoteDisplay: true,
    sharedProps: empty(),
    states: {
      activeAlarmCount: active.length,
      activeAlarms: active.map((a) => a.code).join(", "),
      controlMode: s.mode,
      effectiveMode: s.effectiveMode,
      fanPercent: round(s.fanPercent, 1),
      heaterPercent: round(s.heaterPercent, 1),
      humidityInput1: humidity,
      humidityInputsAll: humidity === null ? "" : String(humidity),
      hvacCoolerIsOn: false,
      hvacDehumidifierIsOn: false,
      hvacFanIsOn: fanIsOn,
      hvacFanMode: "indigo.kFanMode.Auto",
      hvacHeaterIsOn: heatIsOn,
      hvacHumidifierIsOn: s.humidifierOn,
      hvacOperationMode: hvacMode,
      hvacOperationModeIsHeat: running,
      hvacOperationModeIsOff: !running,
      incubatorState: s.state,
      setpointAir: round(s.setpoints.air, 2),
      setpointHeat: setpoint,
      setpointHumidity: round(s.setpoints.humidity, 1),
      setpointOverride: s.setpoints.override,
      setpointSkin: round(s.setpoints.skin, 2),
      temperatureInput1: air,
      temperatureInput2: skin,
      temperatureInput3: probeAir,
      temperatureInputsAll: [air, skin, probeAir].map((t) => (t === null ? "" : String(t))).join(", "),
    },
    subModel: "",
    subType: "",
    supportsCoolSetpoint: false,
    supportsHeatSetpoint: true,
    supportsHvacFanMode: false,
    supportsHvacOperationMode: true,
    supportsStatusRequest: true,
    temperatureSensorCount: 3,
    temperatures: [air, skin, probeAir],
    version: 1,
  });
}

interface SensorReading {
  readonly value: number | null;
  readonly ui: string;
  readonly image: string;
}

function sensor(spec: DeviceSpec, address: string, model: string, reading: SensorReading): JsonObject {
  const obj = deviceBase(spec, "indigo.SensorDevice", FOLDER_IDS.sensors, {
    address,
    description: "",
    model,
    displayStateId: "sensorValue",
    displayStateImageSel: reading.value === null ? "indigo.kStateImageSel.Error" : reading.image,
    displayStateValRaw: reading.value,
    displayStateValUi: reading.ui,
    errorState: reading.value === null ? "no valid reading" : "",
  });
  return tail(obj, {
    onState: null,
    ownerProps: empty(),
    pluginId: PLUGIN_ID,
    pluginProps: empty(),
    protocol: PROTOCOL,
    remoteDisplay: true,
    sensorValue: reading.value,
    sharedProps: empty(),
    states: { sensorValue: reading.value, "sensorValue.ui": reading.ui },
    subModel: "",
    subType: "",
    supportsOnState: false,
    supportsSensorValue: true,
    supportsStatusRequest: true,
    version: 1,
  });
}

function temperatureReading(value: number | null): SensorReading {
  const v = round(value, 2);
  return { value: v, ui: celsiusUi(v), image: "indigo.kStateImageSel.TemperatureSensorOn" };
}

function dimmer(spec: DeviceSpec, address: string, percent: number, onImage: string, offImage: string): JsonObject {
  const level = round(percent, 1) ?? 0;
  const on = level > 0;
  const obj = deviceBase(spec, "indigo.DimmerDevice", FOLDER_IDS.actuators, {
    address,
    description: "Driven by the incubator's controller and safety interlocks",
    model: "PWM output",
    displayStateId: "brightnessLevel",
    displayStateImageSel: on ? onImage : offImage,
    displayStateValRaw: level,
    displayStateValUi: level.toFixed(1) + " %",
    errorState: "",
  });
  return tail(obj, {
    brightness: level,
    onState: on,
    ownerProps: empty(),
    pluginId: PLUGIN_ID,
    pluginProps: empty(),
    protocol: PROTOCOL,
    remoteDisplay: true,
    sharedProps: empty(),
    states: { brightnessLevel: level, onOffState: on },
    subModel: "",
    subType: "",
    supportsOnState: true,
    supportsStatusRequest: true,
    version: 1,
  });
}

function relay(spec: DeviceSpec, address: string, description: string, on: boolean): JsonObject {
  const obj = deviceBase(spec, "indigo.RelayDevice", FOLDER_IDS.actuators, {
    address,
    description,
    model: "Digital output",
    displayStateId: "onOffState",
    displayStateImageSel: on ? "indigo.kStateImageSel.PowerOn" : "indigo.kStateImageSel.PowerOff",
    displayStateValRaw: on,
    displayStateValUi: on ? "on" : "off",
    errorState: "",
  });
  return tail(obj, {
    onState: on,
    ownerProps: empty(),
    pluginId: PLUGIN_ID,
    pluginProps: empty(),
    protocol: PROTOCOL,
    remoteDisplay: true,
    sharedProps: empty(),
    states: { onOffState: on },
    subModel: "",
    subType: "",
    supportsOnState: true,
    supportsStatusRequest: true,
    version: 1,
  });
}

/** The buzzer sounds while an active alarm is not acknowledged (acknowledging pauses audio). */
function buzzerOn(s: Snapshot): boolean {
  return s.alarms.some((a) => a.active && !a.acknowledged);
}

export function buildBaselineDevices(s: Snapshot): JsonObject[] {
  const humidity = round(s.humidity, 1);
  const rpm = round(s.fanRpm, 0);
  return [
    thermostat(s),
    sensor(DEVICES.airTemperature, "I2C 0x44", "SHT31", temperatureReading(s.air)),
    sensor(DEVICES.humidity, "I2C 0x44", "SHT31", {
      value: humidity,
      ui: humidity === null ? "no reading" : humidity.toFixed(1) + " %RH",
      image: "indigo.kStateImageSel.HumiditySensorOn",
    }),
    sensor(DEVICES.skinTemperature, "1-Wire skin probe", "DS18B20", temperatureReading(s.skin)),
    sensor(DEVICES.probeAirTemperature, "1-Wire air outlet probe", "DS18B20", temperatureReading(s.probeAir)),
    sensor(DEVICES.fanSpeed, "tachometer input", "Fan tachometer", {
      value: rpm,
      ui: rpm === null ? "no reading" : rpm.toFixed(0) + " rpm",
      image: rpm !== null && rpm > 0 ? "indigo.kStateImageSel.FanHigh" : "indigo.kStateImageSel.FanOff",
    }),
    dimmer(DEVICES.heater, "PWM heater", s.heaterPercent, "indigo.kStateImageSel.DimmerOn", "indigo.kStateImageSel.DimmerOff"),
    dimmer(DEVICES.fan, "PWM fan", s.fanPercent, "indigo.kStateImageSel.FanHigh", "indigo.kStateImageSel.FanOff"),
    relay(DEVICES.humidifier, "humidifier output", "Ultrasonic humidifier, time-proportioned", s.humidifierOn),
    relay(DEVICES.buzzer, "buzzer output", "Sounds while an alarm is unacknowledged; turnOff acknowledges all alarms", buzzerOn(s)),
    relay(DEVICES.alarmLed, "alarm LED output", "Lit while any alarm is active", alarmsActive(s).length > 0),
  ];
}
