// The IncuNest REST envelope (docs: software/api/rest-api.md): {"success": true, "data": …}
// (some answers also carry "message"), errors {"success": false, "error": {"code", "message"}}
// plus "field" when one field of the request was wrong.
import type { HttpBody, HttpResponse } from "../../net/http-types";

export type RestErrorCode =
  | "INVALID_PARAMETER"
  | "INVALID_STATE"
  | "UNAUTHORIZED"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "STORAGE_ERROR"
  | "INTERNAL_ERROR";

export const JSON_TYPE = "application/json; charset=utf-8";
const NO_STORE = "no-store";

export function jsonResponse(status: number, body: HttpBody, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  return { status, headers: { "Content-Type": JSON_TYPE, "Cache-Control": NO_STORE, ...headers }, body };
}

export function ok(data: unknown, message?: string): HttpResponse {
  return jsonResponse(200, JSON.stringify(message === undefined ? { success: true, data } : { success: true, message, data }));
}

/** Success with a message and no data (the docs' acknowledge and reboot answers). */
export function done(message: string, data?: unknown): HttpResponse {
  return jsonResponse(200, JSON.stringify(data === undefined ? { success: true, message } : { success: true, message, data }));
}

export function fail(status: number, code: RestErrorCode, message: string, field?: string, headers?: Readonly<Record<string, string>>): HttpResponse {
  const error = field === undefined ? { code, message } : { code, message, field };
  return jsonResponse(status, JSON.stringify({ success: false, error }), headers);
}

/** A refusal of one field of the request, as a 400. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly code: RestErrorCode = "INVALID_PARAMETER",
    readonly status = 400,
  ) {
    super(message);
  }
}

export function fieldFailure(error: FieldError): HttpResponse {
  return fail(error.status, error.code, error.message, error.field);
}
