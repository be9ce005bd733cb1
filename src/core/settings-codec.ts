// The key-value format of earlier firmware (one `preference` key, or one JSON member on the
// host, per value: no atomic change of several values). Since issue 11 the settings are one
// record in a RecordStore (settings-record.ts, boot-records.ts); this codec is read once at
// an upgrade to carry the old values over (`loadSettings`), and keeps `apiKeyProblem`.
// Every stored value is checked on load; a missing or corrupt one falls back to its safe
// default and the reason is returned for the log. `override` follows the air setpoint.
import { decodeAlarmHistory, type HistoryEntry } from "../alarms/alarm-history";
import type { Setpoints } from "./api";
import { DEFAULT_SETTINGS, SETPOINT_LIMITS } from "./control-config";
import type { ControlMode, SettingsStore } from "./types";

export interface StoredSettings {
  readonly setpoints: Setpoints;
  readonly mode: ControlMode;
  /** Therapy (PREHEATING or OPERATING) was running when last saved. */
  readonly therapyActive: boolean;
  /** null: none stored (the device entry then uses its configured key). */
  readonly apiKey: string | null;
  /** Oldest first (the alarm system's own encoding, src/alarms/alarm-history.ts). */
  readonly alarmHistory: readonly HistoryEntry[];
}

export interface LoadedSettings {
  readonly settings: StoredSettings;
  /** One sentence per value that was missing or corrupt and what was used instead. */
  readonly problems: readonly string[];
}

/** ESP32 NVS holds at most this many bytes in one value. */
export const MAX_STORED_STRING = 4000;

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
  alarmHistory: Object.freeze([]) as readonly HistoryEntry[],
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
  const d = defaults.setpoints;
  // A stored override flag is not taken: the raised cut-out limit applies only while the
  // setpoint needs it (a flag left at 1 with 36.0 °C would allow 40 °C).
  const air = readHundredths(store, SETTINGS_KEYS.air, "air setpoint", "°C", STORED_RANGES.air.min, STORED_RANGES.air.overrideMax, d.air, problems);
  const override = air > STORED_RANGES.air.max;
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
    if (!decoded.ok) problems.push(`corrupt stored alarm history (${decoded.error}); starting an empty history`);
    else alarmHistory = Object.freeze(decoded.entries);
  }

  return {
    settings: Object.freeze({ setpoints: Object.freeze({ air, skin, humidity, override }), mode, therapyActive, apiKey, alarmHistory }),
    problems: Object.freeze(problems),
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

/** Saves the alarm system's encoded history (Incubator `persistAlarmHistory`); says why not when it cannot. */
export function saveAlarmHistory(store: SettingsStore, encoded: string): string | null {
  if (encoded.length > MAX_STORED_STRING) return `alarm history of ${encoded.length} characters exceeds the ${MAX_STORED_STRING}-byte stored value; not saved`;
  setStringIfChanged(store, SETTINGS_KEYS.alarms, encoded);
  return null;
}
