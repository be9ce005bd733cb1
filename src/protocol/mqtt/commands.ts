// The MQTT command payloads of the IncuNest docs mapped onto the core's actions; the core
// validates the values (ranges, ids) exactly as for /ws. Only the payload's shape is
// checked here: not JSON or not an object is an invalid command (4001, as on /ws).
import type { CommandErrorCode } from "../../core/api";
import type { CommandName } from "./topics";

export interface MappedCommand {
  readonly action: string;
  readonly data: Record<string, unknown>;
  readonly commandId: unknown;
}

export interface RefusedCommand {
  readonly code: CommandErrorCode;
  readonly message: string;
  readonly commandId: unknown;
}

/** Largest command payload read; larger ones are refused unread. */
export const MAX_COMMAND_BYTES = 1024;

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  return JSON.stringify(value) ?? String(value);
}

export function mapCommand(name: CommandName, payload: string): MappedCommand | RefusedCommand {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    // The engine's own parse message differs between V8 and XS: quote the payload instead.
    return { code: 4001, message: `payload is not JSON: ${JSON.stringify(payload.length > 40 ? payload.slice(0, 40) + "…" : payload)}`, commandId: undefined };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { code: 4001, message: `payload must be a JSON object, got ${describe(value)}`, commandId: undefined };
  }
  const body = value as Record<string, unknown>;
  const commandId = body.command_id;
  switch (name) {
    case "temperature":
      // { "setpoint": 36.5 } (PRODUCT.md: "override": true allows an air setpoint up to 39 °C)
      return { action: "set_temperature", data: body.override === undefined ? { setpoint: body.setpoint } : { setpoint: body.setpoint, override: body.override }, commandId };
    case "humidity":
      return { action: "set_humidity", data: { setpoint: body.setpoint }, commandId };
    case "mode":
      return { action: "set_mode", data: { mode: body.mode }, commandId };
    case "state":
      // { "action": "start" | "stop" | "standby" } (PRODUCT.md adds "reset" to leave FAULT)
      if (typeof body.action !== "string") return { code: 4002, message: `"action" must be start, stop, standby or reset, got ${describe(body.action)}`, commandId };
      return { action: "set_state", data: { state: body.action }, commandId };
    case "acknowledge":
      // { "id": 1 }, or { "all": true } for every active alarm
      if (body.all === true && body.id === undefined) return { action: "acknowledge_all", data: {}, commandId };
      if (typeof body.id !== "number" || !Number.isInteger(body.id) || body.id < 1) return { code: 4002, message: `"id" must be a positive integer alarm id (or {"all": true}), got ${describe(body.id)}`, commandId };
      return { action: "acknowledge_alarm", data: { alarm_id: body.id }, commandId };
    case "config":
      return { action: "configure", data: body, commandId };
  }
}
