// What the REST routes are given: the core's face, the logs, the device settings, the
// platform's system figures, and time. The route tables are module constants (in flash
// on the device: preloaded); what a RestApi makes at run time is one RestContext that
// every handler is given, not a closure per route.
import type { CommandOrigin, IncubatorApi } from "../../core/api";
import type { MonotonicClock, Timers, WallClock } from "../../core/types";
import type { DeviceSettings } from "../../config/device-settings";
import type { EventLog } from "../../logs/event-log";
import type { TrendLog } from "../../logs/trend-log";
import type { HttpRequest, HttpResponse } from "../../net/http-types";
import type { MqttSettings } from "../mqtt/mqtt-settings";
import type { ConfigUpdater } from "./config-routes";
import type { SystemInfo } from "./system-info";

export interface RestOptions {
  readonly api: IncubatorApi;
  readonly trend: TrendLog;
  readonly events: EventLog;
  readonly settings: DeviceSettings;
  readonly system: SystemInfo;
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  readonly wall: WallClock;
  /** Restarts the firmware; called 3 s after POST /api/system/reboot was answered (the
   *  logs are written first). Absent: reboots are refused. */
  readonly reboot?: () => void;
  /** Extra work of a factory reset beyond the settings REST owns (e.g. other records). */
  readonly factoryReset?: (origin: CommandOrigin) => Promise<void>;
  /** The MQTT configuration, on a platform that runs MQTT: GET/POST /api/config's `mqtt`. */
  readonly mqtt?: MqttSettings;
}

export type RouteParams = Readonly<Record<string, string>>;

/** The one object of a RestApi that its routes' handlers share. */
export interface RestContext {
  readonly options: RestOptions;
  /** GET/POST /api/config's logic (MQTT's config/set too). */
  readonly config: ConfigUpdater;
  /** A reboot was asked for and is scheduled (POST /api/system/reboot answers once). */
  rebooting: boolean;
}

export type RestHandler = (c: RestContext, request: HttpRequest, params: RouteParams, origin: CommandOrigin) => HttpResponse | Promise<HttpResponse>;

export interface RestRoute {
  readonly method: "GET" | "POST";
  /** The path split at "/": "/api/alarms/:id/acknowledge" is ["", "api", "alarms", ":id",
   *  "acknowledge"]; a part ":name" matches any one part, given as params.name. */
  readonly parts: readonly string[];
  /** Per part, the parameter's name (":id" -> "id"), or null where the part is literal:
   *  found once here, so matching a request compares strings and makes nothing. */
  readonly names: readonly (string | null)[];
  readonly handle: RestHandler;
}

/** One row of a route table, frozen (a module constant: made once, in flash on the device). */
export function restRoute(method: RestRoute["method"], path: string, handle: RestHandler): RestRoute {
  const parts = path.split("/");
  const names = parts.map((part) => (part.startsWith(":") ? part.slice(1) : null));
  return Object.freeze({ method, parts: Object.freeze(parts), names: Object.freeze(names), handle });
}
