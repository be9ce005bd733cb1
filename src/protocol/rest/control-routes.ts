// GET /api/control and the commands: POST /api/control/temperature | humidity | fan, and
// (beyond the docs, so REST can run the incubator like /ws and MQTT) /api/control/mode
// and /api/control/state. Every command goes through the core's `execute`, with its
// validation and ranges (PRODUCT.md's, which win over the docs' 25.0–37.5 °C).
import type { CommandOrigin, CommandResult, IncubatorApi } from "../../core/api";
import type { HttpRequest, HttpResponse } from "../../net/http-types";
import { fail, FieldError, jsonResponse } from "./envelope";
import { restRoute, type RestContext, type RestRoute, type RouteParams } from "./rest-context";
import { booleanField, choiceField, jsonBody, numberField, onlyFields, type JsonObject } from "./request-input";

const MANUAL_REFUSED =
  'heater mode "manual" is not supported: the heater is driven only by the closed-loop controller behind the safety interlock, never at a fixed power';

function round(value: number | null, scale: number): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * scale) / scale;
}

/** The docs' `mode` of a control loop: "auto" only. */
function autoMode(body: JsonObject): void {
  if (body.mode === "manual") throw new FieldError("mode", MANUAL_REFUSED);
  choiceField(body, "mode", ["auto"], false);
  if (body.manual_power !== undefined) throw new FieldError("manual_power", `manual_power cannot be set: ${MANUAL_REFUSED}`);
}

async function run(api: IncubatorApi, action: string, data: unknown, origin: CommandOrigin, field: string, answer: (result: CommandResult) => unknown): Promise<HttpResponse> {
  const result = await api.execute(action, data, origin);
  if (!result.success) {
    if (result.code === 4000) return fail(401, "UNAUTHORIZED", result.message);
    return fail(400, "INVALID_PARAMETER", result.message, field);
  }
  return jsonResponse(200, JSON.stringify({ success: true, message: result.message, data: answer(result) }));
}

function getControl(c: RestContext): HttpResponse {
  const s = c.options.api.snapshot();
  const controlled = s.effectiveMode === "skin" ? s.skin : s.air;
  return jsonResponse(200, JSON.stringify({
    success: true,
    data: {
      temperature: {
        setpoint: s.temperatureSetpoint, current: round(controlled, 100), heater_power: Math.round(s.heaterPercent), mode: "auto",
        control_mode: s.mode, effective_mode: s.effectiveMode, air_setpoint: s.setpoints.air, skin_setpoint: s.setpoints.skin, override: s.setpoints.override,
      },
      humidity: { setpoint: s.setpoints.humidity, current: round(s.humidity, 10), humidifier_active: s.humidifierOn, mode: "auto" },
      fan: { speed: Math.round(s.fanPercent), mode: "auto", rpm: round(s.fanRpm, 1) },
      state: s.state,
    },
  }));
}

function postTemperature(c: RestContext, request: HttpRequest, _params: RouteParams, origin: CommandOrigin): Promise<HttpResponse> {
  const api = c.options.api;
  const body = jsonBody(request);
  onlyFields(body, ["setpoint", "mode", "manual_power", "override"]);
  autoMode(body);
  const setpoint = numberField(body, "setpoint", true);
  const override = booleanField(body, "override");
  return run(api, "set_temperature", override === undefined ? { setpoint } : { setpoint, override }, origin, "setpoint", () => {
    const s = api.snapshot();
    return { setpoint: s.temperatureSetpoint, mode: "auto", control_mode: s.mode, override: s.setpoints.override };
  });
}

function postHumidity(c: RestContext, request: HttpRequest, _params: RouteParams, origin: CommandOrigin): Promise<HttpResponse> {
  const api = c.options.api;
  const body = jsonBody(request);
  onlyFields(body, ["setpoint", "mode"]);
  autoMode(body);
  const setpoint = numberField(body, "setpoint", true);
  return run(api, "set_humidity", { setpoint }, origin, "setpoint", () => ({ setpoint: api.snapshot().setpoints.humidity, mode: "auto" }));
}

function postFan(c: RestContext, request: HttpRequest): HttpResponse {
  const body = jsonBody(request);
  onlyFields(body, ["speed", "mode"]);
  if (body.speed !== undefined) throw new FieldError("speed", "the fan speed cannot be set: it follows the heater's demand between a floor and a ceiling, and runs whenever the heater may");
  if (body.mode === "manual") throw new FieldError("mode", 'fan mode "manual" is not supported: the fan is always automatic');
  choiceField(body, "mode", ["auto"], false);
  return jsonResponse(200, JSON.stringify({ success: true, message: "the fan is automatic", data: { speed: Math.round(c.options.api.snapshot().fanPercent), mode: "auto" } }));
}

function postMode(c: RestContext, request: HttpRequest, _params: RouteParams, origin: CommandOrigin): Promise<HttpResponse> {
  const api = c.options.api;
  const body = jsonBody(request);
  onlyFields(body, ["mode"]);
  const mode = choiceField(body, "mode", ["air", "skin"], true);
  return run(api, "set_mode", { mode }, origin, "mode", () => ({ mode: api.snapshot().mode }));
}

function postState(c: RestContext, request: HttpRequest, _params: RouteParams, origin: CommandOrigin): Promise<HttpResponse> {
  const api = c.options.api;
  const body = jsonBody(request);
  onlyFields(body, ["action"]);
  const action = choiceField(body, "action", ["start", "stop", "standby", "reset"], true);
  return run(api, "set_state", { state: action }, origin, "action", () => ({ state: api.snapshot().state }));
}

export const CONTROL_ROUTES: readonly RestRoute[] = Object.freeze([
  restRoute("GET", "/api/control", getControl),
  restRoute("POST", "/api/control/temperature", postTemperature),
  restRoute("POST", "/api/control/humidity", postHumidity),
  restRoute("POST", "/api/control/fan", postFan),
  restRoute("POST", "/api/control/mode", postMode),
  restRoute("POST", "/api/control/state", postState),
]);
