// host-sim's server: the firmware's one HTTP and WebSocket server (src/firmware/server.ts,
// the code the device runs) on `node:net` sockets with an emulated send window.
import type { IncubatorApi } from "../src/core/api";
import type { MonotonicClock, Timers, WallClock } from "../src/core/types";
import type { Endpoint } from "../src/net/endpoint";
import type { HttpServer } from "../src/net/http-server";
import type { HttpLimits } from "../src/net/http-limits";
import type { HttpRoute } from "../src/net/http-types";
import type { KeyThrottle } from "../src/net/key-guard";
import type { ServerLimits } from "../src/net/limits";
import type { WsRouter } from "../src/net/router";
import type { IncuNestEndpoint } from "../src/protocol/incunest/endpoint";
import { WS_PATH } from "../src/protocol/incunest/endpoint";
import type { IndigoFeeds } from "../src/protocol/indigo/feeds";
import { createFirmwareServer } from "../src/firmware/server";
import { listenByteSockets, type NodeByteSocket } from "./node-byte-socket";

export interface ServerOptions {
  readonly api: IncubatorApi;
  /** Further WebSocket endpoints beside /ws and the Indigo feeds. */
  readonly endpoints?: readonly Endpoint[];
  /** Further HTTP routes, asked before the common ones. */
  readonly routes?: readonly HttpRoute[];
  readonly host?: string;
  /** 0 = an ephemeral port. */
  readonly port?: number;
  /** null or "" = no authentication. A function is read at every request. */
  readonly apiKey?: string | null | (() => string | null);
  /** Time for the server's limits and deadlines; real time by default (tests pass SimTime). */
  readonly clock?: MonotonicClock;
  readonly timers?: Timers;
  /** Wall clock for timestamps and the Date header; the system clock by default. */
  readonly wall?: WallClock;
  readonly limits?: Partial<ServerLimits>;
  readonly httpLimits?: Partial<HttpLimits>;
  readonly keyThrottle?: Partial<KeyThrottle>;
  /** Refusals and server-side closes; by default into the firmware log (api.log). */
  readonly log?: (text: string) => void;
  /** How long a WebSocket close handshake may take (httpLimits.wsCloseTimeoutMs). */
  readonly closeGraceMs?: number;
  /** The emulated socket send window: 8192 like the ESP32 (default), 1024 like lin. */
  readonly sendWindow?: number;
}

export interface HostServer {
  /** http://host:port/ */
  readonly url: string;
  /** ws://host:port/ws (without the key). */
  readonly wsUrl: string;
  readonly port: number;
  readonly router: WsRouter;
  readonly incunest: IncuNestEndpoint;
  readonly feeds: IndigoFeeds;
  readonly http: HttpServer;
  /** The server side of every open connection. */
  sockets(): NodeByteSocket[];
  /** The server side of the connection whose client end has local port `port`. */
  socketOfPeer(port: number): NodeByteSocket | undefined;
  close(): Promise<void>;
}

export const realClock: MonotonicClock = { now: () => performance.now() };
export const realTimers: Timers = {
  after(ms, callback) {
    const handle = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};
export const systemWallClock: WallClock = { epochMs: () => Date.now(), isSet: () => true };

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<HostServer> {
  const host = options.host ?? "127.0.0.1";
  const key = options.apiKey;
  const apiKey = typeof key === "function" ? key : () => key ?? null;
  const httpLimits: Partial<HttpLimits> = { ...options.httpLimits, ...(options.closeGraceMs !== undefined ? { wsCloseTimeoutMs: options.closeGraceMs } : {}) };
  const firmware = createFirmwareServer({
    api: options.api,
    clock: options.clock ?? realClock,
    timers: options.timers ?? realTimers,
    wall: options.wall ?? systemWallClock,
    apiKey,
    keyHint: "printed by npm start (and stored in its settings file)",
    platform: "host-sim",
    httpLimits,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.keyThrottle ? { keyThrottle: options.keyThrottle } : {}),
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const log = options.log ?? ((line: string) => options.api.log(line, "net"));
  const listener = await listenByteSockets(firmware.http, host, options.port ?? 8080, {
    sendWindow: options.sendWindow ?? 8192,
    onHandlerError: (error) => log(`BUG: the server let an exception reach the socket binding: ${String(error)}`),
  });
  const hostForUrl = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl}:${listener.port}/`,
    wsUrl: `ws://${hostForUrl}:${listener.port}${WS_PATH}`,
    port: listener.port,
    router: firmware.router,
    incunest: firmware.incunest,
    feeds: firmware.feeds,
    http: firmware.http,
    sockets: () => [...listener.sockets],
    socketOfPeer: (port) => [...listener.sockets].find((s) => s.peerPort === port),
    close() {
      closing ??= (async () => {
        firmware.close("server shutting down");
        // Whatever has not answered its close frame by then is cut off.
        const deadline = Date.now() + Math.min(options.closeGraceMs ?? 2000, 500);
        while (listener.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        firmware.http.destroyAll();
        await listener.close();
      })();
      return closing;
    },
  };
}
