// The payloads of the IncuNest docs (`mqtt.md`) with their field names exactly, plus what
// PRODUCT.md adds (ISO 8601 UTC timestamps with milliseconds, `skin` null while there is
// no valid reading, the alarm fields of /ws). docs/mqtt.md maps each field. Built by
// concatenation: sensors go out every second, without intermediate objects.
import type { AlarmInfo, AlarmPriority, Snapshot } from "../../core/api";
import type { IncubatorState } from "../../core/types";
import { isoUtc } from "../iso-time";
import { alarmIdentityFields, alarmStatusFields, isoOrNull, num } from "../json-fields";

export function encodeSensors(s: Snapshot): string {
  return (
    '{"timestamp":"' + isoUtc(s.epochMs) +
    '","temperature":{"ambient":' + num(s.air, 100) +
    ',"skin":' + num(s.skin, 100) +
    ',"setpoint":' + num(s.temperatureSetpoint, 100) +
    '},"humidity":{"current":' + num(s.humidity, 10) +
    ',"setpoint":' + num(s.setpoints.humidity, 10) +
    '},"actuators":{"heater_power":' + Math.round(s.heaterPercent) +
    ',"fan_speed":' + Math.round(s.fanPercent) +
    ',"humidifier":' + (s.humidifierOn ? "true" : "false") +
    '},"mode":"' + s.mode +
    '","state":"' + s.state +
    '"}'
  );
}

export interface StatusInfo {
  readonly firmware: string;
  readonly state: IncubatorState;
  readonly uptimeS: number;
  /** null where the platform has no Wi-Fi (host-sim) or it is down. */
  readonly wifiRssi: number | null;
  readonly heapFree: number | null;
  readonly droppedSensors: number;
  readonly droppedEvents: number;
  readonly epochMs: number;
}

export function encodeStatus(s: StatusInfo): string {
  return (
    '{"online":true,"firmware":' + JSON.stringify(s.firmware) +
    ',"state":"' + s.state +
    '","uptime":' + Math.floor(s.uptimeS) +
    ',"wifi_rssi":' + num(s.wifiRssi, 1) +
    ',"heap_free":' + num(s.heapFree, 1) +
    ',"timestamp":"' + isoUtc(s.epochMs) +
    '","dropped_sensors":' + s.droppedSensors +
    ',"dropped_events":' + s.droppedEvents +
    "}"
  );
}

/** The last will (and the goodbye of a clean stop). */
export function encodeOffline(epochMs: number): string {
  return '{"online":false,"timestamp":"' + isoUtc(epochMs) + '"}';
}

export type AlarmChange = "raised" | "acknowledged" | "cleared";

export function encodeAlarmEvent(a: AlarmInfo, change: AlarmChange, epochMs: number): string {
  return '{"timestamp":"' + isoUtc(epochMs) + '",' + alarmIdentityFields(a) + ',"change":"' + change + '",' + alarmStatusFields(a) + "}";
}

const PRIORITIES: readonly AlarmPriority[] = Object.freeze(["high", "medium", "low"]);

/** The retained summary on `alarms/active`: counts per IEC priority and the list. */
export function encodeActiveAlarms(alarms: readonly AlarmInfo[], epochMs: number): string {
  let counts = "";
  for (const p of PRIORITIES) {
    let n = 0;
    for (const a of alarms) if (a.priority === p) n++;
    counts += ',"' + p + '":' + n;
  }
  let list = "";
  for (const a of alarms) {
    list += (list === "" ? "" : ",") +
      '{"id":' + a.id + ',"code":"' + a.code + '","level":"' + a.level + '","priority":"' + a.priority +
      '","message":' + JSON.stringify(a.message) + ',"acknowledged":' + a.acknowledged + ',"raised_at":' + isoOrNull(a.raisedAtMs) + "}";
  }
  return '{"timestamp":"' + isoUtc(epochMs) + '","count":' + alarms.length + counts + ',"alarms":[' + list + "]}";
}

/** `previous` null: not a transition but the current state (published on connecting). */
export function encodeState(state: IncubatorState, previous: IncubatorState | null, reason: string, epochMs: number): string {
  return (
    '{"timestamp":"' + isoUtc(epochMs) +
    '","state":"' + state +
    '","previous":' + (previous === null ? "null" : '"' + previous + '"') +
    ',"reason":' + JSON.stringify(reason) +
    "}"
  );
}

/** A command's answer: `success`, the command's own result fields, `message`; on failure
 *  `code` instead of the result fields. `command_id` is echoed when the command had one. */
export function encodeResponse(success: boolean, fields: Readonly<Record<string, string | number | boolean | null>>, message: string, code: number | null, commandId: unknown): string {
  let out = '{"success":' + success;
  if (success) for (const key of Object.keys(fields)) out += "," + JSON.stringify(key) + ":" + JSON.stringify(fields[key]);
  else out += ',"code":' + code;
  out += ',"message":' + JSON.stringify(message);
  if (typeof commandId === "string" || (typeof commandId === "number" && Number.isFinite(commandId))) out += ',"command_id":' + JSON.stringify(commandId);
  return out + "}";
}
