// `npm start` MQTT flags → the plain MqttConfig (the same object the device takes from its
// manifest and the REST config will send), plus what MQTT.js needs for TLS.
import { readFileSync } from "node:fs";
import { mergeMqttConfig, parseMqttUrl, DEFAULT_MQTT_CONFIG, type MqttConfig } from "../../src/protocol/mqtt/mqtt-config";
import type { MqttJsTransportOptions } from "./mqttjs-transport";

export const MQTT_FLAGS = Object.freeze({
  mqtt: { type: "string" },
  "mqtt-device-id": { type: "string" },
  "mqtt-client-id": { type: "string" },
  "mqtt-ca": { type: "string" },
  "mqtt-insecure": { type: "boolean", default: false },
  "mqtt-ha-controls": { type: "boolean", default: false },
} as const);

export const MQTT_HELP = `  --mqtt <url>       publish to an MQTT broker: mqtt://[user[:password]@]host[:port], mqtts://… for TLS
  --mqtt-device-id <id>  topics under incunest/<id>/ (default INCUNEST_SIM)
  --mqtt-client-id <id>  MQTT client id (default: the device id in lower case)
  --mqtt-ca <file>   PEM CA certificate of a TLS broker; --mqtt-insecure accepts any certificate
  --mqtt-ha-controls announce setpoint and start/stop controls to Home Assistant too`;

export interface MqttFlagValues {
  readonly mqtt?: string;
  readonly "mqtt-device-id"?: string;
  readonly "mqtt-client-id"?: string;
  readonly "mqtt-ca"?: string;
  readonly "mqtt-insecure"?: boolean;
  readonly "mqtt-ha-controls"?: boolean;
}

export type MqttFlags = { readonly ok: true; readonly config: MqttConfig; readonly tls: MqttJsTransportOptions } | { readonly ok: false; readonly error: string };

export function mqttFromFlags(values: MqttFlagValues): MqttFlags | null {
  if (values.mqtt === undefined) return null;
  const url = parseMqttUrl(values.mqtt);
  if (!url.ok) return { ok: false, error: `--mqtt: ${url.error}` };
  const patch: Record<string, unknown> = { ...url.patch, ha_controls: values["mqtt-ha-controls"] === true };
  if (values["mqtt-device-id"] !== undefined) patch.device_id = values["mqtt-device-id"];
  if (values["mqtt-client-id"] !== undefined) patch.client_id = values["mqtt-client-id"];
  const merged = mergeMqttConfig(DEFAULT_MQTT_CONFIG, patch);
  if (!merged.ok) return { ok: false, error: merged.errors.join("; ") };
  let ca: string | undefined;
  if (values["mqtt-ca"] !== undefined) {
    try {
      ca = readFileSync(values["mqtt-ca"], "utf8");
    } catch (error) {
      return { ok: false, error: `--mqtt-ca: ${(error as Error).message}` };
    }
  }
  return { ok: true, config: merged.config, tls: { ...(ca ? { ca } : {}), insecure: values["mqtt-insecure"] === true } };
}
