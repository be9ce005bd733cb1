// Reads WebSocket frames (RFC 6455 §5) from a byte stream that arrives in arbitrary
// pieces, down to one byte at a time: client masking required, fragmented messages with
// control frames between their fragments, 16- and 64-bit lengths refused above the
// message limit before anything is allocated, UTF-8 checked as the bytes arrive.
import { decodeUtf8, Utf8Validator } from "./utf8";

export const WsOpcode = Object.freeze({ CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 });

/** Close codes for what the receiver refuses (RFC 6455 §7.4.1). */
export const WsFailure = Object.freeze({ PROTOCOL_ERROR: 1002, INVALID_DATA: 1007, MESSAGE_TOO_BIG: 1009 });

export interface WsReceiverSink {
  /** A complete message; binary ones are decoded as UTF-8 too (the Endpoint contract). */
  onMessage(text: string, binary: boolean): void;
  onPing(payload: Uint8Array): void;
  onPong(payload: Uint8Array): void;
  /** The peer's close frame: its code (null when it gave none) and reason. */
  onPeerClose(code: number | null, reason: string): void;
  /** A protocol violation: the connection must be closed with this code. */
  onFail(code: number, reason: string): void;
}

/** Close codes a peer may send (RFC 6455 §7.4, IANA registry; 1004-1006 and 1015 never). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

const HEADER = 0;
const PAYLOAD = 1;
const DONE = 2;

export class WsReceiver {
  private state = HEADER;
  private readonly header = new Uint8Array(14);
  private headerHave = 0;
  /** Header bytes needed in all: 2, then +2/+8 for extended lengths, +4 for the mask. */
  private headerNeed = 2;
  /** 0: the first two bytes, 1: the extended length, 2: the mask key. */
  private headerPhase = 0;
  private fin = false;
  private opcode = 0;
  private length = 0;
  private maskOffset = 0;
  private received = 0;
  /** The current data message: its opcode (0 = none in progress), bytes and length. */
  private messageOpcode = 0;
  private message: Uint8Array | null = null;
  private messageLength = 0;
  private readonly control = new Uint8Array(125);
  private readonly validator = new Utf8Validator();

  constructor(
    private readonly sink: WsReceiverSink,
    /** Largest message (all fragments together), in bytes. */
    private readonly maxMessageBytes: number,
  ) {}

  /** Stops reading: nothing more is delivered. */
  stop(): void {
    this.state = DONE;
    this.message = null;
  }

  get stopped(): boolean {
    return this.state === DONE;
  }

  /** Bytes of the message being received (memory held for this connection). */
  get heldBytes(): number {
    return this.message ? this.message.length : 0;
  }

  /** Consumes bytes [start, end); returns how many were used (all, unless it stopped). */
  push(bytes: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end && this.state !== DONE) {
      if (this.state === HEADER) {
        const take = Math.min(this.headerNeed - this.headerHave, end - i);
        for (let k = 0; k < take; k++) this.header[this.headerHave++] = bytes[i + k];
        i += take;
        if (this.headerHave === this.headerNeed) this.headerStep();
      } else {
        i += this.payloadStep(bytes, i, end);
      }
    }
    return i - start;
  }

  private headerStep(): void {
    const h = this.header;
    if (this.headerPhase === 0) {
      const b0 = h[0];
      const b1 = h[1];
      this.fin = (b0 & 0x80) !== 0;
      this.opcode = b0 & 0x0f;
      if (b0 & 0x70) return this.failWith(WsFailure.PROTOCOL_ERROR, "reserved bits set (no extension was agreed)");
      const op = this.opcode;
      const control = op >= 8;
      if (op !== 0 && op !== 1 && op !== 2 && op !== 8 && op !== 9 && op !== 10) return this.failWith(WsFailure.PROTOCOL_ERROR, `reserved opcode ${op}`);
      if (control && !this.fin) return this.failWith(WsFailure.PROTOCOL_ERROR, "fragmented control frame");
      if (op === 0 && this.messageOpcode === 0) return this.failWith(WsFailure.PROTOCOL_ERROR, "continuation frame without a message to continue");
      if ((op === 1 || op === 2) && this.messageOpcode !== 0) return this.failWith(WsFailure.PROTOCOL_ERROR, "new message before the fragmented one was finished");
      if ((b1 & 0x80) === 0) return this.failWith(WsFailure.PROTOCOL_ERROR, "client frames must be masked");
      const short = b1 & 0x7f;
      if (control && short > 125) return this.failWith(WsFailure.PROTOCOL_ERROR, "control frame payload over 125 bytes");
      if (short >= 126) {
        this.headerPhase = 1;
        this.headerNeed = short === 126 ? 4 : 10;
        return;
      }
      this.length = short;
      return this.lengthKnown();
    }
    if (this.headerPhase === 1) {
      if (this.headerNeed === 4) this.length = (h[2] << 8) | h[3];
      else {
        if (h[2] & 0x80) return this.failWith(WsFailure.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set");
        const high = ((h[2] << 24) | (h[3] << 16) | (h[4] << 8) | h[5]) >>> 0;
        if (high !== 0) return this.failWith(WsFailure.MESSAGE_TOO_BIG, `message larger than ${this.maxMessageBytes} bytes`);
        this.length = ((h[6] << 24) | (h[7] << 16) | (h[8] << 8) | h[9]) >>> 0;
      }
      return this.lengthKnown();
    }
    // The mask key is complete: the payload follows.
    this.maskOffset = this.headerNeed - 4;
    this.received = 0;
    this.state = PAYLOAD;
    if (this.opcode < 8) {
      // Data: the message buffer grows to hold this frame (the limit is checked already).
      const total = this.messageLength + this.length;
      if (this.message === null || this.message.length < total) {
        const grown = new Uint8Array(total);
        if (this.message !== null) grown.set(this.message.subarray(0, this.messageLength));
        this.message = grown;
      }
      if (this.opcode !== 0) {
        this.messageOpcode = this.opcode;
        this.validator.reset();
      }
    }
    if (this.length === 0) this.frameEnd();
  }

  /** The frame's length is known: refused above the message limit, before the mask key
   *  is read or anything allocated. */
  private lengthKnown(): void {
    if (this.opcode < 8 && this.messageLength + this.length > this.maxMessageBytes) {
      return this.failWith(WsFailure.MESSAGE_TOO_BIG, `message larger than ${this.maxMessageBytes} bytes`);
    }
    this.headerPhase = 2;
    this.headerNeed = this.headerHave + 4;
  }

  private payloadStep(bytes: Uint8Array, at: number, end: number): number {
    const take = Math.min(this.length - this.received, end - at);
    const h = this.header;
    const m = this.maskOffset;
    const control = this.opcode >= 8;
    const into = control ? this.control : this.message!;
    const base = control ? this.received : this.messageLength + this.received;
    for (let k = 0; k < take; k++) into[base + k] = bytes[at + k] ^ h[m + ((this.received + k) & 3)];
    this.received += take;
    if (!control && this.messageOpcode === WsOpcode.TEXT && !this.validator.push(into, base, base + take)) {
      this.failWith(WsFailure.INVALID_DATA, "text frame is not valid UTF-8");
      return take;
    }
    if (this.received === this.length) this.frameEnd();
    return take;
  }

  private frameEnd(): void {
    const op = this.opcode;
    const length = this.length;
    this.state = HEADER;
    this.headerHave = 0;
    this.headerNeed = 2;
    this.headerPhase = 0;
    if (op >= 8) return this.controlFrame(op, length);
    this.messageLength += length;
    if (!this.fin) return;
    const binary = this.messageOpcode === WsOpcode.BINARY;
    if (!binary && !this.validator.complete) return this.failWith(WsFailure.INVALID_DATA, "text message ends inside a UTF-8 sequence");
    const text = decodeUtf8(this.message!, 0, this.messageLength);
    this.messageOpcode = 0;
    this.messageLength = 0;
    this.message = null;
    this.sink.onMessage(text, binary);
  }

  private controlFrame(op: number, length: number): void {
    const payload = this.control;
    if (op === WsOpcode.PING) return this.sink.onPing(payload.slice(0, length));
    if (op === WsOpcode.PONG) return this.sink.onPong(payload.slice(0, length));
    // Close: nothing is read after it.
    this.state = DONE;
    if (length === 0) return this.sink.onPeerClose(null, "");
    if (length === 1) return this.failWith(WsFailure.PROTOCOL_ERROR, "close frame with a 1-byte payload");
    const code = (payload[0] << 8) | payload[1];
    if (!isValidCloseCode(code)) return this.failWith(WsFailure.PROTOCOL_ERROR, `invalid close code ${code}`);
    const check = new Utf8Validator();
    if (!check.push(payload, 2, length) || !check.complete) return this.failWith(WsFailure.INVALID_DATA, "close reason is not valid UTF-8");
    this.sink.onPeerClose(code, decodeUtf8(payload, 2, length));
  }

  private failWith(code: number, reason: string): void {
    this.stop();
    this.sink.onFail(code, reason);
  }
}
