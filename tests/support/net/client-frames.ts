// Client-side WebSocket frames and server-frame parsing without Node (for XS entries
// too): masked frames with a fixed or given mask, so scripted runs are byte-for-byte
// repeatable.
import { encodeUtf8 } from "../../../src/net/utf8";

export interface FrameOptions {
  readonly fin?: boolean;
  readonly mask?: readonly [number, number, number, number] | null;
  readonly rsv?: number;
  /** Announce this length instead of the payload's (hi, lo 32-bit words). */
  readonly declared?: readonly [number, number];
}

export function clientFrame(opcode: number, payload: Uint8Array | string, o: FrameOptions = {}): Uint8Array {
  const body = typeof payload === "string" ? encodeUtf8(payload) : payload;
  const mask = o.mask === undefined ? ([0x37, 0xfa, 0x21, 0x3d] as const) : o.mask;
  const [hi, lo] = o.declared ?? [0, body.length];
  const header: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode];
  const m = mask ? 0x80 : 0;
  if (hi === 0 && lo < 126) header.push(m | lo);
  else if (hi === 0 && lo < 0x10000) header.push(m | 126, lo >>> 8, lo & 0xff);
  else header.push(m | 127, hi >>> 24, (hi >>> 16) & 0xff, (hi >>> 8) & 0xff, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff);
  if (mask) header.push(...mask);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  for (let i = 0; i < body.length; i++) out[header.length + i] = mask ? body[i] ^ mask[i & 3] : body[i];
  return out;
}

export interface ServerFrame {
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Uint8Array;
}

/** Complete server frames in `data` (server frames are unmasked); `rest` is what is left. */
export function serverFrames(data: Uint8Array): { frames: ServerFrame[]; rest: number } {
  const frames: ServerFrame[] = [];
  let i = 0;
  while (i + 2 <= data.length) {
    let length = data[i + 1] & 0x7f;
    let at = i + 2;
    if (length === 126) {
      if (at + 2 > data.length) break;
      length = (data[at] << 8) | data[at + 1];
      at += 2;
    } else if (length === 127) {
      if (at + 8 > data.length) break;
      length = data[at + 4] * 0x1000000 + ((data[at + 5] << 16) | (data[at + 6] << 8) | data[at + 7]);
      at += 8;
    }
    if (at + length > data.length) break;
    frames.push({ fin: (data[i] & 0x80) !== 0, opcode: data[i] & 0x0f, payload: data.subarray(at, at + length) });
    i = at + length;
  }
  return { frames, rest: data.length - i };
}

export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return s;
}

/** The upgrade request of a client, with a fixed key (RFC 6455's sample nonce). */
export function upgradeRequest(pathAndQuery: string, extra = ""): string {
  return `GET ${pathAndQuery} HTTP/1.1\r\nHost: incunest\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
}
