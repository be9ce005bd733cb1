import type { MonotonicClock } from "../core/types";
import { CloseCode } from "./close-codes";
import type { Connection, Session, TransportSession } from "./endpoint";
import type { ServerLimits } from "./limits";
import { TokenBucket } from "./token-bucket";
import { utf8Length } from "./utf8";

/** Why the server ended a connection, for the router's counters. */
export type ServerCloseCause = "too_big" | "invalid_frame" | "flood" | "dead_reader" | "idle" | "protocol" | "shutdown" | "internal_error";

export interface ConnectionOwner {
  readonly clock: MonotonicClock;
  readonly limits: ServerLimits;
  closedByServer(connection: ClientConnection, cause: ServerCloseCause, reason: string): void;
  gone(connection: ClientConnection): void;
  dropped(): void;
}

/**
 * One accepted client, between the transport and the protocol: the protocol sends
 * through it (the non-blocking send policy), the transport feeds it (frame size, message
 * rate, last-seen time). Closing from either side ends the protocol session exactly once.
 */
export class ClientConnection implements Connection, TransportSession {
  session: Session | null = null;
  private closed = false;
  private finished = false;
  private lastSeenMs: number;
  private pinged = false;
  /** Since when sends have been backing up (queue above the soft limit, or the transport
   *  refusing frames); null while the peer keeps up. */
  private congestedSinceMs: number | null = null;
  private readonly bucket: TokenBucket;
  private refusalWindowStartMs = 0;
  private refusalsInWindow = 0;
  /** Droppable frames not sent because the peer was slow. */
  droppedFrames = 0;

  constructor(
    private readonly owner: ConnectionOwner,
    private readonly transport: Connection,
    readonly remote: string,
    readonly path: string,
  ) {
    this.lastSeenMs = owner.clock.now();
    this.bucket = new TokenBucket(owner.clock, owner.limits.rateBurst, owner.limits.ratePerSecond);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get bufferedBytes(): number {
    return this.transport.bufferedBytes;
  }

  send(text: string, droppable = false): boolean {
    if (this.closed) return false;
    const limits = this.owner.limits;
    const queued = this.transport.bufferedBytes;
    if (queued > limits.queueSoftBytes) {
      if (this.congested()) return false;
      if (droppable) return this.drop();
    }
    if (queued + text.length > limits.queueHardBytes) {
      this.closeFor("dead_reader", CloseCode.POLICY_VIOLATION, `client is not reading: more than ${limits.queueHardBytes} bytes queued`);
      return false;
    }
    if (this.transport.send(text)) {
      if (queued <= limits.queueSoftBytes) this.congestedSinceMs = null;
      return true;
    }
    // The transport's own buffer is full (the device's lwIP send buffer is smaller than
    // the soft limit): the same back-pressure, seen one step later.
    if (this.congested()) return false;
    if (droppable) return this.drop();
    // A lost command_response or alarm would leave the client with a wrong picture; closed,
    // it reconnects and gets the current one on subscribing.
    this.closeFor("dead_reader", CloseCode.POLICY_VIOLATION, "client is not reading: a frame could not be queued");
    return false;
  }

  close(code: number, reason: string): void {
    this.closeFor("protocol", code, reason);
  }

  // --- from the transport ---

  onMessage(text: string): void {
    if (this.closed) return;
    const now = this.owner.clock.now();
    this.seen(now);
    const limits = this.owner.limits;
    if (text.length > limits.maxFrameBytes || (text.length * 3 > limits.maxFrameBytes && utf8Length(text, limits.maxFrameBytes) > limits.maxFrameBytes)) {
      this.closeFor("too_big", CloseCode.MESSAGE_TOO_BIG, `frame larger than ${limits.maxFrameBytes} bytes`);
      return;
    }
    if (!this.bucket.take()) {
      if (now - this.refusalWindowStartMs > limits.floodWindowMs) {
        this.refusalWindowStartMs = now;
        this.refusalsInWindow = 0;
      }
      if (++this.refusalsInWindow >= limits.floodRefusals) {
        this.closeFor("flood", CloseCode.POLICY_VIOLATION, `message rate exceeded: more than ${limits.ratePerSecond} messages/s`);
        return;
      }
      this.deliver(() => this.session?.onRefused?.(`message rate exceeded: at most ${limits.ratePerSecond} messages/s (burst ${limits.rateBurst}); message ignored`, text));
      return;
    }
    this.deliver(() => this.session?.onMessage(text));
  }

  /** A protocol bug must not take the server (and every other client) down with it: the
   *  connection that hit it is closed with 1011 and the error reported. */
  deliver(handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.closeFor("internal_error", CloseCode.INTERNAL_ERROR, `internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  onPong(): void {
    if (!this.closed) this.seen(this.owner.clock.now());
  }

  onClose(): void {
    this.closed = true;
    this.finish();
  }

  /** The transport refused the peer's frames (1002, 1007, 1009) and is closing. */
  onProtocolError(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.closedByServer(this, code === CloseCode.MESSAGE_TOO_BIG ? "too_big" : "invalid_frame", `${code} ${reason}`);
    this.finish();
  }

  // --- from the router ---

  /** Looks for a peer that has gone quiet or stopped reading. */
  sweep(now: number): void {
    if (this.closed) return;
    const limits = this.owner.limits;
    const queued = this.transport.bufferedBytes;
    if (queued === 0) this.congestedSinceMs = null;
    else if ((queued > limits.queueSoftBytes || this.congestedSinceMs !== null) && this.congested()) return;
    const quietMs = now - this.lastSeenMs;
    if (quietMs >= limits.idleTimeoutMs) {
      this.closeFor("idle", CloseCode.GOING_AWAY, `no frame or pong for ${Math.round(quietMs / 1000)} s`);
    } else if (quietMs >= limits.pingAfterMs && !this.pinged && this.transport.ping) {
      this.pinged = true;
      this.transport.ping();
    }
  }

  shutdown(reason: string): void {
    this.closeFor("shutdown", CloseCode.GOING_AWAY, reason);
  }

  private seen(now: number): void {
    this.lastSeenMs = now;
    this.pinged = false;
  }

  private drop(): false {
    this.droppedFrames++;
    this.owner.dropped();
    return false;
  }

  /** Notes that sends are backing up; closes the connection (and returns true) once they
   *  have been for `stallMs`. */
  private congested(): boolean {
    const now = this.owner.clock.now();
    if (this.congestedSinceMs === null) {
      this.congestedSinceMs = now;
      return false;
    }
    if (now - this.congestedSinceMs < this.owner.limits.stallMs) return false;
    this.closeFor("dead_reader", CloseCode.POLICY_VIOLATION, `client is not reading: send queue full for ${Math.round((now - this.congestedSinceMs) / 1000)} s`);
    return true;
  }

  private closeFor(cause: ServerCloseCause, code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.closedByServer(this, cause, reason);
    this.transport.close(code, reason);
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.owner.gone(this);
    const session = this.session;
    this.session = null;
    session?.onClose();
  }
}
