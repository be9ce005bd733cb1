// The MQTT configuration: a plain object with the IncuNest docs' field names
// (`mqtt.md`: enabled, broker, port, username, password, client_id, use_tls, keepalive,
// qos, retain) plus this firmware's own (device_id, discovery, ha_controls, commands).
// Validated as a whole; a refusal names every field that was wrong and changes nothing.

export interface MqttConfig {
  readonly enabled: boolean;
  /** Host name or address of the broker ("" = none configured). */
  readonly broker: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** MQTT client id ("" = the device id in lower case). */
  readonly client_id: string;
  readonly use_tls: boolean;
  /** Seconds; 0 = no keep-alive. */
  readonly keepalive: number;
  /** The docs' global QoS/retain: kept for compatibility; the per-topic rules fix both. */
  readonly qos: 1;
  readonly retain: true;
  /** `incunest/{device_id}/…` ("" = the platform's default id). */
  readonly device_id: string;
  /** Home Assistant MQTT discovery under `{discovery_prefix}/…/config`. */
  readonly discovery: boolean;
  readonly discovery_prefix: string;
  /** Publish Home Assistant controls (setpoints, start/stop, acknowledge). */
  readonly ha_controls: boolean;
  /** Accept commands on the `…/set` and `alarms/acknowledge` topics. */
  readonly commands: boolean;
}

export const DEFAULT_MQTT_CONFIG: MqttConfig = Object.freeze({
  enabled: false,
  broker: "",
  port: 1883,
  username: "",
  password: "",
  client_id: "",
  use_tls: false,
  keepalive: 60,
  qos: 1,
  retain: true,
  device_id: "",
  discovery: true,
  discovery_prefix: "homeassistant",
  ha_controls: false,
  commands: true,
});

export type MqttConfigResult = { readonly ok: true; readonly config: MqttConfig } | { readonly ok: false; readonly errors: readonly string[] };

type Check = (value: unknown) => string | null;

const TOPIC_LEVEL = /^[A-Za-z0-9_-]{1,64}$/;

function bool(value: unknown): string | null {
  return typeof value === "boolean" ? null : "must be true or false";
}

function text(max: number): Check {
  return (value) => (typeof value === "string" && value.length <= max ? null : `must be a string of at most ${max} characters`);
}

function integer(min: number, max: number): Check {
  return (value) => (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? null : `must be an integer ${min}..${max}`);
}

const CHECKS: Readonly<Record<keyof MqttConfig, Check>> = Object.freeze({
  enabled: bool,
  broker: (v) => (typeof v === "string" && v.length <= 253 && !/[\s/]/.test(v) ? null : "must be a host name or address (no scheme, no spaces)"),
  port: integer(1, 65535),
  username: text(128),
  password: text(128),
  client_id: (v) => (typeof v === "string" && v.length <= 23 && /^[A-Za-z0-9_-]*$/.test(v) ? null : "must be at most 23 characters of A-Z a-z 0-9 _ - (MQTT 3.1.1)"),
  use_tls: bool,
  keepalive: integer(0, 3600),
  qos: (v) => (v === 1 ? null : "is fixed at 1: sensors go at QoS 0, alarms, state and commands at QoS 1 (see docs/mqtt.md)"),
  retain: (v) => (v === true ? null : "is fixed at true: status, state and discovery are retained, the rest not (see docs/mqtt.md)"),
  device_id: (v) => (typeof v === "string" && (v === "" || TOPIC_LEVEL.test(v)) ? null : "must be 1..64 characters of A-Z a-z 0-9 _ - (one topic level)"),
  discovery: bool,
  discovery_prefix: (v) => (typeof v === "string" && TOPIC_LEVEL.test(v) ? null : "must be 1..64 characters of A-Z a-z 0-9 _ -"),
  ha_controls: bool,
  commands: bool,
});

const KEYS = Object.freeze(Object.keys(CHECKS) as Array<keyof MqttConfig>);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates `patch` merged over `base` (a partial update, as POST /api/config sends). */
export function mergeMqttConfig(base: MqttConfig, patch: unknown): MqttConfigResult {
  if (!isRecord(patch)) return { ok: false, errors: [`mqtt configuration must be a JSON object, got ${JSON.stringify(patch) ?? String(patch)}`] };
  const errors: string[] = [];
  const merged: Record<string, unknown> = { ...base };
  for (const key of Object.keys(patch)) {
    if (!(KEYS as string[]).includes(key)) {
      errors.push(`mqtt.${key}: unknown field (known: ${KEYS.join(", ")})`);
      continue;
    }
    const why = CHECKS[key as keyof MqttConfig](patch[key]);
    if (why) errors.push(`mqtt.${key} ${why}, got ${JSON.stringify(patch[key]) ?? String(patch[key])}`);
    else merged[key] = patch[key];
  }
  if (errors.length === 0 && merged.enabled === true && merged.broker === "") errors.push("mqtt.broker is required when mqtt.enabled is true");
  // MQTT 3.1.1 §3.1.2.9: a password without a user name is a protocol error (the broker drops the connection).
  if (errors.length === 0 && merged.password !== "" && merged.username === "") errors.push("mqtt.password needs an mqtt.username (MQTT sends no password without a user name)");
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: Object.freeze(merged as unknown as MqttConfig) };
}

/** Validates a whole configuration (missing fields take the defaults). */
export function validateMqttConfig(value: unknown): MqttConfigResult {
  return mergeMqttConfig(DEFAULT_MQTT_CONFIG, value);
}

/**
 * Parses `mqtt://user:pass@host:port` or `mqtts://…` (TLS, port 8883 by default) into a
 * configuration patch. Written by hand: URL is not on every engine the firmware runs on.
 */
export function parseMqttUrl(url: string): { readonly ok: true; readonly patch: Partial<MqttConfig> } | { readonly ok: false; readonly error: string } {
  const m = /^(mqtts?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?\/?$/.exec(url);
  if (!m) return { ok: false, error: `"${url}" is not an MQTT URL (mqtt://[user[:password]@]host[:port] or mqtts://…)` };
  const tls = m[1] === "mqtts";
  const port = m[5] === undefined ? (tls ? 8883 : 1883) : Number(m[5]);
  if (port < 1 || port > 65535) return { ok: false, error: `port ${m[5]} in "${url}" is outside 1..65535` };
  let username = "";
  let password = "";
  try {
    username = m[2] === undefined ? "" : decodeURIComponent(m[2]);
    password = m[3] === undefined ? "" : decodeURIComponent(m[3]);
  } catch {
    return { ok: false, error: `bad %-escape in the user or password of "${url}"` };
  }
  const broker = m[4].startsWith("[") ? m[4].slice(1, -1) : m[4];
  return { ok: true, patch: { enabled: true, broker, port, username, password, use_tls: tls } };
}

/** The configuration as JSON for the record store (the password included: the record is
 *  the device's own). */
export function encodeMqttConfig(config: MqttConfig): string {
  return JSON.stringify(config);
}

/** The configuration without its secret, for a status page or GET /api/config. */
export function redactMqttConfig(config: MqttConfig): Omit<MqttConfig, "password"> & { readonly password: string } {
  return { ...config, password: config.password === "" ? "" : "********" };
}
