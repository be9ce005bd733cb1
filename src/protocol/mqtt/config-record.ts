// The MQTT configuration survives a reboot as one record of the injected RecordStore
// (written whole or not at all); a record that no longer validates is reported and the
// defaults are used, never half of it.
import type { RecordStore } from "../../core/record-store";
import { DEFAULT_MQTT_CONFIG, encodeMqttConfig, mergeMqttConfig, type MqttConfig } from "./mqtt-config";

export const MQTT_RECORD = "mqtt";

export interface LoadedMqttConfig {
  readonly config: MqttConfig;
  /** Why the stored record was not used (empty when it was, or when there was none). */
  readonly problems: readonly string[];
  readonly stored: boolean;
}

/** The stored configuration merged over `base` (the manifest's or the command line's). */
export function loadMqttConfig(store: RecordStore, base: MqttConfig = DEFAULT_MQTT_CONFIG): LoadedMqttConfig {
  const text = store.load(MQTT_RECORD);
  if (text === null) return { config: base, problems: [], stored: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { config: base, problems: [`stored MQTT configuration is not JSON (${(error as Error).message}): defaults used`], stored: false };
  }
  const merged = mergeMqttConfig(base, value);
  if (!merged.ok) return { config: base, problems: merged.errors.map((e) => `stored MQTT configuration refused: ${e}`), stored: false };
  return { config: merged.config, problems: [], stored: true };
}

/** Stores the configuration; resolves once stored, rejects saying why not. */
export function saveMqttConfig(store: RecordStore, config: MqttConfig): Promise<void> {
  return store.save(MQTT_RECORD, encodeMqttConfig(config));
}
