// Reading what a REST request carries: its JSON body (bounded, an object) and its query
// parameters (integers in a range, one of a set). Every refusal names the field.
import type { HttpRequest } from "../../net/http-types";
import { utf8Length } from "../../net/utf8";
import { isDigits } from "../../net/text-scan";
import { FieldError } from "./envelope";
import { codeAt } from "../../core/code-at";

/** Request bodies are refused above this many bytes. */
export const MAX_BODY_BYTES = 4096;

export type JsonObject = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return JSON.stringify(value) ?? String(value);
}

/** The body as a JSON object ({} when empty). */
export function jsonBody(request: HttpRequest): JsonObject {
  if (utf8Length(request.body, MAX_BODY_BYTES) > MAX_BODY_BYTES) {
    throw new FieldError("body", `the request body is larger than ${MAX_BODY_BYTES} bytes`, "PAYLOAD_TOO_LARGE", 413);
  }
  if (request.body.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(request.body);
  } catch (error) {
    throw new FieldError("body", `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new FieldError("body", `the request body must be a JSON object, got ${describe(value)}`);
  return value as JsonObject;
}

/** Refuses fields of `body` that are not in `known`, naming the first. */
export function onlyFields(body: JsonObject, known: readonly string[], prefix = ""): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) throw new FieldError(prefix + key, `unknown field ${JSON.stringify(prefix + key)} (known: ${known.join(", ")})`);
  }
}

export function numberField(body: JsonObject, key: string, required: boolean, prefix = ""): number | undefined {
  const value = body[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new FieldError(prefix + key, `${prefix + key} must be a number, got ${describe(value)}`);
  return value;
}

export function booleanField(body: JsonObject, key: string, prefix = ""): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw new FieldError(prefix + key, `${prefix + key} must be true or false, got ${describe(value)}`);
  return value;
}

export function choiceField<T extends string>(body: JsonObject, key: string, choices: readonly T[], required: boolean): T | undefined {
  const value = body[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || !choices.includes(value as T)) throw new FieldError(key, `${key} must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}, got ${describe(value)}`);
  return value as T;
}

/** An integer query parameter in [min, max], `fallback` when absent. */
export function queryInt(request: HttpRequest, name: string, fallback: number, min: number, max: number): number {
  const text = request.query[name];
  if (text === undefined || text === "") return fallback;
  if (!isDigits(codeAt(text, 0) === 0x2d ? text.slice(1) : text, 1, 1000)) throw new FieldError(name, `query parameter ${name} must be an integer, got ${JSON.stringify(text)}`);
  const value = Number(text);
  if (value < min || value > max) throw new FieldError(name, `query parameter ${name} must be between ${min} and ${max}, got ${text}`);
  return value;
}

export function queryChoice<T extends string>(request: HttpRequest, name: string, fallback: T, choices: readonly T[]): T {
  const text = request.query[name];
  if (text === undefined || text === "") return fallback;
  const upper = text.toUpperCase() as T;
  if (!choices.includes(upper)) throw new FieldError(name, `query parameter ${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`);
  return upper;
}
