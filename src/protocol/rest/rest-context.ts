// What the REST routes are given: the core's face, the logs, the device settings, the
// platform's system figures, and time.
import type { CommandOrigin, IncubatorApi } from "../../core/api";
import type { MonotonicClock, Timers, WallClock } from "../../core/types";
import type { DeviceSettings } from "../../config/device-settings";
import type { EventLog } from "../../logs/event-log";
import type { TrendLog } from "../../logs/trend-log";
import type { HttpRequest, HttpResponse } from "../../net/http-types";
import type { MqttSettings } from "../mqtt/mqtt-settings";
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

export interface RestRoute {
  readonly method: "GET" | "POST";
  /** E.g. "/api/alarms/:id/acknowledge". */
  readonly path: string;
  handle(request: HttpRequest, params: RouteParams, origin: CommandOrigin): HttpResponse | Promise<HttpResponse>;
}
