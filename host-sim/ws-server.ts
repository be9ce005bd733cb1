// Node binding of the WebSocket APIs: an http server with the `ws` package (noServer),
// routing each upgrade by path through the transport-neutral WsRouter, plus a small
// status page at GET /. The protocols themselves live in src/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { IncubatorApi } from "../src/core/api";
import type { MonotonicClock, Timers, WallClock } from "../src/core/types";
import type { Connection, Endpoint, UpgradeRequest } from "../src/net/endpoint";
import type { HttpRoute } from "../src/net/http-types";
import type { ServerLimits } from "../src/net/limits";
import { WsRouter } from "../src/net/router";
import { IncuNestEndpoint, WS_PATH } from "../src/protocol/incunest/endpoint";
import { serveRoutes } from "./http-route-bridge";

export interface WsServerOptions {
  readonly api: IncubatorApi;
  /** Further endpoints on the same router and connection cap (e.g. the Indigo feeds). */
  readonly endpoints?: readonly Endpoint[];
  readonly host?: string;
  /** 0 = an ephemeral port. */
  readonly port?: number;
  /** null or "" = no authentication. A function is read at every connection. */
  readonly apiKey?: string | null | (() => string | null);
  /** Time for the router's limits; real time by default (tests pass SimTime). */
  readonly clock?: MonotonicClock;
  readonly timers?: Timers;
  /** Wall clock for reply timestamps; the system clock by default. */
  readonly wall?: WallClock;
  readonly limits?: Partial<ServerLimits>;
  /** Refusals and server-side closes; by default into the firmware log (api.log). */
  readonly log?: (text: string) => void;
  /** How long a closed peer may take to answer the close frame before it is cut off. */
  readonly closeGraceMs?: number;
  /** Plain HTTP routes (the bedside app, its fallback page), asked in order. */
  readonly routes?: readonly HttpRoute[];
}

export interface WsServer {
  /** http://host:port/ (the bedside app). */
  readonly url: string;
  /** ws://host:port/ws (without the key). */
  readonly wsUrl: string;
  readonly port: number;
  readonly router: WsRouter;
  readonly incunest: IncuNestEndpoint;
  /** The http server, for further routes (and for tests to watch upgrades). */
  readonly httpServer: Server;
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

/** Close reasons are limited to 123 UTF-8 bytes by RFC 6455. */
function fitReason(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : Buffer.from(reason).subarray(0, 120).toString("utf8").replace(/\uFFFD+$/, "") + "...";
}

/** A `ws` socket as the router's transport Connection. */
class NodeWsConnection implements Connection {
  private killTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly graceMs: number,
  ) {
    ws.once("close", () => {
      if (this.killTimer) clearTimeout(this.killTimer);
    });
  }

  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  send(text: string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, fitReason(reason));
    // A peer that is not reading will never answer the close frame.
    this.killTimer ??= setTimeout(() => this.ws.terminate(), this.graceMs);
    this.killTimer.unref();
  }

  ping(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  terminate(): void {
    this.ws.terminate();
  }
}

function upgradeRequest(req: IncomingMessage, url: URL): UpgradeRequest {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const authorization = req.headers.authorization;
  return {
    path: url.pathname,
    query,
    ...(authorization !== undefined ? { authorization } : {}),
    remote: `${req.socket.remoteAddress ?? "?"}:${req.socket.remotePort ?? "?"}`,
  };
}

function refuseUpgrade(socket: Duplex, status: string, text: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

function text(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

/** Starts the http + WebSocket server; resolves once it listens. */
export async function startWsServer(options: WsServerOptions): Promise<WsServer> {
  const host = options.host ?? "127.0.0.1";
  const graceMs = options.closeGraceMs ?? 2000;
  const key = options.apiKey;
  const apiKey = typeof key === "function" ? key : () => key ?? null;
  const api = options.api;
  const router = new WsRouter({
    clock: options.clock ?? realClock,
    timers: options.timers ?? realTimers,
    apiKey,
    ...(options.limits ? { limits: options.limits } : {}),
    log: options.log ?? ((line) => api.log(line, "net")),
  });
  const incunest = new IncuNestEndpoint(api, options.wall ?? systemWallClock);
  router.register(incunest);
  for (const endpoint of options.endpoints ?? []) router.register(endpoint);

  const sockets = new Set<NodeWsConnection>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: router.limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    serveRoutes(options.routes ?? [], req, res, apiKey())
      .then((served) => {
        if (served) return;
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end(`nothing at ${new URL(req.url ?? "/", "http://localhost").pathname}; the WebSocket API is at ${WS_PATH}\n`);
      })
      .catch((error) => {
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end(`internal error: ${String(error)}\n`);
      });
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      refuseUpgrade(socket, "400 Bad Request", "bad request target\n");
      return;
    }
    if (!router.routes(url.pathname)) {
      refuseUpgrade(socket, "404 Not Found", `no WebSocket endpoint at ${url.pathname}\n`);
      return;
    }
    const request = upgradeRequest(req, url);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new NodeWsConnection(ws, graceMs);
      sockets.add(connection);
      const session = router.accept(connection, request);
      ws.on("message", (data, _isBinary) => session.onMessage(text(data)));
      ws.on("pong", () => session.onPong());
      // `ws` reports protocol violations (bad frames, too big, bad UTF-8) as an error,
      // closes with the matching code and then emits close.
      ws.on("error", () => {});
      ws.on("close", () => {
        sockets.delete(connection);
        session.onClose();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 8080);
  const hostForUrl = host.includes(":") ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl}:${port}/`,
    wsUrl: `ws://${hostForUrl}:${port}${WS_PATH}`,
    port,
    router,
    incunest,
    httpServer: server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        router.closeAll("server shutting down");
        server.close(() => resolve());
        server.closeIdleConnections();
        // Whatever has not answered its close frame by then is cut off.
        setTimeout(() => {
          for (const s of sockets) s.terminate();
          server.closeAllConnections();
        }, Math.min(graceMs, 500)).unref();
        wss.close();
      });
      return closing;
    },
  };
}
