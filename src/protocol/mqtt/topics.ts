// The topic map of the IncuNest docs (`mqtt.md`) under `incunest/{device_id}/`, plus the
// response topics of every command and the retained summary of active alarms.

/** What the firmware publishes. */
export interface PublishTopics {
  readonly status: string;
  readonly sensors: string;
  readonly alarms: string;
  /** Retained summary of the active alarms (the binary sensors' state topic). */
  readonly alarmsActive: string;
  readonly state: string;
}

/** One command topic: where it arrives, where its answer goes, which core action it maps to. */
export interface CommandTopic {
  readonly topic: string;
  readonly response: string;
  readonly name: CommandName;
}

export type CommandName = "temperature" | "humidity" | "mode" | "state" | "acknowledge" | "config";

export interface TopicMap extends PublishTopics {
  readonly base: string;
  readonly commands: readonly CommandTopic[];
}

// Each pair frozen too: the module is preloaded, and an unfrozen object would get a RAM alias.
const COMMAND_PATHS: ReadonlyArray<readonly [CommandName, string]> = Object.freeze([
  Object.freeze(["temperature", "control/temperature/set"] as const),
  Object.freeze(["humidity", "control/humidity/set"] as const),
  Object.freeze(["mode", "control/mode/set"] as const),
  Object.freeze(["state", "control/state/set"] as const),
  Object.freeze(["acknowledge", "alarms/acknowledge"] as const),
  Object.freeze(["config", "config/set"] as const),
]);

/** `…/set` answers on `…/response`; `alarms/acknowledge` on `alarms/acknowledge/response`. */
function responseOf(path: string): string {
  return path.endsWith("/set") ? path.slice(0, -4) + "/response" : path + "/response";
}

export function topicMap(deviceId: string): TopicMap {
  const base = `incunest/${deviceId}`;
  return Object.freeze({
    base,
    status: `${base}/status`,
    sensors: `${base}/sensors`,
    alarms: `${base}/alarms`,
    alarmsActive: `${base}/alarms/active`,
    state: `${base}/state`,
    commands: Object.freeze(COMMAND_PATHS.map(([name, path]) => Object.freeze({ name, topic: `${base}/${path}`, response: `${base}/${responseOf(path)}` }))),
  });
}

/** The device id of a topic under `incunest/`, or null. */
export function deviceIdOf(topic: string): string | null {
  if (!topic.startsWith("incunest/")) return null;
  const end = topic.indexOf("/", 9);
  return end < 0 ? null : topic.slice(9, end);
}
