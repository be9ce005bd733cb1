// What one socket still has to send, written in pieces as the socket drains: a 12 kB
// WebSocket frame goes out through a 1 kB send window, an HTTP body is pulled from its
// source only as fast as the peer reads. Texts are UTF-8 encoded straight into the
// server's one scratch buffer, never whole.
import type { ByteSocket } from "./byte-socket";
import type { HttpBodySource } from "./http-types";
import { Utf8Writer, utf8Length, type Utf8Encoder } from "./utf8";

const TEXT = 0;
const BYTES = 1;
const SOURCE = 2;
// Module constants, not literals: a literal in a preloaded module is copied at each evaluation.
const CRLF = "\r\n";
const LAST_CHUNK = "0\r\n\r\n";

/** One queued piece. A WebSocket frame is one piece: its header goes out with the first
 *  bytes of its payload, so a control frame can be slotted in before it until then. */
class Piece {
  kind = TEXT;
  text = "";
  bytes: Uint8Array | null = null;
  source: HttpBodySource | null = null;
  /** Chunked transfer coding for a source of unknown length. */
  chunked = false;
  /** WebSocket frame header (first byte) or -1 for raw bytes. */
  frameFirstByte = -1;
  /** The frame's payload length. */
  frameLength = 0;
  /** UTF-16 index into `text` or byte offset into `bytes`. */
  offset = 0;
  /** Bytes still to write, header included (for the queue's byte count). */
  remaining = 0;
  started = false;

  /** Back to a new piece's state, for the queue's spares. */
  reset(): void {
    this.kind = TEXT;
    this.text = "";
    this.bytes = null;
    this.source = null;
    this.chunked = false;
    this.frameFirstByte = -1;
    this.frameLength = 0;
    this.offset = 0;
    this.remaining = 0;
    this.started = false;
  }
}

/** Pieces a queue keeps for reuse: a frame a tick to each client would otherwise make an
 *  object of 11 slots each time. Few: every connection holds its spares for good. */
const SPARE_PIECES = 2;

const writer = new Utf8Writer();

/** Writes a WebSocket frame header for `length` payload bytes at out[at]; returns its size. */
function writeFrameHeader(out: Uint8Array, at: number, first: number, length: number): number {
  out[at] = first;
  if (length < 126) {
    out[at + 1] = length;
    return 2;
  }
  if (length < 0x10000) {
    out[at + 1] = 126;
    out[at + 2] = length >>> 8;
    out[at + 3] = length & 0xff;
    return 4;
  }
  out[at + 1] = 127;
  out[at + 2] = out[at + 3] = out[at + 4] = out[at + 5] = 0;
  out[at + 6] = (length >>> 24) & 0xff;
  out[at + 7] = (length >>> 16) & 0xff;
  out[at + 8] = (length >>> 8) & 0xff;
  out[at + 9] = length & 0xff;
  return 10;
}

export function frameHeaderSize(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

/**
 * How texts become bytes, shared by every socket of a server. With a native encoder a
 * text is encoded whole when queued (the last short one is kept: a broadcast sends the
 * same text to every client); without one, the script encodes it piece by piece into
 * the scratch buffer, never holding it whole.
 */
export class TextBytes {
  private lastText = "";
  private lastBytes: Uint8Array | null = null;

  constructor(
    /** The one buffer every socket's pump fills and hands to its socket (which copies). */
    readonly scratch: Uint8Array,
    readonly encoder: Utf8Encoder | null,
  ) {}

  /** The encoded text, or null when there is no native encoder. */
  bytes(text: string): Uint8Array | null {
    if (this.encoder === null) return null;
    if (this.lastBytes !== null && text === this.lastText) return this.lastBytes;
    const bytes = this.encoder.encode(text);
    if (bytes.length <= 2048) {
      this.lastText = text;
      this.lastBytes = bytes;
    }
    return bytes;
  }
}

export class SendQueue {
  private readonly pieces: Piece[] = [];
  private readonly spares: Piece[] = [];
  private queued = 0;
  private readonly scratch: Uint8Array;

  constructor(private readonly texts: TextBytes) {
    this.scratch = texts.scratch;
  }

  /** Bytes queued and not yet handed to the socket (a body source's future output not
   *  counted). */
  get bufferedBytes(): number {
    return this.queued;
  }

  get isEmpty(): boolean {
    return this.pieces.length === 0;
  }

  /** `text` natively encoded, or null without a native encoder. */
  encoded(text: string): Uint8Array | null {
    return this.texts.bytes(text);
  }

  text(text: string): void {
    const bytes = this.texts.bytes(text);
    if (bytes !== null) return this.bytes(bytes);
    const piece = this.take();
    piece.text = text;
    piece.remaining = utf8Length(text);
    this.add(piece, false);
  }

  bytes(bytes: Uint8Array): void {
    const piece = this.take();
    piece.kind = BYTES;
    piece.bytes = bytes;
    piece.remaining = bytes.length;
    this.add(piece, false);
  }

  /** A body pulled from `source` as the socket drains; chunked when `chunked`. */
  source(source: HttpBodySource, chunked: boolean): void {
    const piece = this.take();
    piece.kind = SOURCE;
    piece.source = source;
    piece.chunked = chunked;
    this.add(piece, false);
  }

  /** A WebSocket frame with a text (UTF-8) or byte payload; `urgent` (control frames)
   *  goes before every frame not yet started. Returns its size on the wire. */
  frame(first: number, payload: string | Uint8Array, urgent = false): number {
    const piece = this.take();
    piece.frameFirstByte = first;
    let length: number;
    const bytes = typeof payload === "string" ? this.texts.bytes(payload) : payload;
    if (bytes === null) {
      piece.text = payload as string;
      length = utf8Length(piece.text);
    } else {
      piece.kind = BYTES;
      piece.bytes = bytes;
      length = bytes.length;
    }
    piece.frameLength = length;
    piece.remaining = length + frameHeaderSize(length);
    this.add(piece, urgent);
    return piece.remaining;
  }

  /** Drops every piece not yet started (a piece half written stays, so the stream stays
   *  well-formed): the connection is closing. */
  dropUnstarted(): void {
    let keep = 0;
    while (keep < this.pieces.length && this.pieces[keep].started) keep++;
    for (let i = keep; i < this.pieces.length; i++) {
      this.queued -= this.pieces[i].remaining;
      this.pieces[i].source?.cancel?.();
      this.release(this.pieces[i]);
    }
    this.pieces.length = keep;
  }

  /** Drops everything not yet sent (the connection is closing); cancels body sources. */
  clear(): void {
    for (const piece of this.pieces) {
      piece.source?.cancel?.();
      this.release(piece);
    }
    this.pieces.length = 0;
    this.queued = 0;
  }

  /** Writes as much as the socket takes now. Returns the bytes written. A body source
   *  that throws is the caller's to handle (the response is broken: close). */
  pump(socket: ByteSocket): number {
    const scratch = this.scratch;
    let total = 0;
    while (this.pieces.length > 0) {
      const space = Math.min(socket.writable(), scratch.length);
      if (space <= 0) break;
      let filled = 0;
      while (filled < space && this.pieces.length > 0) {
        const n = this.fill(this.pieces[0], scratch, filled, space);
        if (n < 0) break; // the head piece needs more room than is left
        filled += n;
      }
      if (filled === 0) break;
      socket.write(scratch.subarray(0, filled));
      total += filled;
    }
    return total;
  }

  private add(piece: Piece, urgent: boolean): void {
    this.queued += piece.remaining;
    if (!urgent) {
      this.pieces.push(piece);
      return;
    }
    let at = 0;
    while (at < this.pieces.length && this.pieces[at].started) at++;
    this.pieces.splice(at, 0, piece);
  }

  /** Fills out[at, end) from the head piece; returns the bytes written (0: the piece is
   *  done or was replaced), or -1 when nothing of it fits now (a header or multi-byte
   *  character needs more room, or a body source has nothing yet). */
  private fill(piece: Piece, out: Uint8Array, at: number, end: number): number {
    if (piece.kind === SOURCE) return this.fillFromSource(piece, at, end);
    let o = at;
    if (piece.frameFirstByte >= 0 && !piece.started) {
      const length = piece.frameLength;
      // The header and the first payload bytes (a whole character) in one write.
      if (end - o < frameHeaderSize(length) + Math.min(length, 4)) return -1;
      o += writeFrameHeader(out, o, piece.frameFirstByte, length);
    }
    piece.started = true;
    let done: boolean;
    if (piece.kind === TEXT) {
      writer.text = piece.text;
      writer.index = piece.offset;
      o += writer.write(out, o, end);
      piece.offset = writer.index;
      writer.text = "";
      done = piece.offset >= piece.text.length;
    } else {
      const bytes = piece.bytes!;
      const n = Math.min(end - o, bytes.length - piece.offset);
      if (n > 0) out.set(n === bytes.length ? bytes : bytes.subarray(piece.offset, piece.offset + n), o);
      o += n;
      piece.offset += n;
      done = piece.offset >= bytes.length;
    }
    const n = o - at;
    piece.remaining -= n;
    this.queued -= n;
    if (done) this.release(this.pieces.shift()!);
    else if (n === 0) return -1;
    return n;
  }

  private fillFromSource(piece: Piece, at: number, end: number): number {
    // Room for a chunk's "hhh\r\n" before and "\r\n" after its data.
    const room = end - at - (piece.chunked ? 9 : 0);
    if (room < 16) return -1;
    const next = piece.source!.next(room);
    if (next === null) {
      this.pieces.shift();
      const chunked = piece.chunked;
      this.release(piece);
      if (chunked) this.insertFirst(this.make(LAST_CHUNK));
      return 0;
    }
    const bytes = typeof next === "string" ? this.texts.bytes(next) : next;
    const length = bytes === null ? utf8Length(next as string) : bytes.length;
    if (length === 0) {
      // An empty piece says nothing; a source that only ever gives those is broken.
      if (++piece.offset > 64) throw new Error("the response body source gives only empty pieces");
      return 0;
    }
    piece.offset = 0;
    // The piece and its framing go in front of the source, which is asked again after.
    const data = this.take();
    if (bytes === null) data.text = next as string;
    else {
      data.kind = BYTES;
      data.bytes = bytes;
    }
    data.remaining = length;
    if (piece.chunked) this.insertFirst(this.make(CRLF));
    this.insertFirst(data);
    if (piece.chunked) this.insertFirst(this.make(length.toString(16) + CRLF));
    return 0;
  }

  private make(text: string): Piece {
    const piece = this.take();
    piece.text = text;
    piece.remaining = text.length;
    return piece;
  }

  private take(): Piece {
    return this.spares.pop() ?? new Piece();
  }

  private release(piece: Piece): void {
    piece.reset();
    if (this.spares.length < SPARE_PIECES) this.spares.push(piece);
  }

  private insertFirst(piece: Piece): void {
    this.queued += piece.remaining;
    this.pieces.unshift(piece);
  }
}
