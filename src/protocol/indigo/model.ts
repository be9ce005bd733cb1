// The incubator as Indigo objects: the devices' identities (their objects are in
// devices.ts), variables, action groups, a control page and their folders, built from one
// core Snapshot. Key order mirrors Indigo's dictionaries
// ("class" first, then alphabetical), so our patches list changes in the order Indigo's do.
import type { Snapshot } from "../../core/api";
import type { JsonObject } from "./json";
import { activeAlarmCount } from "./active-alarms";
import { round } from "./format";
import { stableId } from "./ids";

export const OBJECT_TYPES = Object.freeze({
  device: "indigo.Device",
  variable: "indigo.Variable",
  actionGroup: "indigo.ActionGroup",
  controlPage: "indigo.ControlPage",
  logEvent: "indigo.LogEvent",
} as const);

export type ObjectKind = "device" | "variable" | "actionGroup" | "controlPage";

// Shared frozen values for the parts that never change: the diff skips identical
// references without walking them (it matters on XS, where every key costs). Made at first
// use, not when the module loads: on the device this module is preloaded into flash, and
// XS's JSON.stringify refuses an object there ("read only value").
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

/** The shared frozen {} of every object's empty props. */
export const emptyProps = empty;

export function thermostatPluginProps(): JsonObject {
  return sharedValues().thermostatPluginProps;
}

/** What a device is, for the commands it accepts. */
export type DeviceRole =
  | "thermostat"
  | "sensor"
  | "heater"
  | "fan"
  | "humidifier"
  | "buzzer"
  | "alarmLed";

// ---------------------------------------------------------------------------------------
// Folders

interface FolderSpec {
  readonly kind: ObjectKind;
  readonly key: string;
  readonly name: string;
}

const FOLDER_SPECS: readonly FolderSpec[] = Object.freeze([
  Object.freeze({ kind: "device", key: "folder:device:incubator", name: "IncuNest" }),
  Object.freeze({ kind: "device", key: "folder:device:sensors", name: "IncuNest Sensors" }),
  Object.freeze({ kind: "device", key: "folder:device:actuators", name: "IncuNest Actuators" }),
  Object.freeze({ kind: "variable", key: "folder:variable:incubator", name: "IncuNest" }),
  Object.freeze({ kind: "actionGroup", key: "folder:actionGroup:incubator", name: "IncuNest" }),
  Object.freeze({ kind: "controlPage", key: "folder:controlPage:incubator", name: "IncuNest" }),
]);

export const FOLDER_IDS = Object.freeze({
  incubator: stableId("folder:device:incubator"),
  sensors: stableId("folder:device:sensors"),
  actuators: stableId("folder:device:actuators"),
  variables: stableId("folder:variable:incubator"),
  actionGroups: stableId("folder:actionGroup:incubator"),
  pages: stableId("folder:controlPage:incubator"),
});

export function folders(kind: ObjectKind): JsonObject[] {
  const out: JsonObject[] = [];
  for (const spec of FOLDER_SPECS) {
    if (spec.kind === kind) out.push({ id: stableId(spec.key), class: "indigo.Folder", name: spec.name, remoteDisplay: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Devices

export interface DeviceSpec {
  readonly key: string;
  readonly id: number;
  readonly name: string;
  readonly role: DeviceRole;
}

function device(key: string, name: string, role: DeviceRole): DeviceSpec {
  return Object.freeze({ key, id: stableId(key), name, role });
}

export const DEVICES = Object.freeze({
  incubator: device("device:incubator", "IncuNest Incubator", "thermostat"),
  airTemperature: device("device:sensor:air", "Air Temperature (SHT31)", "sensor"),
  humidity: device("device:sensor:humidity", "Humidity (SHT31)", "sensor"),
  skinTemperature: device("device:sensor:skin", "Skin Temperature (DS18B20)", "sensor"),
  probeAirTemperature: device("device:sensor:probeAir", "Air Outlet Temperature (DS18B20, cut-out)", "sensor"),
  fanSpeed: device("device:sensor:fanTach", "Fan Tachometer", "sensor"),
  heater: device("device:actuator:heater", "Heater", "heater"),
  fan: device("device:actuator:fan", "Fan", "fan"),
  humidifier: device("device:actuator:humidifier", "Humidifier", "humidifier"),
  buzzer: device("device:actuator:buzzer", "Alarm Buzzer", "buzzer"),
  alarmLed: device("device:actuator:alarmLed", "Alarm LED", "alarmLed"),
});

export const DEVICE_LIST: readonly DeviceSpec[] = Object.freeze(Object.values(DEVICES));

// ---------------------------------------------------------------------------------------
// Variables

/** How a writable variable's string value becomes a command. */
export type VariableWrite =
  | { readonly kind: "number"; readonly action: "set_temperature" | "set_humidity"; readonly field: "setpoint" }
  | { readonly kind: "mode" };

/** What a variable's value is made from: equal inputs give equal values, so the value
 *  string is made only when the input moved. */
export type VariableInput = string | number | boolean | null;

export interface VariableSpec {
  readonly key: string;
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly read: (s: Snapshot) => VariableInput;
  readonly text: (input: VariableInput) => string;
  /** Absent: read-only. */
  readonly write?: VariableWrite;
}

function variable(name: string, description: string, read: (s: Snapshot) => VariableInput, text: (input: VariableInput) => string, write?: VariableWrite): VariableSpec {
  const key = "variable:" + name;
  return Object.freeze({ key, id: stableId(key), name, description, read, text, write: write && Object.freeze(write) });
}

const asText = (v: VariableInput): string => v as string;
/** The shortest decimal of an already rounded number ("36.5", "37"), "" for none. */
const plain = (v: VariableInput): string => (v === null ? "" : String(v));
const fixed1 = (v: VariableInput): string => (v === null ? "" : (v as number).toFixed(1));
const fixed2 = (v: VariableInput): string => (v === null ? "" : (v as number).toFixed(2));

export const VARIABLES: readonly VariableSpec[] = Object.freeze([
  variable("incubator_state", "STANDBY, PREHEATING, OPERATING or FAULT (use the action groups to change it)", (s) => s.state, asText),
  variable("control_mode", "air or skin", (s) => s.mode, asText, { kind: "mode" }),
  variable("effective_mode", "the mode actually in control (air while skin mode has fallen back)", (s) => s.effectiveMode, asText),
  variable("setpoint_temperature", "the active mode's temperature setpoint, °C", (s) => round(s.temperatureSetpoint, 2), plain, {
    kind: "number",
    action: "set_temperature",
    field: "setpoint",
  }),
  variable("setpoint_air", "air temperature setpoint, °C", (s) => round(s.setpoints.air, 2), plain),
  variable("setpoint_skin", "skin temperature setpoint, °C", (s) => round(s.setpoints.skin, 2), plain),
  variable("setpoint_humidity", "relative humidity setpoint, %RH", (s) => round(s.setpoints.humidity, 1), fixed1, {
    kind: "number",
    action: "set_humidity",
    field: "setpoint",
  }),
  variable("setpoint_override", "true while the air setpoint may exceed 37.0 °C", (s) => s.setpoints.override, (v) => (v ? "true" : "false")),
  variable("air_temperature", "measured air temperature, °C", (s) => round(s.air, 2), fixed2),
  variable("skin_temperature", "measured skin temperature, °C", (s) => round(s.skin, 2), fixed2),
  variable("air_outlet_temperature", "independent air probe (cut-out channel), °C", (s) => round(s.probeAir, 2), fixed2),
  variable("humidity", "measured relative humidity, %RH", (s) => round(s.humidity, 1), fixed1),
  variable("alarm_count", "number of active alarms", (s) => activeAlarmCount(s.alarms), (v) => String(v)),
]);

/** One read-only variable per active alarm, added when it is raised and deleted when it clears. */
export function alarmVariableId(code: string): number {
  return stableId("variable:alarm:" + code);
}

// ---------------------------------------------------------------------------------------
// Action groups

export interface ActionGroupSpec {
  readonly key: string;
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly action: "set_state" | "acknowledge_all";
  readonly data: Readonly<Record<string, string>>;
}

function actionGroup(slug: string, name: string, description: string, action: ActionGroupSpec["action"], data: Record<string, string>): ActionGroupSpec {
  const key = "actionGroup:" + slug;
  return Object.freeze({ key, id: stableId(key), name, description, action, data: Object.freeze(data) });
}

export const ACTION_GROUPS: readonly ActionGroupSpec[] = Object.freeze([
  actionGroup("start", "Start therapy", "STANDBY → PREHEATING", "set_state", { state: "start" }),
  actionGroup("standby", "Standby", "heater and humidifier off, monitoring on", "set_state", { state: "standby" }),
  actionGroup("acknowledgeAll", "Acknowledge all alarms", "pauses alarm audio for 10 minutes", "acknowledge_all", {}),
  actionGroup("reset", "Reset fault", "leaves FAULT once its cause is gone", "set_state", { state: "reset" }),
]);

export function buildActionGroups(): JsonObject[] {
  return ACTION_GROUPS.map((spec) => ({
    class: "indigo.ActionGroup",
    description: spec.description,
    folderId: FOLDER_IDS.actionGroups,
    globalProps: empty(),
    id: spec.id,
    name: spec.name,
    pluginProps: empty(),
    remoteDisplay: true,
    sharedProps: empty(),
  }));
}

// ---------------------------------------------------------------------------------------
// Control pages

export const DASHBOARD_PAGE_ID = stableId("controlPage:dashboard");

export function buildControlPages(): JsonObject[] {
  return [
    {
      class: "indigo.ControlPage",
      backgroundImage: "",
      description: "Incubator dashboard: temperatures, humidity, setpoints, actuators and alarms",
      folderId: FOLDER_IDS.pages,
      globalProps: empty(),
      hideTabBar: true,
      id: DASHBOARD_PAGE_ID,
      name: "IncuNest Dashboard",
      pluginProps: empty(),
      remoteDisplay: true,
      sharedProps: empty(),
    },
  ];
}
