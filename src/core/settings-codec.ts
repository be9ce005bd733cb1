// What survives a reboot, encoded for a SettingsStore that holds integers and strings only
// (Moddable `preference` on the device: no floats, keys of at most 15 characters, values
// of at most 4000 bytes). Every stored value is checked on load; a missing or corrupt one
// falls back to its safe default and the reason is returned for the log.
import type { AlarmCode, AlarmInfo, AlarmLevel, AlarmPriority, Setpoints } from "./api";
import { DEFAULT_SETTINGS, SETPOINT_LIMITS } from "./control-config";
import type { ControlMode, SettingsStore } from "./types";

export interface StoredSettings {
  readonly setpoints: Setpoints;
  readonly mode: ControlMode;
  /** Therapy (PREHEATING or OPERATING) was running when last saved. */
  readonly therapyActive: boolean;
  /** null: none stored (the device entry then uses its configured key). */
  readonly apiKey: string | null;
  /** Oldest first, at most ALARM_HISTORY_LENGTH. */
  readonly alarmHistory: readonly AlarmInfo[];
}

export interface LoadedSettings {
  readonly settings: StoredSettings;
  /** One sentence per value that was missing or corrupt and what was used instead. */
  readonly problems: readonly string[];
  /** The first alarm id not used by the restored history (ids stay unique across reboots). */
  readonly nextAlarmId: number;
}

export const ALARM_HISTORY_LENGTH = 50;

/** The store's keys (≤ 15 characters for ESP32 NVS). */
export const SETTINGS_KEYS = Object.freeze({
  version: "v",
  air: "air", // hundredths of °C
  skin: "skin", // hundredths of °C
  humidity: "humidity", // hundredths of %RH
  override: "override", // 0 | 1
  mode: "mode", // 0 = air, 1 = skin
  therapy: "therapy", // 0 | 1
  apiKey: "apiKey",
  alarms: "alarms",
});

const FORMAT_VERSION = 1;

/** A stored setpoint must lie in its command range. */
const STORED_RANGES = SETPOINT_LIMITS;

/** Safe defaults: the core's default setpoints, therapy not running (a failed load never starts heating). */
export const SAFE_DEFAULTS: StoredSettings = Object.freeze({
  setpoints: Object.freeze({ air: DEFAULT_SETTINGS.air, skin: DEFAULT_SETTINGS.skin, humidity: DEFAULT_SETTINGS.humidity, override: false }),
  mode: DEFAULT_SETTINGS.mode,
  therapyActive: false,
  apiKey: null,
  alarmHistory: Object.freeze([]) as readonly AlarmInfo[],
});

/** API keys: printable ASCII without spaces, so they travel in a header and a query unescaped. */
const API_KEY_PATTERN = /^[A-Za-z0-9._~!$&'()*+,;=:@-]{8,128}$/;

export function apiKeyProblem(key: string): string | null {
  return API_KEY_PATTERN.test(key) ? null : "an API key must be 8 to 128 printable characters without spaces, quotes, '/', '?', '#' or '%'";
}

const MODES: readonly ControlMode[] = Object.freeze(["air", "skin"]);

function toHundredths(value: number): number {
  return Math.round(value * 100);
}

function readBoolean(store: SettingsStore, key: string, what: string, fallback: boolean, problems: string[]): boolean {
  const raw = store.getInt(key);
  if (raw === 0 || raw === 1) return raw === 1;
  problems.push(`${raw === undefined ? "no stored" : `corrupt stored (${String(raw)})`} ${what}; using ${fallback ? "yes" : "no"}`);
  return fallback;
}

function readHundredths(
  store: SettingsStore,
  key: string,
  what: string,
  unit: string,
  min: number,
  max: number,
  fallback: number,
  problems: string[],
): number {
  const raw = store.getInt(key);
  const value = raw === undefined ? NaN : raw / 100;
  if (raw !== undefined && Number.isInteger(raw) && value >= min && value <= max) return value;
  const why = raw === undefined ? "no stored" : !Number.isInteger(raw) ? `corrupt stored (not an integer: ${String(raw)})` : `out-of-range stored (${value.toFixed(2)} ${unit}, allowed ${min.toFixed(1)}-${max.toFixed(1)})`;
  problems.push(`${why} ${what}; using ${fallback.toFixed(2)} ${unit}`);
  return fallback;
}

/** Reads everything that survives a reboot; never throws, never returns an unsafe value. */
export function loadSettings(store: SettingsStore, defaults: StoredSettings = SAFE_DEFAULTS): LoadedSettings {
  const problems: string[] = [];
  const version = store.getInt(SETTINGS_KEYS.version);
  if (version !== undefined && version !== FORMAT_VERSION) {
    problems.push(`stored settings have format version ${String(version)}, this firmware reads ${FORMAT_VERSION}; using defaults for what does not decode`);
  }
  const override = readBoolean(store, SETTINGS_KEYS.override, "air setpoint override", false, problems);
  const d = defaults.setpoints;
  const airMax = override ? STORED_RANGES.air.overrideMax : STORED_RANGES.air.max;
  const air = readHundredths(store, SETTINGS_KEYS.air, "air setpoint", "°C", STORED_RANGES.air.min, airMax, Math.min(d.air, airMax), problems);
  const skin = readHundredths(store, SETTINGS_KEYS.skin, "skin setpoint", "°C", STORED_RANGES.skin.min, STORED_RANGES.skin.max, d.skin, problems);
  const humidity = readHundredths(store, SETTINGS_KEYS.humidity, "humidity setpoint", "%RH", STORED_RANGES.humidity.min, STORED_RANGES.humidity.max, d.humidity, problems);

  const modeIndex = store.getInt(SETTINGS_KEYS.mode);
  let mode = defaults.mode;
  if (modeIndex !== undefined && Number.isInteger(modeIndex) && modeIndex >= 0 && modeIndex < MODES.length) mode = MODES[modeIndex];
  else problems.push(`${modeIndex === undefined ? "no stored" : `corrupt stored (${String(modeIndex)})`} control mode; using ${defaults.mode}`);

  const therapyActive = readBoolean(store, SETTINGS_KEYS.therapy, "therapy state", defaults.therapyActive, problems);

  let apiKey = defaults.apiKey;
  const storedKey = store.getString(SETTINGS_KEYS.apiKey);
  if (storedKey !== undefined) {
    const why = apiKeyProblem(storedKey);
    if (why) problems.push(`corrupt stored API key (${why}); using ${defaults.apiKey === null ? "the configured key" : "the default key"}`);
    else apiKey = storedKey;
  }

  let alarmHistory = defaults.alarmHistory;
  const storedAlarms = store.getString(SETTINGS_KEYS.alarms);
  if (storedAlarms !== undefined) {
    const decoded = decodeAlarmHistory(storedAlarms);
    if (typeof decoded === "string") problems.push(`corrupt stored alarm history (${decoded}); starting an empty history`);
    else alarmHistory = decoded;
  }
  let nextAlarmId = 1;
  for (const alarm of alarmHistory) nextAlarmId = Math.max(nextAlarmId, alarm.id + 1);

  return {
    settings: Object.freeze({ setpoints: Object.freeze({ air, skin, humidity, override }), mode, therapyActive, apiKey, alarmHistory }),
    problems: Object.freeze(problems),
    nextAlarmId,
  };
}

function setIntIfChanged(store: SettingsStore, key: string, value: number): void {
  if (store.getInt(key) !== value) store.setInt(key, value);
}

function setStringIfChanged(store: SettingsStore, key: string, value: string): void {
  if (store.getString(key) !== value) store.setString(key, value);
}

/** Saves setpoints, mode and therapy state; writes only what changed (flash wear). */
export function saveSettings(store: SettingsStore, settings: Pick<StoredSettings, "setpoints" | "mode" | "therapyActive">): void {
  setIntIfChanged(store, SETTINGS_KEYS.version, FORMAT_VERSION);
  setIntIfChanged(store, SETTINGS_KEYS.air, toHundredths(settings.setpoints.air));
  setIntIfChanged(store, SETTINGS_KEYS.skin, toHundredths(settings.setpoints.skin));
  setIntIfChanged(store, SETTINGS_KEYS.humidity, toHundredths(settings.setpoints.humidity));
  setIntIfChanged(store, SETTINGS_KEYS.override, settings.setpoints.override ? 1 : 0);
  setIntIfChanged(store, SETTINGS_KEYS.mode, MODES.indexOf(settings.mode));
  setIntIfChanged(store, SETTINGS_KEYS.therapy, settings.therapyActive ? 1 : 0);
}

/** Saves the API key; refuses (and says why) one that could not be presented. */
export function saveApiKey(store: SettingsStore, key: string): string | null {
  const why = apiKeyProblem(key);
  if (why) return why;
  setStringIfChanged(store, SETTINGS_KEYS.apiKey, key);
  return null;
}

export function saveAlarmHistory(store: SettingsStore, history: readonly AlarmInfo[]): void {
  setStringIfChanged(store, SETTINGS_KEYS.alarms, encodeAlarmHistory(history));
}

// ---------------------------------------------------------------------------------------
// Alarm history: one line per occurrence, fields separated by ",", numbers in base 36:
//   id,code,flags,value,limit,raisedAt,ackDelta,clearDelta
// code is an index into ALARM_CODES; flags bit 0 active, 1 acknowledged, 2 latching;
// value and limit in hundredths ("" for null); raisedAt epoch ms; ack/clear as ms after
// raisedAt ("" for null). 50 occurrences take about 1.5 kB. Level, priority and message
// are not stored: they follow from the code, value and limit (see ALARM_DESCRIPTIONS).

export const ALARM_CODES: readonly AlarmCode[] = Object.freeze([
  "OVERTEMP",
  "TEMP_HIGH",
  "TEMP_LOW",
  "SKIN_TEMP_HIGH",
  "SKIN_TEMP_LOW",
  "HUMIDITY_HIGH",
  "HUMIDITY_LOW",
  "SENSOR_FAULT",
  "FAN_FAILURE",
  "HEATER_FAULT",
  "POWER_FAILURE",
]);

/** Level, priority and a message template per code (the alarm table of the product contract). */
const ALARM_DESCRIPTIONS: Readonly<Record<AlarmCode, { level: AlarmLevel; priority: AlarmPriority; text: string }>> = Object.freeze({
  OVERTEMP: { level: "CRITICAL", priority: "high", text: "Over-temperature cut-out" },
  TEMP_HIGH: { level: "WARNING", priority: "medium", text: "Air temperature high" },
  TEMP_LOW: { level: "WARNING", priority: "medium", text: "Air temperature low" },
  SKIN_TEMP_HIGH: { level: "WARNING", priority: "medium", text: "Skin temperature high" },
  SKIN_TEMP_LOW: { level: "WARNING", priority: "medium", text: "Skin temperature low" },
  HUMIDITY_HIGH: { level: "INFO", priority: "low", text: "Humidity high" },
  HUMIDITY_LOW: { level: "INFO", priority: "low", text: "Humidity low" },
  SENSOR_FAULT: { level: "CRITICAL", priority: "high", text: "Sensor fault" },
  FAN_FAILURE: { level: "CRITICAL", priority: "high", text: "Fan failure" },
  HEATER_FAULT: { level: "WARNING", priority: "medium", text: "Heater fault" },
  POWER_FAILURE: { level: "WARNING", priority: "medium", text: "Power failure: therapy resumed after a reboot" },
});

function encodeOptional(value: number | null, scale: number): string {
  return value === null || !Number.isFinite(value) ? "" : Math.round(value * scale).toString(36);
}

export function encodeAlarmHistory(history: readonly AlarmInfo[]): string {
  const kept = history.slice(-ALARM_HISTORY_LENGTH);
  return kept
    .map((a) => {
      const code = ALARM_CODES.indexOf(a.code);
      const flags = (a.active ? 1 : 0) | (a.acknowledged ? 2 : 0) | (a.latching ? 4 : 0);
      return [
        a.id.toString(36),
        code.toString(36),
        flags.toString(36),
        encodeOptional(a.value, 100),
        encodeOptional(a.limit, 100),
        Math.round(a.raisedAtMs).toString(36),
        a.acknowledgedAtMs === null ? "" : Math.max(0, Math.round(a.acknowledgedAtMs - a.raisedAtMs)).toString(36),
        a.clearedAtMs === null ? "" : Math.max(0, Math.round(a.clearedAtMs - a.raisedAtMs)).toString(36),
      ].join(",");
    })
    .join("\n");
}

const BASE36 = /^-?[0-9a-z]+$/;

function decodeInt(field: string, what: string, line: number): number | string {
  if (!BASE36.test(field)) return `line ${line}: ${what} "${field}" is not a base-36 integer`;
  const value = parseInt(field, 36);
  return Number.isSafeInteger(value) ? value : `line ${line}: ${what} "${field}" is out of range`;
}

function decodeOptionalInt(field: string, what: string, line: number): number | null | string {
  return field === "" ? null : decodeInt(field, what, line);
}

function describe(code: AlarmCode, value: number | null, limit: number | null): string {
  const text = ALARM_DESCRIPTIONS[code].text;
  if (value === null) return text;
  return limit === null ? `${text}: ${value.toFixed(1)}` : `${text}: ${value.toFixed(1)} (limit ${limit.toFixed(1)})`;
}

/** The history, or a string saying what is wrong with the encoding. */
export function decodeAlarmHistory(text: string): AlarmInfo[] | string {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.length > ALARM_HISTORY_LENGTH) return `${lines.length} entries, at most ${ALARM_HISTORY_LENGTH} are kept`;
  const out: AlarmInfo[] = [];
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const f = lines[i].split(",");
    if (f.length !== 8) return `line ${n}: ${f.length} fields, expected 8`;
    const id = decodeInt(f[0], "id", n);
    const codeIndex = decodeInt(f[1], "code", n);
    const flags = decodeInt(f[2], "flags", n);
    const value = decodeOptionalInt(f[3], "value", n);
    const limit = decodeOptionalInt(f[4], "limit", n);
    const raised = decodeInt(f[5], "raised time", n);
    const ack = decodeOptionalInt(f[6], "acknowledge delay", n);
    const cleared = decodeOptionalInt(f[7], "clear delay", n);
    for (const v of [id, codeIndex, flags, value, limit, raised, ack, cleared]) if (typeof v === "string") return v;
    const idN = id as number;
    const flagsN = flags as number;
    const raisedN = raised as number;
    if (idN < 1) return `line ${n}: alarm id ${idN} is not positive`;
    const code = ALARM_CODES[codeIndex as number];
    if (code === undefined) return `line ${n}: unknown alarm code index ${String(codeIndex)}`;
    if (flagsN < 0 || flagsN > 7) return `line ${n}: flags ${flagsN} outside 0-7`;
    if (raisedN < 0) return `line ${n}: negative raised time`;
    if ((ack as number | null) !== null && (ack as number) < 0) return `line ${n}: negative acknowledge delay`;
    if ((cleared as number | null) !== null && (cleared as number) < 0) return `line ${n}: negative clear delay`;
    if (out.length > 0 && idN <= out[out.length - 1].id) return `line ${n}: alarm id ${idN} does not follow ${out[out.length - 1].id}`;
    const valueC = value === null ? null : (value as number) / 100;
    const limitC = limit === null ? null : (limit as number) / 100;
    const description = ALARM_DESCRIPTIONS[code];
    out.push(
      Object.freeze({
        id: idN,
        code,
        level: description.level,
        priority: description.priority,
        message: describe(code, valueC, limitC),
        active: (flagsN & 1) !== 0,
        acknowledged: (flagsN & 2) !== 0,
        latching: (flagsN & 4) !== 0,
        value: valueC,
        limit: limitC,
        raisedAtMs: raisedN,
        acknowledgedAtMs: ack === null ? null : raisedN + (ack as number),
        clearedAtMs: cleared === null ? null : raisedN + (cleared as number),
      }),
    );
  }
  return out;
}
