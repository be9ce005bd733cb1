// GET /api/config and POST /api/config (partial update: device name, calibration offsets
// and, where the platform runs MQTT, the `mqtt` section; the rest is read-only). A change
// answers once it is stored. MQTT's `config/set` applies the same partial JSON through
// `configUpdater`, without the `mqtt` section (a connection does not reconfigure itself).
import type { CommandOrigin, CommandResult } from "../../core/api";
import { configView, ConfigFieldError, parseConfigPatch } from "../../config/config-document";
import type { MqttConfig } from "../mqtt/mqtt-config";
import { fail, FieldError, ok } from "./envelope";
import type { HttpRequest, HttpResponse } from "../../net/http-types";
import { restRoute, type RestContext, type RestOptions, type RestRoute, type RouteParams } from "./rest-context";
import { jsonBody } from "./request-input";

/** A configuration update that could not be stored: nothing changed. */
export class ConfigStorageError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** GET/POST /api/config's logic, shared with MQTT's config/set (one object per RestApi). */
export class ConfigUpdater {
  constructor(private readonly o: Pick<RestOptions, "api" | "settings" | "system" | "mqtt">) {}

  view(): Record<string, unknown> {
    const mqtt = this.o.mqtt;
    return mqtt ? { ...this.deviceView(), mqtt: mqtt.view() } : this.deviceView();
  }

  /** Checks the whole update, stores it, then puts it in force; resolves with the fields
   *  that changed. Throws FieldError naming a refused field, ConfigStorageError. */
  async apply(body: unknown, origin: CommandOrigin, allowMqtt: boolean): Promise<string[]> {
    const o = this.o;
    let rest = body;
    let mqttNext: MqttConfig | null = null;
    if (o.mqtt && isObject(body) && "mqtt" in body) {
      if (!allowMqtt) throw new FieldError("mqtt", "the MQTT connection is configured over REST (POST /api/config) or the set-up page, not over MQTT itself");
      const checked = o.mqtt.check(body.mqtt);
      if (!checked.ok) throw new FieldError("mqtt", checked.errors.join("; "));
      mqttNext = checked.config;
      const { mqtt: _m, ...others } = body;
      rest = others;
    }
    let change;
    try {
      change = parseConfigPatch(this.deviceView(), rest);
    } catch (error) {
      if (error instanceof ConfigFieldError) throw new FieldError(error.field, error.message);
      throw error;
    }
    const mqttChanged = mqttNext ? o.mqtt!.changes(mqttNext) : [];
    let changed: string[] = [];
    try {
      changed = await o.settings.apply(change, origin);
    } catch (error) {
      storeFailed(error, []);
    }
    if (mqttNext && mqttChanged.length > 0) {
      try {
        await o.mqtt!.apply(mqttNext);
      } catch (error) {
        storeFailed(error, changed);
      }
    }
    return [...changed, ...mqttChanged.map((f) => (f === "mqtt.password" ? "mqtt.password (not shown)" : f))];
  }

  private deviceView(): Record<string, unknown> {
    const o = this.o;
    const network = o.system.network();
    return configView({
      deviceId: o.system.deviceId,
      name: o.settings.name,
      calibration: o.settings.offsets,
      snapshot: o.api.snapshot(),
      network: o.mqtt ? { hostname: network.hostname, mqttEnabled: o.mqtt.config.enabled } : network,
    });
  }
}

function storeFailed(error: unknown, stored: readonly string[]): never {
  if (error instanceof RangeError) throw new FieldError("body", error.message);
  throw new ConfigStorageError(`the configuration could not be stored (${stored.length ? `stored: ${stored.join(", ")}` : "nothing changed"}): ${error instanceof Error ? error.message : String(error)}`);
}

/** MQTT's config/set as a command result (codes as /ws: 4002 a refused field, 5000 storage). */
export function mqttConfigure(updater: ConfigUpdater): (patch: Record<string, unknown>, origin: CommandOrigin) => Promise<CommandResult> {
  return (patch, origin) =>
    updater.apply(patch, origin, false).then(
      (changed) => ({ success: true, message: changed.length ? `updated ${changed.join(", ")}` : "nothing to change" }) as CommandResult,
      (error: unknown) =>
        ({
          success: false,
          code: error instanceof ConfigStorageError ? 5000 : 4002,
          message: error instanceof FieldError ? `${error.field}: ${error.message}` : error instanceof Error ? error.message : String(error),
        }) as CommandResult,
    );
}

function getConfig(c: RestContext): HttpResponse {
  return ok(c.config.view());
}

async function postConfig(c: RestContext, request: HttpRequest, _params: RouteParams, origin: CommandOrigin): Promise<HttpResponse> {
  const body = jsonBody(request);
  try {
    const changed = await c.config.apply(body, origin, true);
    return ok({ changed, config: c.config.view() }, changed.length ? `updated ${changed.join(", ")}` : "nothing to change");
  } catch (error) {
    if (error instanceof ConfigStorageError) return fail(500, "STORAGE_ERROR", error.message);
    throw error;
  }
}

export const CONFIG_ROUTES: readonly RestRoute[] = Object.freeze([restRoute("GET", "/api/config", getConfig), restRoute("POST", "/api/config", postConfig)]);
