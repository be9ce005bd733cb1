// The one HTTP/1.1 and WebSocket server of the firmware, on any platform's byte sockets:
// the platform hands it every accepted socket (ByteSocketAcceptor); WebSocket upgrades go
// to the router's endpoints, other requests to the routes in order, 404 otherwise.
// Sockets not upgraded are capped (the ESP32 has about 8 TCP connections in all): a
// further one takes the place of the longest-idle socket between requests (or new and
// silent for a second), or is answered 503 and closed at once.
import type { MonotonicClock, Timers, WallClock } from "../core/types";
import type { ByteSocket, ByteSocketAcceptor, ByteSocketHandler } from "./byte-socket";
import { HttpConnection, type HttpConnectionOwner } from "./http-connection";
import { checkHttpLimits, DEFAULT_HTTP_LIMITS, type HttpLimits } from "./http-limits";
import type { HttpRequest, HttpResponse, HttpRoute } from "./http-types";
import type { KeyGuard } from "./key-guard";
import type { WsRouter } from "./router";
import { TextBytes } from "./send-queue";
import { encodeUtf8, globalUtf8Encoder, type Utf8Encoder } from "./utf8";

export interface HttpServerOptions {
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  /** For the Date header, once set (SNTP on the device). */
  readonly wall?: WallClock;
  readonly router: WsRouter;
  /** Asked in order; the first non-null answer is sent. */
  readonly routes?: readonly HttpRoute[];
  /** The key check shared with the router (by default the router's). */
  readonly keyGuard?: KeyGuard;
  readonly limits?: Partial<HttpLimits>;
  readonly log?: (text: string) => void;
  /** Size of the one read and the one write buffer all sockets share. */
  readonly bufferBytes?: number;
  /** A native UTF-8 encoder (the device: Moddable's "text/encoder"); by default the
   *  global TextEncoder where there is one; null: the script encoder. */
  readonly utf8Encoder?: Utf8Encoder | null;
}

export interface HttpServerStats {
  readonly httpSockets: number;
  readonly webSockets: number;
  readonly accepted: number;
  readonly evicted: number;
  readonly refusedBusy: number;
  readonly timeouts: number;
  readonly refused: number;
  readonly errors: number;
  /** WebSocket pings from peers, answered. */
  readonly pingsAnswered: number;
}

const IGNORED: ByteSocketHandler = Object.freeze({ readable() {}, writable() {}, closed() {} });

export class HttpServer implements ByteSocketAcceptor, HttpConnectionOwner {
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  readonly wall: WallClock | null;
  readonly limits: HttpLimits;
  readonly router: WsRouter;
  readonly keyGuard: KeyGuard;
  readonly readBuffer: Uint8Array;
  readonly texts: TextBytes;
  private readonly routes: HttpRoute[];
  private readonly http = new Set<HttpConnection>();
  private readonly ws = new Set<HttpConnection>();
  private readonly busy: Uint8Array;
  private counts = { accepted: 0, evicted: 0, refusedBusy: 0, timeouts: 0, refused: 0, errors: 0, pingsAnswered: 0 };
  private readonly log: (text: string) => void;

  constructor(options: HttpServerOptions) {
    const limits: HttpLimits = Object.freeze({ ...DEFAULT_HTTP_LIMITS, ...options.limits });
    const problem = checkHttpLimits(limits);
    if (problem) throw new RangeError(problem);
    this.limits = limits;
    this.clock = options.clock;
    this.timers = options.timers;
    this.wall = options.wall ?? null;
    this.router = options.router;
    this.keyGuard = options.keyGuard ?? options.router.keyGuard;
    this.routes = [...(options.routes ?? [])];
    this.log = options.log ?? (() => {});
    const size = options.bufferBytes ?? 1536;
    this.readBuffer = new Uint8Array(size);
    this.texts = new TextBytes(new Uint8Array(size), options.utf8Encoder === undefined ? globalUtf8Encoder() : options.utf8Encoder);
    const text = `server busy: at most ${limits.maxSockets} HTTP connections at a time; try again in a few seconds\n`;
    this.busy = encodeUtf8(`HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`);
  }

  /** Adds a route after those given (routes are asked in order). */
  addRoute(route: HttpRoute): void {
    this.routes.push(route);
  }

  stats(): HttpServerStats {
    return { httpSockets: this.http.size, webSockets: this.ws.size, ...this.counts };
  }

  accept(socket: ByteSocket): ByteSocketHandler {
    try {
      // The HTTP cap, and one for all sockets: WebSockets closing still hold theirs.
      const full = this.http.size >= this.limits.maxSockets || this.http.size + this.ws.size >= this.limits.maxSockets + this.router.limits.maxConnections;
      if (full && !this.evictOne()) {
        this.counts.refusedBusy++;
        if (socket.writable() >= this.busy.length) socket.write(this.busy);
        socket.close();
        return IGNORED;
      }
      const connection = new HttpConnection(this, socket);
      this.http.add(connection);
      this.counts.accepted++;
      return connection;
    } catch (error) {
      this.report("errors", `accepting ${socket.remote}: ${error instanceof Error ? error.message : String(error)}`);
      try {
        socket.close();
      } catch {
        // nothing more to do
      }
      return IGNORED;
    }
  }

  /** Closes every socket: WebSockets with 1001 first (they get their close frame), then
   *  the rest. */
  close(reason = "server shutting down"): void {
    this.router.closeAll(reason);
    for (const c of [...this.http]) c.destroy();
  }

  /** Closes every socket at once, without close frames. */
  destroyAll(): void {
    for (const c of [...this.http, ...this.ws]) c.destroy();
  }

  // --- HttpConnectionOwner ---

  route(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
    // Indexed: on XS each step of a for...of leaves an iterator result behind, per request.
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const answer = routes[i].handle(request);
      if (answer !== null && answer !== undefined) return answer;
    }
    return { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: `nothing at ${request.path}\n` };
  }

  upgraded(connection: HttpConnection): void {
    this.http.delete(connection);
    this.ws.add(connection);
  }

  answeredPing(): void {
    this.counts.pingsAnswered++;
  }

  ended(connection: HttpConnection): void {
    this.http.delete(connection);
    this.ws.delete(connection);
  }

  report(counter: "timeouts" | "refused" | "errors", text: string): void {
    this.counts[counter]++;
    this.log(text);
  }

  private evictOne(): boolean {
    const now = this.clock.now();
    let oldest: HttpConnection | null = null;
    for (const c of this.http) if (c.evictable(now) && (oldest === null || c.idleSinceMs < oldest.idleSinceMs)) oldest = c;
    if (oldest === null) return false;
    this.counts.evicted++;
    oldest.destroy();
    return true;
  }
}
