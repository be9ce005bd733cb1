// One WebSocket connection over a byte socket, after the handshake: frames in through
// the receiver, frames out through the send queue as the socket drains, ping answered
// with its payload, the close handshake both ways with a time limit. The router's
// ClientConnection sits on top (policies); this is the transport.
import type { TimerHandle, Timers } from "../core/types";
import type { ByteSocket } from "./byte-socket";
import type { Connection, TransportSession } from "./endpoint";
import type { SendQueue } from "./send-queue";
import { utf8Length, encodeUtf8 } from "./utf8";
import { WsReceiver, type WsReceiverSink } from "./ws-receiver";

const OPEN = 0;
/** Our close frame is queued or sent; waiting for the peer's (or the time limit). */
const CLOSING = 1;
/** Closing without waiting for an answer: the socket closes once the queue is out. */
const FLUSHING = 2;
const CLOSED = 3;

export interface WsConnectionOwner {
  readonly timers: Timers;
  readonly closeTimeoutMs: number;
  readonly maxMessageBytes: number;
  /** The connection is over: the owner closes the socket and frees its slot. */
  ended(connection: WsConnection): void;
  /** A peer's ping was answered (for the statistics). */
  answeredPing?(): void;
}

/** A close reason fitted to the 123 bytes RFC 6455 allows, cut at a character. */
export function fitReason(reason: string): string {
  if (utf8Length(reason, 123) <= 123) return reason;
  let text = reason.slice(0, 120);
  while (utf8Length(text) > 120) text = text.slice(0, -1);
  return `${text}...`;
}

function closePayload(code: number | null, reason: string): Uint8Array {
  if (code === null) return new Uint8Array(0);
  const text = encodeUtf8(fitReason(reason));
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(text, 2);
  return payload;
}

export class WsConnection implements Connection, WsReceiverSink {
  session: TransportSession | null = null;
  private state = OPEN;
  private readonly receiver: WsReceiver;
  private closeTimer: TimerHandle | null = null;
  private pumping = false;

  constructor(
    private readonly owner: WsConnectionOwner,
    private readonly socket: ByteSocket,
    private readonly queue: SendQueue,
  ) {
    this.receiver = new WsReceiver(this, owner.maxMessageBytes);
  }

  get isOpen(): boolean {
    return this.state === OPEN;
  }

  /** Bytes held for this connection: the send queue and a message being received. */
  get heldBytes(): number {
    return this.queue.bufferedBytes + this.receiver.heldBytes;
  }

  // --- Connection (for the router) ---

  get bufferedBytes(): number {
    return this.queue.bufferedBytes;
  }

  send(text: string): boolean {
    if (this.state !== OPEN) return false;
    this.queue.frame(0x81, text);
    this.pump();
    return true;
  }

  ping(): void {
    if (this.state !== OPEN) return;
    this.queue.frame(0x89, new Uint8Array(0), true);
    this.pump();
  }

  /** Our close: the frame goes after what is queued; the peer has closeTimeoutMs to answer. */
  close(code: number, reason: string): void {
    if (this.state !== OPEN) return;
    this.state = CLOSING;
    this.queue.frame(0x88, closePayload(code, reason));
    this.armCloseTimer();
    this.pump();
  }

  /** Waits only `ms` for the peer's answer to our close frame (a refusal right after the
   *  handshake must not hold a socket long; closing before the peer's answer has come
   *  could reset the connection under the close frame it has not read yet). */
  closeWithin(ms: number): void {
    if (this.state !== CLOSING) return;
    this.closeTimer?.cancel();
    this.closeTimer = null;
    this.armCloseTimer(ms);
  }

  // --- from the socket ---

  /** Bytes for the receiver, `bytes[start, end)`. */
  receive(bytes: Uint8Array, start: number, end: number): void {
    if (this.state === CLOSED) return;
    this.receiver.push(bytes, start, end);
  }

  writable(): void {
    this.pump();
  }

  /** The end, whoever ended it (the peer, a time limit, the close handshake, the owner). */
  closed(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.receiver.stop();
    this.closeTimer?.cancel();
    this.closeTimer = null;
    this.queue.clear();
    this.session?.onClose();
    this.owner.ended(this);
  }

  // --- WsReceiverSink ---

  onMessage(text: string): void {
    if (this.state === OPEN) this.session?.onMessage(text);
  }

  onPing(payload: Uint8Array): void {
    if (this.state !== OPEN) return;
    this.queue.frame(0x8a, payload, true);
    this.owner.answeredPing?.();
    // A ping is a sign of life, as much as a pong.
    this.session?.onPong();
    this.pump();
  }

  onPong(): void {
    if (this.state === OPEN) this.session?.onPong();
  }

  onPeerClose(code: number | null): void {
    if (this.state === OPEN) {
      // Echo the code (RFC 6455 §5.5.1); what was queued and not begun is dropped.
      this.queue.dropUnstarted();
      this.queue.frame(0x88, closePayload(code, ""));
      this.state = FLUSHING;
      this.armCloseTimer();
      this.session?.onClose();
      this.pump();
    } else if (this.state === CLOSING) {
      // The answer to our close: done once our frame is out.
      this.state = FLUSHING;
      this.pump();
    }
  }

  onFail(code: number, reason: string): void {
    if (this.state === CLOSED || this.state === FLUSHING) return;
    const wasOpen = this.state === OPEN;
    this.queue.dropUnstarted();
    this.queue.frame(0x88, closePayload(code, reason));
    this.state = FLUSHING;
    this.armCloseTimer();
    if (wasOpen) {
      this.session?.onProtocolError?.(code, reason);
      this.session?.onClose();
    }
    this.pump();
  }

  private armCloseTimer(ms = this.owner.closeTimeoutMs): void {
    this.closeTimer ??= this.owner.timers.after(ms, () => {
      this.closeTimer = null;
      this.closed();
    });
  }

  private pump(): void {
    if (this.pumping || this.state === CLOSED) return;
    this.pumping = true;
    try {
      this.queue.pump(this.socket);
    } finally {
      this.pumping = false;
    }
    if (this.state === FLUSHING && this.queue.isEmpty) this.closed();
  }
}
