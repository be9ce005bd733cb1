import type { CommandErrorCode } from "./api";
import { SETPOINT_LIMITS } from "./control-config";
import type { StateRequest } from "./state-machine";
import type { ControlMode } from "./types";

/** A command that passed validation of its own fields; range checks that depend on the
 *  incubator's mode happen when it is applied. */
export type Command =
  | { readonly action: "set_temperature"; readonly setpoint: number; readonly override: boolean }
  | { readonly action: "set_humidity"; readonly setpoint: number }
  | { readonly action: "set_mode"; readonly mode: ControlMode }
  | { readonly action: "set_state"; readonly state: StateRequest }
  | { readonly action: "acknowledge_alarm"; readonly alarmId: number }
  | { readonly action: "acknowledge_all" };

export interface CommandError {
  readonly error: string;
  readonly code: CommandErrorCode;
}

const STATES: readonly StateRequest[] = Object.freeze(["start", "stop", "standby", "reset"]);
const MODES: readonly ControlMode[] = Object.freeze(["air", "skin"]);

function invalid(error: string): CommandError {
  return { error, code: 4002 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return JSON.stringify(value) ?? String(value);
}

function finiteNumber(data: Record<string, unknown>, key: string): number | CommandError {
  const value = data[key];
  if (typeof value !== "number" || !Number.isFinite(value)) return invalid(`data.${key} must be a number, got ${describe(value)}`);
  return value;
}

/** Parses an action and its data; unknown actions are 4001, bad data 4002. */
export function parseCommand(action: unknown, data: unknown): Command | CommandError {
  if (typeof action !== "string") return { error: `action must be a string, got ${describe(action)}`, code: 4001 };
  const fields = data === undefined || data === null ? {} : data;
  if (!isRecord(fields)) return invalid(`data must be an object, got ${describe(data)}`);
  switch (action) {
    case "set_temperature": {
      const setpoint = finiteNumber(fields, "setpoint");
      if (typeof setpoint !== "number") return setpoint;
      const override = fields.override;
      if (override !== undefined && typeof override !== "boolean") return invalid(`data.override must be true or false, got ${describe(override)}`);
      return { action, setpoint, override: override === true };
    }
    case "set_humidity": {
      const setpoint = finiteNumber(fields, "setpoint");
      if (typeof setpoint !== "number") return setpoint;
      const { min, max } = SETPOINT_LIMITS.humidity;
      if (setpoint < min || setpoint > max) return invalid(`humidity setpoint ${setpoint} %RH is outside ${min}–${max} %RH`);
      return { action, setpoint };
    }
    case "set_mode": {
      const mode = fields.mode;
      if (!MODES.includes(mode as ControlMode)) return invalid(`data.mode must be "air" or "skin", got ${describe(mode)}`);
      return { action, mode: mode as ControlMode };
    }
    case "set_state": {
      const state = fields.state;
      if (!STATES.includes(state as StateRequest)) return invalid(`data.state must be one of ${STATES.join(", ")}, got ${describe(state)}`);
      return { action, state: state as StateRequest };
    }
    case "acknowledge_alarm": {
      const id = fields.alarm_id;
      if (typeof id !== "number" || !Number.isInteger(id) || id < 1) return invalid(`data.alarm_id must be a positive integer, got ${describe(id)}`);
      return { action, alarmId: id };
    }
    case "acknowledge_all":
      return { action };
    default:
      return { error: `unknown action ${JSON.stringify(action)}`, code: 4001 };
  }
}

/** Range check of a temperature setpoint for the mode it will apply to. */
export function temperatureRangeError(mode: ControlMode, setpoint: number, override: boolean): string | null {
  if (mode === "skin") {
    const { min, max } = SETPOINT_LIMITS.skin;
    return setpoint < min || setpoint > max ? `skin setpoint ${setpoint} °C is outside ${min}–${max} °C` : null;
  }
  const { min, max, overrideMax } = SETPOINT_LIMITS.air;
  const top = override ? overrideMax : max;
  if (setpoint >= min && setpoint <= top) return null;
  const hint = !override && setpoint > max && setpoint <= overrideMax ? ` (up to ${overrideMax} °C needs "override": true)` : "";
  return `air setpoint ${setpoint} °C is outside ${min}–${top} °C${hint}`;
}
