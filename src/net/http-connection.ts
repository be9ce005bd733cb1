// One accepted socket, from its first byte to its close: requests read and bounded, each
// answered in turn (keep-alive; pipelined requests wait in the socket until the answer
// before them is out), or the socket upgraded to a WebSocket. Every deadline is one timer;
// every throw from below stops at this connection, which is then closed.
import type { MonotonicClock, TimerHandle, Timers, WallClock } from "../core/types";
import type { ByteSocket, ByteSocketHandler } from "./byte-socket";
import type { UpgradeRequest } from "./endpoint";
import type { HttpLimits } from "./http-limits";
import { HttpRequestReader } from "./http-request-reader";
import { httpDate, queueResponse, type Exchange } from "./http-response";
import type { HttpRequest, HttpResponse } from "./http-types";
import type { KeyGuard } from "./key-guard";
import type { WsRouter } from "./router";
import { SendQueue, type TextBytes } from "./send-queue";
import { dispatchRequest, TEXT_PLAIN } from "./http-dispatch";
import { headerHasToken, switchingProtocols, wantsWebSocket } from "./ws-handshake";
import { WsConnection, type WsConnectionOwner } from "./ws-connection";

const READING = 0;
/** Kept alive between requests, waiting for the next one. */
const IDLE = 1;
/** A route is working on the answer. */
const HANDLING = 2;
const RESPONDING = 3;
/** After an error response: the rest of the request is read and dropped, then closed. */
const LINGERING = 4;
const WEBSOCKET = 5;
const CLOSED = 6;

export interface HttpConnectionOwner {
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  readonly wall: WallClock | null;
  readonly limits: HttpLimits;
  readonly router: WsRouter;
  readonly keyGuard: KeyGuard;
  /** Shared by every connection (one thread): what socket reads land in. */
  readonly readBuffer: Uint8Array;
  /** Shared too: the write buffer and how texts become bytes. */
  readonly texts: TextBytes;
  /** Asks the routes in order (404 when none serves the path). May throw. */
  route(request: HttpRequest): HttpResponse | Promise<HttpResponse>;
  upgraded(connection: HttpConnection): void;
  answeredPing(): void;
  ended(connection: HttpConnection): void;
  /** A refusal or failure worth a log line; `counter` names the statistic it counts in. */
  report(counter: "timeouts" | "refused" | "errors", text: string): void;
}

const CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";
/** How long a refused upgrade waits for the peer's answer to the close frame. */
const REFUSAL_CLOSE_MS = 500;

export class HttpConnection implements ByteSocketHandler, WsConnectionOwner {
  private state = READING;
  /** Dropped at the upgrade: a WebSocket reads no more requests, and holds none of its buffers. */
  private reader: HttpRequestReader | null;
  private readonly queue: SendQueue;
  private ws: WsConnection | null = null;
  /** Bytes read past the end of a request (pipelining), handled after its answer. */
  private pending: Uint8Array | null = null;
  private timer: TimerHandle | null = null;
  /** Since when nothing has been asked of this socket (for eviction). */
  idleSinceMs: number;
  private closeAfterResponse = false;
  private lingerAfterResponse = false;
  private lingerLeft = 0;
  private progressMs = 0;
  private continueSent = false;
  /** Inside readAll: an answer finished meanwhile does not start a second, nested one
   *  (a stream of pipelined requests would otherwise recurse once per request). */
  private reading = false;
  private exchange: Exchange | null = null;

  constructor(
    private readonly owner: HttpConnectionOwner,
    readonly socket: ByteSocket,
  ) {
    this.reader = new HttpRequestReader(owner.limits);
    this.queue = new SendQueue(owner.texts);
    this.idleSinceMs = owner.clock.now();
    this.arm(owner.limits.requestTimeoutMs);
  }

  get remote(): string {
    return this.socket.remote;
  }

  get isWebSocket(): boolean {
    return this.state === WEBSOCKET;
  }

  /** Whether it could be closed to make room: kept alive between requests, or answered
   *  and lingering (at once: a client retries a request on a reused socket that closes,
   *  RFC 9112 9.3.1), or new and silent for a while (its first request may be on the way). */
  evictable(now: number): boolean {
    const state = this.state;
    if (state === IDLE || state === LINGERING) return true;
    return state === READING && !this.reader!.started && now - this.idleSinceMs >= this.owner.limits.evictIdleAfterMs;
  }

  // --- ByteSocketHandler: every entry from the platform is guarded ---

  readable(): void {
    this.guard(() => this.readAll());
  }

  writable(): void {
    this.guard(() => {
      if (this.state === WEBSOCKET) this.ws!.writable();
      else this.pump();
    });
  }

  closed(): void {
    this.guard(() => this.finish());
  }

  /** Closes the socket now (eviction, shutdown). */
  destroy(): void {
    this.guard(() => this.finish());
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.owner.report("errors", `internal error on ${this.remote}: ${error instanceof Error ? error.message : String(error)}`);
      try {
        this.finish();
      } catch {
        // the socket is beyond help; it is forgotten
      }
    }
  }

  // --- reading ---

  private readAll(): void {
    if (this.reading) return;
    this.reading = true;
    try {
      this.readLoop();
    } finally {
      this.reading = false;
    }
  }

  private readLoop(): void {
    const buffer = this.owner.readBuffer;
    for (;;) {
      const state = this.state;
      if (state !== READING && state !== IDLE && state !== LINGERING && state !== WEBSOCKET) return;
      if (this.pending !== null && state !== WEBSOCKET && state !== LINGERING) {
        const bytes = this.pending;
        this.pending = null;
        this.take(bytes, 0, bytes.length);
        continue;
      }
      const n = this.socket.read(buffer);
      if (!(n > 0)) return;
      this.take(buffer, 0, n);
    }
  }

  private take(bytes: Uint8Array, start: number, end: number): void {
    if (this.state === WEBSOCKET) return this.ws!.receive(bytes, start, end);
    if (this.state === LINGERING) {
      this.lingerLeft -= end - start;
      if (this.lingerLeft <= 0) this.finish();
      return;
    }
    if (this.state === IDLE) {
      this.state = READING;
      this.arm(this.owner.limits.requestTimeoutMs);
    }
    const reader = this.reader!;
    const used = reader.push(bytes, start, end);
    if (reader.failed) return this.refuse(reader.error!.status, reader.error!.message, true);
    if (reader.readingBody && !this.continueSent && headerHasToken(reader.headers["expect"], "100-continue")) {
      this.continueSent = true;
      this.queue.text(CONTINUE);
      this.pump();
    }
    if (!reader.complete) return;
    const rest = start + used;
    if (rest < end && !wantsWebSocket(reader)) this.pending = bytes.slice(rest, end);
    this.dispatch(bytes, rest, end);
  }

  // --- answering ---

  private dispatch(bytes: Uint8Array, rest: number, end: number): void {
    this.continueSent = false;
    const d = dispatchRequest(this.reader!, this.remote, this.owner.router, this.owner.keyGuard);
    if (d.kind === "upgrade") return this.upgrade(d.accept, d.request, bytes, rest, end);
    this.exchange = d.exchange;
    if (d.kind === "answer") {
      if (d.log !== null) this.owner.report("refused", d.log);
      return this.respond(d.response, d.exchange);
    }
    const { request, exchange } = d;
    this.state = HANDLING;
    this.arm(this.owner.limits.responseTimeoutMs);
    let answer: HttpResponse | Promise<HttpResponse>;
    try {
      answer = this.owner.route(request);
    } catch (error) {
      return this.failed(request.path, error);
    }
    if (answer !== null && typeof (answer as Promise<HttpResponse>).then === "function") {
      (answer as Promise<HttpResponse>).then(
        (response) => this.guard(() => this.answered(response, exchange)),
        (error) => this.guard(() => {
          if (this.exchange === exchange && this.state === HANDLING) this.failed(request.path, error);
        }),
      );
    } else this.answered(answer as HttpResponse, exchange);
  }

  private answered(response: HttpResponse | null | undefined, exchange: Exchange): void {
    if (this.exchange !== exchange || this.state !== HANDLING) return; // timed out or closed meanwhile
    if (!response || typeof response.status !== "number") return this.failed("", new Error("the route answered nothing"));
    this.respond(response, exchange);
  }

  private failed(path: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.owner.report("errors", `route failed on ${path} for ${this.remote}: ${message}`);
    this.respond({ status: 500, headers: TEXT_PLAIN, body: `internal error: ${message}\n` }, this.exchange ?? { head: false, close: true, chunkedAllowed: true });
  }

  /** An error answer that ends the connection; `linger`: the request may still be
   *  arriving, so its rest is read and dropped before closing. */
  private refuse(status: number, message: string, linger: boolean): void {
    this.owner.report(status === 408 ? "timeouts" : "refused", `${status} to ${this.remote}: ${message}`);
    this.pending = null;
    this.lingerAfterResponse = linger;
    this.respond({ status, headers: TEXT_PLAIN, body: `${message}\n` }, { head: false, close: true, chunkedAllowed: false });
  }

  private respond(response: HttpResponse, exchange: Exchange): void {
    const wall = this.owner.wall;
    this.closeAfterResponse = queueResponse(this.queue, response, exchange, wall && wall.isSet() ? httpDate(wall.epochMs()) : null);
    this.state = RESPONDING;
    this.progressMs = this.owner.clock.now();
    this.arm(this.owner.limits.responseTimeoutMs);
    this.pump();
  }

  private upgrade(accept: string, request: UpgradeRequest, bytes: Uint8Array, rest: number, end: number): void {
    this.state = WEBSOCKET;
    this.cancelTimer();
    // The request is done with: nothing of it is held for the connection's lifetime.
    this.reader = null;
    this.exchange = null;
    this.queue.text(switchingProtocols(accept));
    const owner = this.owner;
    const ws = new WsConnection(this, this.socket, this.queue);
    this.ws = ws;
    owner.upgraded(this);
    ws.session = owner.router.accept(ws, request);
    // Refused (no key, wrong key, server full): a peer that does not answer the close
    // frame must not hold one of the few sockets for long.
    if (!ws.isOpen) return ws.closeWithin(REFUSAL_CLOSE_MS);
    ws.writable();
    if (rest < end) ws.receive(bytes, rest, end);
  }

  private pump(): void {
    if (this.state === CLOSED) return;
    if (this.queue.pump(this.socket) > 0) this.progressMs = this.owner.clock.now();
    if (this.state === RESPONDING && this.queue.isEmpty) this.responseDone();
  }

  private responseDone(): void {
    this.exchange = null;
    if (this.closeAfterResponse) {
      if (!this.lingerAfterResponse) return this.finish();
      this.state = LINGERING;
      this.lingerLeft = this.owner.limits.lingerBytes;
      this.arm(this.owner.limits.lingerMs);
      return this.readAll();
    }
    this.reader!.reset();
    this.state = IDLE;
    this.idleSinceMs = this.owner.clock.now();
    this.arm(this.owner.limits.keepAliveIdleMs);
    this.readAll();
  }

  // --- WsConnectionOwner (this socket's WebSocket, once upgraded) ---

  get timers(): Timers {
    return this.owner.timers;
  }

  get closeTimeoutMs(): number {
    return this.owner.limits.wsCloseTimeoutMs;
  }

  get maxMessageBytes(): number {
    return this.owner.router.limits.maxFrameBytes;
  }

  ended(): void {
    this.finish();
  }

  answeredPing(): void {
    this.owner.answeredPing();
  }

  // --- time ---

  private arm(ms: number): void {
    this.cancelTimer();
    this.timer = this.owner.timers.after(ms, () => {
      this.timer = null;
      this.guard(() => this.expired());
    });
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private expired(): void {
    const limits = this.owner.limits;
    const now = this.owner.clock.now();
    switch (this.state) {
      case READING:
        if (!this.reader!.started) return this.finish(); // never asked anything
        return this.refuse(408, `request not complete within ${limits.requestTimeoutMs / 1000} s`, false);
      case HANDLING:
        this.owner.report("timeouts", `no answer within ${limits.responseTimeoutMs / 1000} s for ${this.remote}`);
        this.lingerAfterResponse = false;
        return this.respond({ status: 503, headers: TEXT_PLAIN, body: `the server did not answer within ${limits.responseTimeoutMs / 1000} s\n` }, { head: false, close: true, chunkedAllowed: false });
      case RESPONDING: {
        const quiet = now - this.progressMs;
        if (quiet < limits.responseTimeoutMs) return this.arm(limits.responseTimeoutMs - quiet);
        this.owner.report("timeouts", `closed ${this.remote}: the response made no progress for ${Math.round(quiet / 1000)} s`);
        return this.finish();
      }
      default:
        return this.finish(); // idle keep-alive, lingering
    }
  }

  /** The end of this socket, whoever ended it. */
  private finish(): void {
    if (this.state === CLOSED) return;
    const ws = this.ws;
    this.state = CLOSED;
    this.cancelTimer();
    this.pending = null;
    this.queue.clear();
    if (ws) {
      this.ws = null;
      ws.closed();
    }
    try {
      // Also after the platform's report: ECMA-419 sockets are to be closed after an error.
      this.socket.close();
    } catch {
      // already closed
    }
    this.owner.ended(this);
  }
}
