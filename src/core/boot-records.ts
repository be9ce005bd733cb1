// What the firmware reads from its RecordStore at boot and how it keeps it stored, the same
// on both platforms (host-sim/main.ts, src/device/main.ts): the settings record (therapy
// settings; SETTINGS_LOST when it is unreadable or gone), the API key in a record of its own
// (so corrupt settings never change the key), and the alarm history.
import { decodeAlarmHistory, encodeAlarmHistory, type HistoryEntry } from "../alarms/alarm-history";
import type { PersistedSettings } from "./persisted-settings";
import type { RecordStore } from "./record-store";
import { loadSettings } from "./settings-codec";
import { decodeSettingsRecord, encodeSettingsRecord, SETTINGS_RECORD } from "./settings-record";
import type { PersistSettings } from "./settings-keeper";
import type { SettingsStore, TimerHandle, Timers } from "./types";

export const API_KEY_RECORD = "apikey";
export const ALARMS_RECORD = "alarms";

/** A RecordStore that can also say why a record it holds slots of could not be read
 *  (ab-record-store.ts); plain stores only load and save. */
export interface InspectableRecordStore extends RecordStore {
  loss?(name: string): string | null;
  hasRecords?(): boolean;
}

export interface BootRecords {
  /** The settings to boot with: the stored ones, or safe defaults (STANDBY) when lost. */
  readonly settings: PersistedSettings | undefined;
  /** Why SETTINGS_LOST must be raised, or null. */
  readonly settingsLost: "corrupt" | "missing" | null;
  /** The stored API key (checked by the caller), or null when none is stored or it was lost. */
  readonly apiKey: string | null;
  /** The settings, key and history came from the earlier firmware's key-value store: the
   *  caller saves them as records (`saveCarriedOver`). */
  readonly carriedOver: boolean;
  readonly alarmHistory: readonly HistoryEntry[];
  /** One line per thing that was not as it should be, for the log. */
  readonly problems: readonly string[];
}

/**
 * Reads the records. A settings record that exists but does not decode, or whose slots are
 * all unreadable, is lost ("corrupt"); one that is absent while other records exist is lost
 * too ("missing"); a store with no records at all is a first start (defaults, no alarm).
 * `legacy` is the key-value store of firmware before the settings record (read once when no
 * record exists yet, so an upgrade keeps its settings and history).
 */
export function loadBootRecords(records: InspectableRecordStore, legacy: SettingsStore | null = null): BootRecords {
  const problems: string[] = [];
  let settings: PersistedSettings | undefined;
  let settingsLost: BootRecords["settingsLost"] = null;
  let alarmHistory: readonly HistoryEntry[] = [];
  const text = records.load(SETTINGS_RECORD);
  const legacyUsable = text === null && records.loss?.(SETTINGS_RECORD) == null && legacy !== null && legacy.getInt("v") !== undefined;
  if (text !== null) {
    const decoded = decodeSettingsRecord(text);
    if (decoded.ok) settings = decoded.settings;
    else {
      settingsLost = "corrupt";
      problems.push(`settings record unreadable (${decoded.error}): STANDBY with safe defaults`);
    }
  } else if (legacyUsable) {
    const old = loadSettings(legacy as SettingsStore);
    settings = old.settings;
    alarmHistory = old.settings.alarmHistory;
    problems.push(...old.problems.map((p) => `earlier firmware's settings: ${p}`));
    problems.push("settings carried over from the earlier firmware's key-value store into the settings record");
  } else {
    const loss = records.loss?.(SETTINGS_RECORD) ?? null;
    if (loss !== null) {
      settingsLost = "corrupt";
      // (The store lists what it found in the slots; this says what follows from it.)
      problems.push("settings lost: STANDBY with safe defaults until they are set again");
    } else if (records.hasRecords?.() === true) {
      settingsLost = "missing";
      problems.push("settings record missing although other records exist: STANDBY with safe defaults");
    }
  }

  const apiKey = records.load(API_KEY_RECORD);
  const keyLoss = records.loss?.(API_KEY_RECORD) ?? null;
  if (apiKey === null && keyLoss !== null) problems.push("API key lost: the configured or a new key is used");

  const alarms = records.load(ALARMS_RECORD);
  if (alarms !== null) {
    const decoded = decodeAlarmHistory(alarms);
    if (decoded.ok) alarmHistory = Object.freeze(decoded.entries);
    else problems.push(`alarm history unreadable (${decoded.error}); starting an empty history`);
  } else {
    const loss = records.loss?.(ALARMS_RECORD) ?? null;
    if (loss !== null) problems.push("alarm history lost: starting an empty history");
  }
  return { settings, settingsLost, apiKey: apiKey ?? (legacyUsable ? (legacy as SettingsStore).getString("apiKey") ?? null : null), carriedOver: legacyUsable, alarmHistory, problems };
}

/** Writes what an upgrade carried over as records; resolves once all are stored. */
export function saveCarriedOver(records: RecordStore, boot: BootRecords): Promise<void> {
  const saves: Promise<void>[] = [];
  if (boot.settings) saves.push(records.save(SETTINGS_RECORD, encodeSettingsRecord(boot.settings)));
  if (boot.apiKey !== null) saves.push(records.save(API_KEY_RECORD, boot.apiKey));
  if (boot.alarmHistory.length > 0) saves.push(records.save(ALARMS_RECORD, encodeAlarmHistory(boot.alarmHistory)));
  return Promise.all(saves).then(() => {});
}

/** The Incubator's `persist`: the settings as one record; resolves once stored. */
export function persistSettingsTo(records: RecordStore): PersistSettings {
  return (settings) => records.save(SETTINGS_RECORD, encodeSettingsRecord(settings));
}

export const HISTORY_RETRY_MS = 30_000;

/**
 * The Incubator's `persistAlarmHistory`: saves the newest encoded history in the background
 * (the store merges saves queued behind each other); after a failure it tries again with the
 * newest history, so the store's fault clears once it can write again.
 */
export function persistAlarmHistoryTo(records: RecordStore, timers: Timers, log: (text: string) => void = () => {}): (encoded: string) => void {
  let latest: string | null = null;
  let retry: TimerHandle | null = null;
  const save = (): void => {
    const text = latest as string;
    records.save(ALARMS_RECORD, text).then(
      () => {
        retry?.cancel();
        retry = null;
      },
      (error: unknown) => {
        if (retry !== null) return;
        log(`alarm history not stored (${error instanceof Error ? error.message : String(error)}); trying again in ${HISTORY_RETRY_MS / 1000} s`);
        retry = timers.after(HISTORY_RETRY_MS, () => {
          retry = null;
          save();
        });
      },
    );
  };
  return (encoded) => {
    latest = encoded;
    save();
  };
}
