// GET /api/alarms, POST /api/alarms/:id/acknowledge (through `execute`), GET /api/alarms/history.
import type { AlarmInfo, CommandOrigin } from "../../core/api";
import type { HttpRequest, HttpResponse } from "../../net/http-types";
import { isDigits } from "../../net/text-scan";
import { isoUtc } from "../iso-time";
import { fail, FieldError, jsonResponse, ok } from "./envelope";
import { restRoute, type RestContext, type RestRoute, type RouteParams } from "./rest-context";
import { queryInt } from "./request-input";

function iso(ms: number | null): string | null {
  return ms === null ? null : isoUtc(ms);
}

function round(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 100) / 100;
}

/** The docs' alarm object (`id, code, level, message, timestamp, acknowledged`) and the
 *  rest of what /ws sends about it. */
export function alarmJson(a: AlarmInfo) {
  return {
    id: a.id, code: a.code, level: a.level, message: a.message, timestamp: isoUtc(a.raisedAtMs), acknowledged: a.acknowledged,
    active: a.active, priority: a.priority, latching: a.latching, value: round(a.value), limit: round(a.limit),
    raised_at: isoUtc(a.raisedAtMs), acknowledged_at: iso(a.acknowledgedAtMs), cleared_at: iso(a.clearedAtMs),
  };
}

function getAlarms(c: RestContext): HttpResponse {
  const alarms = c.options.api.snapshot().alarms;
  return ok({ active_count: alarms.filter((a) => a.active).length, alarms: alarms.map(alarmJson) });
}

async function acknowledge(c: RestContext, _request: HttpRequest, params: RouteParams, origin: CommandOrigin): Promise<HttpResponse> {
  const api = c.options.api;
  const text = params.id;
  if (!isDigits(text, 1, 9) || Number(text) < 1) throw new FieldError("id", `the alarm id must be a positive integer, got ${JSON.stringify(text)}`);
  const id = Number(text);
  const known = api.snapshot().alarms.some((a) => a.id === id) || api.alarmHistory().some((a) => a.id === id);
  if (!known) return fail(404, "NOT_FOUND", `no alarm with id ${id}`, "id");
  const result = await api.execute("acknowledge_alarm", { alarm_id: id }, origin);
  if (!result.success) return fail(400, "INVALID_PARAMETER", result.message, "id");
  const alarm = api.snapshot().alarms.find((a) => a.id === id) ?? api.alarmHistory().find((a) => a.id === id);
  return jsonResponse(200, JSON.stringify({ success: true, message: result.message, data: alarm ? alarmJson(alarm) : null }));
}

function getHistory(c: RestContext, request: HttpRequest): HttpResponse {
  const hours = queryInt(request, "hours", 24, 1, 8760);
  const limit = queryInt(request, "limit", 100, 1, 1000);
  const since = c.options.wall.epochMs() - hours * 3_600_000;
  const history = c.options.api.alarmHistory();
  const alarms = [];
  for (let i = history.length - 1; i >= 0 && alarms.length < limit; i--) {
    if (history[i].raisedAtMs >= since) alarms.push(alarmJson(history[i]));
  }
  return ok({ count: alarms.length, hours, alarms });
}

export const ALARM_ROUTES: readonly RestRoute[] = Object.freeze([
  restRoute("GET", "/api/alarms", getAlarms),
  restRoute("POST", "/api/alarms/:id/acknowledge", acknowledge),
  restRoute("GET", "/api/alarms/history", getHistory),
]);
