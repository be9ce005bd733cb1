// Every server message of the IncuNest /ws API (seed 000), encoded as text. Envelope
// {type, timestamp, data}; the seed's field names exactly; PRODUCT.md's additions.
// sensor_update goes out every tick: written into one buffer (json-text.ts), one
// string per tick shared by every subscribed client.
import type { AlarmInfo, CommandResult, Snapshot } from "../../core/api";
import type { IncubatorState } from "../../core/types";
import { isoUtc } from "../iso-time";
import { JsonText } from "../json-text";
import { alarmIdentityFields, alarmStatusFields } from "../json-fields";

function head(type: string, epochMs: number): string {
  return '{"type":"' + type + '","timestamp":"' + isoUtc(epochMs) + '","data":';
}

/** Ticks after boot before every sensor has had its chance to deliver: each is read one
 *  tick after it is asked (SHT31 single shot, DS18B20 conversion), so the first tick's
 *  snapshot has no reading by construction. */
const FIRST_READINGS_TICK = 2;

/** Whether a sensor_update of this snapshot says anything: not one from before the sensors'
 *  first readings after boot (all channels null by construction), which is not sent. Later
 *  snapshots are always sent, nulls and all: a null then means a channel without a valid reading. */
export function sensorUpdateDue(s: Snapshot): boolean {
  return s.seq >= FIRST_READINGS_TICK || s.air !== null || s.skin !== null || s.probeAir !== null || s.humidity !== null;
}

// The sensor_update's texts: module constants, not literals (a literal in a preloaded
// module is copied into a new chunk at each evaluation).
const SU_HEAD = '{"type":"sensor_update","timestamp":"';
const SU_AMBIENT = '","data":{"temperature":{"ambient":';
const SU_SKIN = ',"skin":';
const SU_HUMIDITY = '},"humidity":';
const SU_HEATER = ',"heater_power":';
const SU_FAN = ',"fan_speed":';
const SU_HUMIDIFIER = ',"humidifier":';
const SU_SETPOINT = ',"setpoint":{"temperature":';
const SU_SETPOINT_HUMIDITY = ',"humidity":';
const SU_MODE = '},"mode":"';
const SU_EFFECTIVE_MODE = '","effective_mode":"';
const SU_STATE = '","state":"';
const SU_END = '"}}';

// Made at first use, not when the module loads (preloaded: its buffer would be read-only).
let sensorUpdate: JsonText | null = null;

/** Written into one buffer (every tick): the one string it makes is the message. */
export function encodeSensorUpdate(s: Snapshot): string {
  return (sensorUpdate ??= new JsonText(384))
    .start()
    .raw(SU_HEAD).iso(s.epochMs)
    .raw(SU_AMBIENT).fixed(s.air, 100)
    .raw(SU_SKIN).fixed(s.skin, 100)
    .raw(SU_HUMIDITY).fixed(s.humidity, 10)
    .raw(SU_HEATER).fixed(s.heaterPercent, 1)
    .raw(SU_FAN).fixed(s.fanPercent, 1)
    .raw(SU_HUMIDIFIER).boolean(s.humidifierOn)
    .raw(SU_SETPOINT).fixed(s.temperatureSetpoint, 100)
    .raw(SU_SETPOINT_HUMIDITY).fixed(s.setpoints.humidity, 10)
    .raw(SU_MODE).raw(s.mode)
    .raw(SU_EFFECTIVE_MODE).raw(s.effectiveMode)
    .raw(SU_STATE).raw(s.state)
    .raw(SU_END)
    .text();
}

export function encodeAlarm(a: AlarmInfo, epochMs: number): string {
  return (
    head("alarm", epochMs) + "{" + alarmIdentityFields(a) + "," + alarmStatusFields(a) + "}}"
  );
}

/** `previous` null: not a transition but the current state, sent on subscribing. */
export function encodeStateChange(previous: IncubatorState | null, next: IncubatorState, reason: string, epochMs: number): string {
  return (
    head("state_change", epochMs) +
    '{"previous_state":' + (previous === null ? "null" : '"' + previous + '"') +
    ',"new_state":"' + next +
    '","reason":' + JSON.stringify(reason) +
    "}}"
  );
}

/** The command's own id echoed as sent (string or number); anything else as null. */
export function encodeCommandResponse(commandId: unknown, result: CommandResult, epochMs: number): string {
  return encodeCommandOutcome(commandId, result.success, result.message, result.success ? null : result.code, epochMs);
}

/** command_response with `code` only on failure. */
export function encodeCommandOutcome(commandId: unknown, success: boolean, message: string, code: number | null, epochMs: number): string {
  const id = typeof commandId === "string" || (typeof commandId === "number" && Number.isFinite(commandId)) ? JSON.stringify(commandId) : "null";
  return (
    head("command_response", epochMs) +
    '{"command_id":' + id +
    ',"success":' + success +
    ',"message":' + JSON.stringify(message) +
    (success || code === null ? "" : ',"code":' + code) +
    "}}"
  );
}

export function encodePong(epochMs: number): string {
  return head("pong", epochMs) + "{}}";
}

export function encodeError(code: number, message: string, epochMs: number): string {
  return head("error", epochMs) + '{"code":' + code + ',"message":' + JSON.stringify(message) + "}}";
}
