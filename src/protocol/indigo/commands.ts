// Indigo command messages mapped onto the core's commands. Every state change goes
// through IncubatorApi.execute, so the core's validation (ranges, state machine) is the
// same as on /ws; what is refused here is only what has no meaning for an incubator.
import type { CommandOrigin, CommandResult, IncubatorApi } from "../../core/api";
import type { JsonObject, JsonValue } from "./json";
import { buzzerOn } from "./active-alarms";
import { ACTION_GROUPS, DEVICE_LIST, VARIABLES, alarmVariableId, type DeviceSpec } from "./model";

/** What a command message produced: nothing to send (its effect arrives as patches), a reply, or an error. */
export type CommandOutcome =
  | { readonly kind: "done" }
  | { readonly kind: "reply"; readonly body: JsonObject }
  | { readonly kind: "error"; readonly error: string; readonly validationErrors?: Record<string, string>; readonly code?: number };

export const DONE: CommandOutcome = Object.freeze({ kind: "done" });

export function refused(error: string, field?: string, code?: number): CommandOutcome {
  const outcome: { kind: "error"; error: string; validationErrors?: Record<string, string>; code?: number } = { kind: "error", error };
  if (field !== undefined) outcome.validationErrors = { [field]: error };
  if (code !== undefined) outcome.code = code;
  return outcome;
}

/** A command's outcome, now or once the core has answered (a stored setting answers once stored). */
export type PendingOutcome = CommandOutcome | Promise<CommandOutcome>;

function fromResult(pending: Promise<CommandResult>, field?: string): Promise<CommandOutcome> {
  return pending.then((result) => (result.success ? DONE : refused(result.message, result.code === 4002 ? field : undefined, result.code)));
}

const MAX_LOG_TEXT = 1000;

export interface CommandContext {
  readonly api: IncubatorApi;
  /** The client, for the firmware log and the event log. */
  readonly origin: CommandOrigin;
  /** The device's current object (for statusRequest). */
  readonly currentDevice: (id: number) => JsonObject | undefined;
}

/** Reads an integer objectId (a JSON number or a string of digits). */
export function readObjectId(msg: JsonObject): number | CommandOutcome {
  const raw = msg.objectId;
  if (raw === undefined || raw === null) return refused("objectId is required", "objectId");
  if (typeof raw === "number" && Number.isInteger(raw)) return raw;
  if (typeof raw === "string" && /^\d{1,10}$/.test(raw)) return Number(raw);
  return refused(`objectId must be an integer, got ${JSON.stringify(raw)}`, "objectId");
}

function readParameters(msg: JsonObject): JsonObject | CommandOutcome {
  const p = msg.parameters;
  if (p === undefined || p === null) return {};
  if (typeof p !== "object" || Array.isArray(p)) return refused("parameters must be an object", "parameters");
  return p;
}

function isOutcome(x: unknown): x is CommandOutcome {
  return typeof x === "object" && x !== null && "kind" in x;
}

/** A number given as a JSON number or a decimal string. */
function readNumber(value: JsonValue | undefined, field: string, required: boolean, fallback = 0): number | CommandOutcome {
  if (value === undefined || value === null) {
    return required ? refused(`${field} is required`, field) : fallback;
  }
  if (typeof value === "number" && isFinite(value)) return value;
  if (typeof value === "string" && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(value)) return Number(value);
  return refused(`${field} must be a number, got ${JSON.stringify(value)}`, field);
}

/** Indigo's delay/duration parameters: we act at once and for good, so only 0 is accepted. */
function refuseTiming(p: JsonObject): CommandOutcome | null {
  for (const field of ["delay", "duration"]) {
    const v = p[field];
    if (v !== undefined && v !== null && v !== 0) return refused(`${field} is not supported (the incubator acts at once); omit it or send 0`, field);
  }
  return null;
}

function deviceSpec(id: number): DeviceSpec | undefined {
  for (const spec of DEVICE_LIST) if (spec.id === id) return spec;
  return undefined;
}

function unknownDevice(id: number): CommandOutcome {
  return refused(`unknown object: no indigo.Device with id ${id}`, "objectId");
}

function running(api: IncubatorApi): boolean {
  const state = api.snapshot().state;
  return state === "PREHEATING" || state === "OPERATING";
}

function startTherapy(ctx: CommandContext): PendingOutcome {
  if (running(ctx.api)) return DONE; // already heating: Heat is idempotent
  return fromResult(ctx.api.execute("set_state", { state: "start" }, ctx.origin));
}

function standby(ctx: CommandContext): PendingOutcome {
  return fromResult(ctx.api.execute("set_state", { state: "standby" }, ctx.origin));
}

/** indigo.device.turnOn / turnOff / toggle / statusRequest */
export function deviceCommand(ctx: CommandContext, verb: string, msg: JsonObject): PendingOutcome {
  const id = readObjectId(msg);
  if (isOutcome(id)) return id;
  const spec = deviceSpec(id);
  if (!spec) return unknownDevice(id);
  const params = readParameters(msg);
  if (isOutcome(params)) return params;
  const timing = refuseTiming(params);
  if (timing) return timing;

  if (verb === "statusRequest") {
    const obj = ctx.currentDevice(id);
    if (!obj) return unknownDevice(id);
    return { kind: "reply", body: { message: "refresh", objectType: "indigo.Device", objectDict: obj } };
  }
  const want = verb === "turnOn" ? true : verb === "turnOff" ? false : null; // null: toggle
  switch (spec.role) {
    case "thermostat": {
      const on = want ?? !running(ctx.api);
      return on ? startTherapy(ctx) : standby(ctx);
    }
    case "buzzer": {
      const on = want ?? !buzzerOn(ctx.api.snapshot());
      if (on) return refused(`${spec.name} sounds only for alarms and cannot be turned on`, "message");
      return fromResult(ctx.api.execute("acknowledge_all", {}, ctx.origin));
    }
    case "alarmLed":
      return refused(`${spec.name} shows active alarms and cannot be switched`, "message");
    case "sensor":
      return refused(`${spec.name} is a sensor and has no on/off state`, "message");
    case "heater":
    case "fan":
    case "humidifier":
      return refused(
        `${spec.name} is driven by the incubator's controller and safety interlocks and cannot be switched directly; ` +
          "use indigo.thermostat.setHvacMode or the action groups",
        "message",
      );
  }
}

const HVAC_PREFIX = "indigo.khvacmode.";

/** indigo.thermostat.setHeatSetpoint / increaseHeatSetpoint / decreaseHeatSetpoint / setHvacMode */
export function thermostatCommand(ctx: CommandContext, verb: string, msg: JsonObject): PendingOutcome {
  const id = readObjectId(msg);
  if (isOutcome(id)) return id;
  const spec = deviceSpec(id);
  if (!spec) return unknownDevice(id);
  if (spec.role !== "thermostat") return refused(`${spec.name} is not a thermostat`, "objectId");
  const params = readParameters(msg);
  if (isOutcome(params)) return params;

  if (verb === "setHvacMode") {
    const value = params.value;
    if (typeof value !== "string") return refused("value is required: indigo.kHvacMode.Heat or indigo.kHvacMode.Off", "value");
    let mode = value.trim().toLowerCase();
    if (mode.startsWith(HVAC_PREFIX)) mode = mode.slice(HVAC_PREFIX.length);
    if (mode === "heat") return startTherapy(ctx);
    if (mode === "off") return standby(ctx);
    return refused(`unsupported hvac mode ${JSON.stringify(value)}: the incubator only heats (Heat = start, Off = standby)`, "value");
  }

  let override: boolean | undefined;
  if (params.override !== undefined) {
    if (typeof params.override !== "boolean") return refused("override must be true or false", "override");
    override = params.override;
  }
  let setpoint: number;
  if (verb === "setHeatSetpoint") {
    const value = readNumber(params.value, "value", true);
    if (isOutcome(value)) return value;
    setpoint = value;
  } else {
    const delta = readNumber(params.delta, "delta", false, 1);
    if (isOutcome(delta)) return delta;
    const snapshot = ctx.api.snapshot();
    setpoint = Math.round((snapshot.temperatureSetpoint + (verb === "increaseHeatSetpoint" ? delta : -delta)) * 100) / 100;
    if (override === undefined && snapshot.setpoints.override) override = true;
  }
  const data: { setpoint: number; override?: boolean } = { setpoint };
  if (override !== undefined) data.override = override;
  return fromResult(ctx.api.execute("set_temperature", data, ctx.origin), "value");
}

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** indigo.variable.updateValue: a string, converted to what the variable means. */
export function variableCommand(ctx: CommandContext, msg: JsonObject): PendingOutcome {
  const id = readObjectId(msg);
  if (isOutcome(id)) return id;
  const params = readParameters(msg);
  if (isOutcome(params)) return params;
  const spec = VARIABLES.find((v) => v.id === id);
  if (!spec) {
    const alarm = ctx.api.snapshot().alarms.find((a) => a.active && alarmVariableId(a.code) === id);
    if (alarm) return refused(`variable alarm_${alarm.code} is read-only`, "objectId");
    return refused(`unknown object: no indigo.Variable with id ${id}`, "objectId");
  }
  const value = params.value;
  if (value === undefined) return refused("value is required", "value");
  if (typeof value !== "string") return refused("variable values must be strings", "value");
  const write = spec.write;
  if (!write) return refused(`variable ${spec.name} is read-only`, "objectId");
  if (write.kind === "mode") {
    const mode = value.trim().toLowerCase();
    if (mode !== "air" && mode !== "skin") return refused(`${spec.name} must be "air" or "skin", got ${JSON.stringify(value)}`, "value");
    return fromResult(ctx.api.execute("set_mode", { mode }, ctx.origin), "value");
  }
  if (value.trim() === "") return refused(`${spec.name} cannot be cleared; send a number`, "value");
  if (!DECIMAL.test(value)) return refused(`${spec.name} must be a decimal number, got ${JSON.stringify(value)}`, "value");
  return fromResult(ctx.api.execute(write.action, { [write.field]: Number(value) }, ctx.origin), "value");
}

/** indigo.actionGroup.execute */
export function actionGroupCommand(ctx: CommandContext, msg: JsonObject): PendingOutcome {
  const id = readObjectId(msg);
  if (isOutcome(id)) return id;
  const spec = ACTION_GROUPS.find((g) => g.id === id);
  if (!spec) return refused(`unknown object: no indigo.ActionGroup with id ${id}`, "objectId");
  if (spec.action === "set_state" && spec.data.state === "start" && running(ctx.api)) return DONE;
  return fromResult(ctx.api.execute(spec.action, { ...spec.data }, ctx.origin));
}

/** Control characters (C0, DEL, C1) and the bidirectional overrides and isolates: a client's
 *  text must not move another client's cursor, clear its terminal, or reorder what it shows. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** A client's log text as it may be shown: control characters become one space each run. */
export function printableLogText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, " ").trim();
}

/** indigo.server.log */
export function serverLogCommand(ctx: CommandContext, msg: JsonObject): CommandOutcome {
  const raw = msg.messageText;
  if (typeof raw !== "string") return refused("messageText is required and must be a non-empty string", "messageText");
  if (raw.length > MAX_LOG_TEXT) return refused(`messageText is longer than ${MAX_LOG_TEXT} characters`, "messageText");
  const text = printableLogText(raw);
  if (text === "") return refused("messageText is required and must be a non-empty string (control characters do not count)", "messageText");
  ctx.api.log(text, `${ctx.origin.via} ${ctx.origin.client}`);
  return DONE;
}
