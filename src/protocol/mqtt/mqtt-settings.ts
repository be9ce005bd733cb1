// The MQTT configuration in force, as the REST config (`mqtt` section of GET/POST
// /api/config) sees and changes it: validated whole, stored as its record before it takes
// effect, then handed to the bridge. The password never leaves: it reads "********", and a
// document sent back with "********" keeps the stored one.
import type { RecordStore } from "../../core/record-store";
import { saveMqttConfig } from "./config-record";
import { mergeMqttConfig, redactMqttConfig, type MqttConfig, type MqttConfigResult } from "./mqtt-config";

export const REDACTED_PASSWORD = "********";

export class MqttSettings {
  private current: MqttConfig;

  constructor(
    private readonly records: RecordStore,
    initial: MqttConfig,
    /** Applies a stored configuration (MqttBridge.reconfigure, or starting one). */
    private readonly onChange: (config: MqttConfig) => void,
  ) {
    this.current = initial;
  }

  get config(): MqttConfig {
    return this.current;
  }

  view(): ReturnType<typeof redactMqttConfig> {
    return redactMqttConfig(this.current);
  }

  /** The configuration `patch` would make, every wrong field named; nothing changes. */
  check(patch: unknown): MqttConfigResult {
    if (typeof patch === "object" && patch !== null && !Array.isArray(patch) && (patch as Record<string, unknown>).password === REDACTED_PASSWORD) {
      const { password: _kept, ...rest } = patch as Record<string, unknown>;
      return mergeMqttConfig(this.current, rest);
    }
    return mergeMqttConfig(this.current, patch);
  }

  /** The fields of `next` that differ from the configuration in force. */
  changes(next: MqttConfig): string[] {
    return (Object.keys(next) as Array<keyof MqttConfig>).filter((k) => next[k] !== this.current[k]).map((k) => `mqtt.${k}`);
  }

  /** Stores `next`, then puts it in force; rejects (nothing changed) when it cannot be stored. */
  async apply(next: MqttConfig): Promise<void> {
    await saveMqttConfig(this.records, next);
    this.current = next;
    this.onChange(next);
  }
}
