// The one server the firmware runs, the same on the device and in host-sim: /ws, the
// Indigo feeds, /status and /status.json behind the key, and the open page at / that
// says how to connect. Each platform binds its sockets to `http` (a ByteSocketAcceptor)
// and passes its own routes (e.g. the device's set-up); adding a route is one line in
// `routes` below or in the platform's list.
import type { IncubatorApi } from "../core/api";
import type { MonotonicClock, Timers, WallClock } from "../core/types";
import type { Endpoint } from "../net/endpoint";
import { HttpServer } from "../net/http-server";
import type { HttpLimits } from "../net/http-limits";
import type { HttpRoute } from "../net/http-types";
import { KeyGuard, type KeyThrottle } from "../net/key-guard";
import type { ServerLimits } from "../net/limits";
import type { Utf8Encoder } from "../net/utf8";
import { WsRouter } from "../net/router";
import { IncuNestEndpoint, WS_PATH } from "../protocol/incunest/endpoint";
import { IndigoFeeds, type IndigoFeedsOptions } from "../protocol/indigo/feeds";
import { connectPageRoute } from "./connect-page";
import { renderStatusPage } from "./status-page";
import { statusRoutes } from "./status-routes";

export interface FirmwareServerOptions {
  readonly api: IncubatorApi;
  /** Time for the server's limits and deadlines (real time; tests: simulated). */
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  /** For message timestamps and the Date header. */
  readonly wall: WallClock;
  /** The configured API key, read at every request; null or "" = no authentication. */
  readonly apiKey: () => string | null;
  /** Where a user finds the key, for the page at / ("printed on the debug console ..."). */
  readonly keyHint: string;
  /** "host-sim" or "device", for the status page. */
  readonly platform: string;
  readonly limits?: Partial<ServerLimits>;
  readonly httpLimits?: Partial<HttpLimits>;
  readonly keyThrottle?: Partial<KeyThrottle>;
  /** How the Indigo feeds schedule their per-tick work (the device: after the tick). */
  readonly indigo?: IndigoFeedsOptions;
  /** The platform's routes, asked before the common ones. */
  readonly routes?: readonly HttpRoute[];
  /** Further WebSocket endpoints (on the same router and connection cap). */
  readonly endpoints?: readonly Endpoint[];
  /** Rows the platform adds to the status page (network, hardware, ...). */
  readonly statusRows?: () => readonly (readonly [string, string])[];
  readonly log?: (text: string) => void;
  /** A native UTF-8 encoder (the device: `new TextEncoder()` of Moddable's "text/encoder");
   *  by default the global TextEncoder where there is one; null: the script encoder. */
  readonly utf8Encoder?: Utf8Encoder | null;
}

export interface FirmwareServer {
  /** What the platform's listener hands every accepted socket to. */
  readonly http: HttpServer;
  readonly router: WsRouter;
  readonly incunest: IncuNestEndpoint;
  readonly feeds: IndigoFeeds;
  readonly keyGuard: KeyGuard;
  /** Closes every connection (WebSockets with 1001) and stops the feeds. */
  close(reason?: string): void;
}

export function createFirmwareServer(o: FirmwareServerOptions): FirmwareServer {
  const log = o.log ?? ((line: string) => o.api.log(line, "net"));
  const keyGuard = new KeyGuard(o.clock, o.apiKey, o.keyThrottle);
  const router = new WsRouter({ clock: o.clock, timers: o.timers, apiKey: o.apiKey, keyGuard, ...(o.limits ? { limits: o.limits } : {}), log });
  const incunest = new IncuNestEndpoint(o.api, o.wall);
  const feeds = new IndigoFeeds(o.api, o.indigo ?? {});
  router.register(incunest);
  router.register(feeds);
  for (const endpoint of o.endpoints ?? []) router.register(endpoint);

  let http: HttpServer | null = null;
  const statusPage = () =>
    renderStatusPage(o.api.snapshot(), {
      platform: o.platform,
      wsPath: WS_PATH,
      connections: router.stats(),
      limits: router.limits,
      http: http!.stats(),
      rows: o.statusRows?.() ?? [],
    });
  const routes: HttpRoute[] = [
    ...(o.routes ?? []),
    statusRoutes(() => o.api.snapshot(), statusPage),
    connectPageRoute({ keyHint: o.keyHint, keyRequired: () => keyGuard.required }),
  ];
  http = new HttpServer({ clock: o.clock, timers: o.timers, wall: o.wall, router, routes, keyGuard, ...(o.httpLimits ? { limits: o.httpLimits } : {}), ...(o.utf8Encoder !== undefined ? { utf8Encoder: o.utf8Encoder } : {}), log });
  const server = http;
  return {
    http: server,
    router,
    incunest,
    feeds,
    keyGuard,
    close(reason = "server shutting down") {
      server.close(reason);
      feeds.dispose();
    },
  };
}
