import type { MonotonicClock, TimerHandle, Timers } from "../core/types";
import { ClientConnection, type ConnectionOwner, type ServerCloseCause } from "./client-connection";
import { CloseCode } from "./close-codes";
import type { Connection, Endpoint, TransportSession, UpgradeRequest } from "./endpoint";
import { KeyGuard } from "./key-guard";
import { checkLimits, DEFAULT_LIMITS, type ServerLimits } from "./limits";

export interface RouterOptions {
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  /** The configured API key, read at every connection; null or "" = no authentication. */
  readonly apiKey: () => string | null;
  /** The key check (and failed-key throttle) shared with the HTTP server; by default one
   *  of the router's own on `apiKey`. */
  readonly keyGuard?: KeyGuard;
  readonly limits?: Partial<ServerLimits>;
  /** Where refusals and server-side closes are reported (e.g. the firmware log). */
  readonly log?: (text: string) => void;
}

export interface RouterStats {
  readonly open: number;
  readonly accepted: number;
  readonly refusedFull: number;
  readonly refusedAuth: number;
  readonly droppedFrames: number;
  readonly closed: Readonly<Record<ServerCloseCause, number>>;
}

const NO_SESSION: TransportSession = Object.freeze({ onMessage() {}, onPong() {}, onClose() {} });

/**
 * What every WebSocket protocol shares, whatever the transport: picks the endpoint by
 * path, checks the API key, caps the number of connections over all endpoints, and puts
 * each connection behind a ClientConnection (frame size, message rate, non-blocking
 * sends, idle and dead-reader detection).
 */
export class WsRouter implements ConnectionOwner {
  readonly limits: ServerLimits;
  readonly clock: MonotonicClock;
  private readonly timers: Timers;
  private readonly log: ((text: string) => void) | undefined;
  private readonly endpoints: Endpoint[] = [];
  private readonly open = new Set<ClientConnection>();
  private sweepTimer: TimerHandle | null = null;
  readonly keyGuard: KeyGuard;
  private accepted = 0;
  private refusedFull = 0;
  private refusedAuth = 0;
  private droppedFrames = 0;
  private readonly closed: Record<ServerCloseCause, number> = { too_big: 0, invalid_frame: 0, flood: 0, dead_reader: 0, idle: 0, protocol: 0, shutdown: 0, internal_error: 0 };

  constructor(options: RouterOptions) {
    // The defaults themselves (a frozen module constant) unless some limit is overridden.
    const limits: ServerLimits = options.limits ? Object.freeze({ ...DEFAULT_LIMITS, ...options.limits }) : DEFAULT_LIMITS;
    const problem = checkLimits(limits);
    if (problem) throw new RangeError(problem);
    this.limits = limits;
    this.clock = options.clock;
    this.timers = options.timers;
    this.log = options.log;
    this.keyGuard = options.keyGuard ?? new KeyGuard(options.clock, options.apiKey);
  }

  // The router is its connections' owner (methods, not a closure each per router).
  /** ConnectionOwner: a connection the server closed, and why. */
  closedByServer(connection: ClientConnection, cause: ServerCloseCause, reason: string): void {
    this.closed[cause]++;
    if (cause !== "protocol" && cause !== "shutdown") this.report(`closed ${connection.remote} on ${connection.path}: ${reason}`);
  }

  /** ConnectionOwner: a connection that has ended. */
  gone(connection: ClientConnection): void {
    this.open.delete(connection);
    if (this.open.size === 0) this.stopSweep();
  }

  /** ConnectionOwner: a droppable frame not sent to a slow reader. */
  dropped(): void {
    this.droppedFrames++;
  }

  register(endpoint: Endpoint): void {
    this.endpoints.push(endpoint);
  }

  /** Whether some endpoint serves `path`; transports answer 404 before upgrading if not. */
  routes(path: string): boolean {
    return this.endpointFor(path) !== null;
  }

  get connectionCount(): number {
    return this.open.size;
  }

  stats(): RouterStats {
    return {
      open: this.open.size,
      accepted: this.accepted,
      refusedFull: this.refusedFull,
      refusedAuth: this.refusedAuth,
      droppedFrames: this.droppedFrames,
      closed: { ...this.closed },
    };
  }

  /** Takes a freshly upgraded connection. What the transport must feed is returned. */
  accept(transport: Connection, request: UpgradeRequest): TransportSession {
    const endpoint = this.endpointFor(request.path);
    if (!endpoint) {
      transport.close(CloseCode.POLICY_VIOLATION, `nothing is served at ${request.path}`);
      return NO_SESSION;
    }
    const verdict = this.keyGuard.check({ query: request.query, ...(request.authorization !== undefined ? { authorization: request.authorization } : {}) }, request.remote);
    if (!verdict.ok) {
      this.refusedAuth++;
      const reason = verdict.why === "missing" ? "API key required: Authorization: Bearer <key> or ?api-key=<key>" : verdict.message;
      this.report(`refused ${request.remote} on ${request.path}: ${reason}`);
      transport.close(CloseCode.NOT_AUTHORISED, reason);
      return NO_SESSION;
    }
    if (this.open.size >= this.limits.maxConnections) {
      this.refusedFull++;
      const reason = `server full: at most ${this.limits.maxConnections} connections, try again later`;
      this.report(`refused ${request.remote} on ${request.path}: ${reason}`);
      transport.close(CloseCode.TRY_AGAIN_LATER, reason);
      return NO_SESSION;
    }
    const connection = new ClientConnection(this, transport, request.remote, request.path);
    this.open.add(connection);
    this.accepted++;
    this.startSweep();
    connection.deliver(() => {
      connection.session = endpoint.open(connection, request);
    });
    return connection;
  }

  /** Closes every connection (server shutting down). */
  closeAll(reason = "server shutting down"): void {
    for (const connection of [...this.open]) connection.shutdown(reason);
    this.stopSweep();
  }

  private endpointFor(path: string): Endpoint | null {
    const endpoints = this.endpoints;
    for (let i = 0; i < endpoints.length; i++) if (endpoints[i].accepts(path)) return endpoints[i];
    return null;
  }

  private startSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = this.timers.after(this.limits.sweepMs, () => {
      this.sweepTimer = null;
      const now = this.clock.now();
      for (const connection of [...this.open]) connection.sweep(now);
      if (this.open.size > 0) this.startSweep();
    });
  }

  private stopSweep(): void {
    this.sweepTimer?.cancel();
    this.sweepTimer = null;
  }

  private report(text: string): void {
    this.log?.(text);
  }
}
