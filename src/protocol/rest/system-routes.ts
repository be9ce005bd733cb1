// GET /api/system/logs (the event log), POST /api/system/reboot, POST /api/system/factory-reset.
import type { CommandOrigin } from "../../core/api";
import { DEFAULT_SETTINGS } from "../../core/control-config";
import { EVENT_LEVELS } from "../../logs/event-record";
import { isoUtc } from "../iso-time";
import { done, fail, FieldError, jsonResponse } from "./envelope";
import type { HttpRequest, HttpResponse } from "../../net/http-types";
import { restRoute, type RestContext, type RestOptions, type RestRoute, type RouteParams } from "./rest-context";
import { jsonBody, onlyFields, queryChoice, queryInt } from "./request-input";
import { asciiJson, textStream } from "./text-stream";

export const REBOOT_DELAY_MS = 3000;
const LEVELS = Object.freeze(["DEBUG", ...EVENT_LEVELS] as const);

async function factoryReset(o: RestOptions, origin: CommandOrigin): Promise<string[]> {
  const reset: string[] = [];
  // Through execute, like any client: validated, stored, logged with this origin.
  const steps: Array<[string, unknown]> = [
    ["set_mode", { mode: "skin" }],
    ["set_temperature", { setpoint: DEFAULT_SETTINGS.skin }],
    ["set_mode", { mode: "air" }],
    ["set_temperature", { setpoint: DEFAULT_SETTINGS.air }],
    ["set_humidity", { setpoint: DEFAULT_SETTINGS.humidity }],
    ["set_mode", { mode: DEFAULT_SETTINGS.mode }],
  ];
  for (const [action, data] of steps) {
    const result = await o.api.execute(action, data, origin);
    if (!result.success) throw new Error(`${action}: ${result.message}`);
  }
  reset.push("setpoints", "mode");
  reset.push(...(await o.settings.reset(origin)));
  if (o.factoryReset) await o.factoryReset(origin);
  return reset;
}

function getLogs(c: RestContext, request: HttpRequest): HttpResponse {
  const lines = queryInt(request, "lines", 100, 1, 1000);
  const level = queryChoice(request, "level", "DEBUG", LEVELS);
  const next = c.options.events.newestFirstCursor(level);
  let sent = 0;
  const nextItem = () => {
    if (sent >= lines) return null;
    const e = next();
    if (e === null) return null;
    sent++;
    return asciiJson({ id: e.id, timestamp: isoUtc(e.epochMs), level: e.level, event: e.kind, message: e.message, origin: e.origin ? { via: e.origin.via, client: e.origin.client } : null });
  };
  const head = '{"success":true,"data":{"level":"' + level + '","lines":' + lines + ',"logs":[';
  return jsonResponse(200, textStream({ head, tail: "]}}", separator: ",", nextItem }));
}

function postReboot(c: RestContext, request: HttpRequest, _params: RouteParams, origin: CommandOrigin): HttpResponse {
  const o = c.options;
  onlyFields(jsonBody(request), []);
  if (!o.reboot) return fail(500, "INTERNAL_ERROR", "this platform cannot reboot the firmware");
  if (!c.rebooting) {
    c.rebooting = true;
    const reboot = o.reboot;
    o.events.record("reboot", "WARNING", `reboot requested; restarting in ${REBOOT_DELAY_MS / 1000} s`, origin);
    o.timers.after(REBOOT_DELAY_MS, () => {
      // The last entry before the restart says it was one (the next boot then logs
      // no power failure), and the minute in progress is written too.
      o.events.record("reboot", "INFO", "restarting now");
      o.trend.flush(true);
      o.events.flush();
      reboot();
    });
  }
  return done(`Rebooting in ${REBOOT_DELAY_MS / 1000} seconds...`);
}

async function postFactoryReset(c: RestContext, request: HttpRequest, _params: RouteParams, origin: CommandOrigin): Promise<HttpResponse> {
  const o = c.options;
  const body = jsonBody(request);
  onlyFields(body, ["confirm"]);
  if (body.confirm !== true) throw new FieldError("confirm", `a factory reset needs {"confirm": true}, got confirm ${JSON.stringify(body.confirm) ?? "missing"}`);
  const state = o.api.snapshot().state;
  if (state !== "STANDBY") return fail(400, "INVALID_STATE", `the incubator is ${state}: stop therapy (set_state standby) before a factory reset`, "confirm");
  let reset: string[];
  try {
    reset = await factoryReset(o, origin);
  } catch (error) {
    return fail(500, "STORAGE_ERROR", `the factory reset did not complete: ${error instanceof Error ? error.message : String(error)}`);
  }
  o.events.record("factory_reset", "WARNING", "factory reset: setpoints, mode, device name and calibration restored to defaults", origin);
  return jsonResponse(200, JSON.stringify({ success: true, message: "settings restored to factory defaults; the logs, the API key and Wi-Fi are kept", data: { reset } }));
}

export const SYSTEM_ROUTES: readonly RestRoute[] = Object.freeze([
  restRoute("GET", "/api/system/logs", getLogs),
  restRoute("POST", "/api/system/reboot", postReboot),
  restRoute("POST", "/api/system/factory-reset", postFactoryReset),
]);
