// The one server the firmware runs, the same on the device and in host-sim: /ws, the
// Indigo feeds, /status and /status.json behind the key, and the open page at / that
// says how to connect. Each platform binds its sockets to `http` (a ByteSocketAcceptor)
// and passes its own routes (e.g. the device's set-up); adding a route is one line in
// `routes` below or in the platform's list.
import type { IncubatorApi, Snapshot } from "../core/api";
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
import { ConnectPageRoute } from "./connect-page";
import { renderStatusPage } from "./status-page";
import { StatusRoutes } from "./status-routes";

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

class Server implements FirmwareServer {
  readonly http: HttpServer;
  readonly router: WsRouter;
  readonly incunest: IncuNestEndpoint;
  readonly feeds: IndigoFeeds;
  readonly keyGuard: KeyGuard;

  constructor(private readonly o: FirmwareServerOptions) {
    const log = o.log ?? ((line: string) => o.api.log(line, "net"));
    const keyGuard = new KeyGuard(o.clock, o.apiKey, o.keyThrottle);
    this.keyGuard = keyGuard;
    const router = new WsRouter({ clock: o.clock, timers: o.timers, apiKey: o.apiKey, keyGuard, ...(o.limits ? { limits: o.limits } : {}), log });
    this.router = router;
    this.incunest = new IncuNestEndpoint(o.api, o.wall);
    this.feeds = new IndigoFeeds(o.api, o.indigo ?? {});
    router.register(this.incunest);
    router.register(this.feeds);
    for (const endpoint of o.endpoints ?? []) router.register(endpoint);
    // The HTTP server copies the list; the routes are objects with their handlers on a
    // prototype, not closures.
    const routes: HttpRoute[] = [...(o.routes ?? []), new StatusRoutes(this), new ConnectPageRoute(o.keyHint, keyGuard)];
    this.http = new HttpServer({ clock: o.clock, timers: o.timers, wall: o.wall, router, routes, keyGuard, ...(o.httpLimits ? { limits: o.httpLimits } : {}), ...(o.utf8Encoder !== undefined ? { utf8Encoder: o.utf8Encoder } : {}), log });
  }

  snapshot(): Snapshot {
    return this.o.api.snapshot();
  }

  statusPage(): string {
    const o = this.o;
    return renderStatusPage(o.api.snapshot(), {
      platform: o.platform,
      wsPath: WS_PATH,
      connections: this.router.stats(),
      limits: this.router.limits,
      http: this.http.stats(),
      rows: o.statusRows?.() ?? [],
    });
  }

  close(reason = "server shutting down"): void {
    this.http.close(reason);
    this.feeds.dispose();
  }
}

export function createFirmwareServer(o: FirmwareServerOptions): FirmwareServer {
  return new Server(o);
}
