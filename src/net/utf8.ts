// UTF-8 without TextEncoder/TextDecoder (which the device does not have): length,
// incremental validation (RFC 3629, as RFC 6455 §8.1 requires of text frames), decoding,
// and encoding a string piecewise into a small buffer as a socket drains.
import { codeAt } from "../core/code-at";

/** Length of `text` in UTF-8 bytes, without encoding it. Stops counting above `limit`.
 *  A lone surrogate counts as U+FFFD (3 bytes), as `Utf8Writer` encodes it. */
export function utf8Length(text: string, limit = Infinity): number {
  let bytes = 0;
  for (let i = 0, textLength = text.length; i < textLength && bytes <= limit; i++) {
    const c = codeAt(text, i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < textLength) {
      const d = codeAt(text, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Validates UTF-8 fed in arbitrary pieces (a sequence may be split across TCP reads and
 * WebSocket fragments). Rejects at the first byte that cannot continue a valid text:
 * stray continuation bytes, overlong forms, surrogates, code points above U+10FFFF.
 */
export class Utf8Validator {
  /** Continuation bytes still expected for the current sequence. */
  private needed = 0;
  /** Allowed range of the next continuation byte (narrower after E0, ED, F0, F4). */
  private lower = 0x80;
  private upper = 0xbf;

  reset(): void {
    this.needed = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  /** Feeds bytes [start, end); false at the first invalid byte (the state is then spent). */
  push(bytes: Uint8Array, start: number, end: number): boolean {
    let needed = this.needed;
    let lower = this.lower;
    let upper = this.upper;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (needed === 0) {
        if (b < 0x80) continue;
        if (b >= 0xc2 && b <= 0xdf) needed = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          needed = 2;
          if (b === 0xe0) lower = 0xa0;
          else if (b === 0xed) upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          needed = 3;
          if (b === 0xf0) lower = 0x90;
          else if (b === 0xf4) upper = 0x8f;
        } else return false;
      } else {
        if (b < lower || b > upper) return false;
        lower = 0x80;
        upper = 0xbf;
        needed--;
      }
    }
    this.needed = needed;
    this.lower = lower;
    this.upper = upper;
    return true;
  }

  /** Whether the bytes so far end on a character boundary. */
  get complete(): boolean {
    return this.needed === 0;
  }
}

/** Whether bytes [start, end) are complete, valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  const v = new Utf8Validator();
  return v.push(bytes, start, end) && v.complete;
}

// Allocated at first use, not when the module loads: Moddable preloads this module at build
// time, and a typed array made then lives in flash, read-only.
let scratch: Uint16Array | null = null;

/** Code units per String.fromCharCode call: each is an argument on the XS stack, which
 *  the device's manifest sizes at 512 slots for everything. */
const APPLY_CHUNK = 64;

/** String.fromCharCode.apply through a bound call: on the device `.apply` on a built-in in
 *  flash wraps the function each time (see core/code-at.ts). */
const fromCharCodeApply: (self: null, codes: Uint8Array | Uint16Array) => string = Function.prototype.apply.bind(String.fromCharCode) as never;

/** The pieces of a long text, joined once (made at first use, as `scratch`). Added one to the
 *  other, each piece would copy all before it: 530 code units took 4.2 kB of chunks on a
 *  32-bit XS that way, 2.0 kB joined. */
let pieces: string[] | null = null;

/** A string of the code units [start, end) of `codes` (bytes as Latin-1, or UTF-16). */
export function fromCharCodes(codes: Uint8Array | Uint16Array, start: number, end: number): string {
  if (end - start <= APPLY_CHUNK) return fromCharCodeApply(null, codes.subarray(start, end));
  const parts = (pieces ??= []);
  for (let i = start; i < end; i += APPLY_CHUNK) parts.push(fromCharCodeApply(null, codes.subarray(i, Math.min(end, i + APPLY_CHUNK))));
  const text = parts.join(EMPTY);
  parts.length = 0;
  return text;
}

/** The string of `count` windows of APPLY_CHUNK code units, then `tail` (null: none). A
 *  caller that keeps its buffer's windows (views made once) makes no object per piece. */
export function joinCharCodes(windows: readonly (Uint8Array | Uint16Array)[], count: number, tail: Uint8Array | Uint16Array | null): string {
  if (count === 0) return tail === null ? EMPTY : fromCharCodeApply(null, tail);
  if (count === 1 && tail === null) return fromCharCodeApply(null, windows[0]);
  const parts = (pieces ??= []);
  for (let k = 0; k < count; k++) parts.push(fromCharCodeApply(null, windows[k]));
  if (tail !== null) parts.push(fromCharCodeApply(null, tail));
  const text = parts.join(EMPTY);
  parts.length = 0;
  return text;
}

/** Code units per window of joinCharCodes. */
export const CHAR_CODE_WINDOW = APPLY_CHUNK;

const EMPTY = "";

/** Decodes bytes [start, end) as UTF-8; invalid sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const units = (scratch ??= new Uint16Array(256));
  let out = "";
  let n = 0;
  let i = start;
  while (i < end) {
    if (n > units.length - 2) {
      out += fromCharCodes(units, 0, n);
      n = 0;
    }
    const b = bytes[i];
    if (b < 0x80) {
      units[n++] = b;
      i++;
      continue;
    }
    let needed = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      needed = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      needed = 2;
      cp = b & 0x0f;
      if (b === 0xe0) lower = 0xa0;
      else if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      needed = 3;
      cp = b & 0x07;
      if (b === 0xf0) lower = 0x90;
      else if (b === 0xf4) upper = 0x8f;
    }
    i++;
    if (needed === 0) {
      units[n++] = 0xfffd;
      continue;
    }
    // A maximal valid prefix of a sequence is one U+FFFD (the WHATWG decoder's rule).
    let ok = true;
    for (let k = 0; k < needed; k++) {
      const c = i < end ? bytes[i] : -1;
      if (c < lower || c > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
      i++;
    }
    if (!ok) units[n++] = 0xfffd;
    else if (cp < 0x10000) units[n++] = cp;
    else {
      cp -= 0x10000;
      units[n++] = 0xd800 | (cp >> 10);
      units[n++] = 0xdc00 | (cp & 0x3ff);
    }
  }
  if (n > 0) out += fromCharCodes(units, 0, n);
  return out;
}

/**
 * Encodes a string into a buffer piece by piece: each `write` fills [start, end) of the
 * buffer with as many whole characters as fit and remembers where it stopped, so a long
 * text goes out through a small send window without being encoded whole first.
 */
export class Utf8Writer {
  /** Index of the next UTF-16 unit of `text` to encode. */
  index = 0;
  text = "";

  begin(text: string): void {
    this.text = text;
    this.index = 0;
  }

  get done(): boolean {
    return this.index >= this.text.length;
  }

  /** Encodes into out[start, end); returns the number of bytes written (0 when not even
   *  the next character fits, which needs at most 4 bytes). */
  write(out: Uint8Array, start: number, end: number): number {
    const text = this.text;
    const textLength = text.length;
    let i = this.index;
    let o = start;
    while (i < textLength) {
      let c = codeAt(text, i);
      if (c < 0x80) {
        if (o >= end) break;
        out[o++] = c;
        i++;
        continue;
      }
      if (c < 0x800) {
        if (o + 2 > end) break;
        out[o++] = 0xc0 | (c >> 6);
        out[o++] = 0x80 | (c & 0x3f);
        i++;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < textLength) {
        const d = codeAt(text, i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          if (o + 4 > end) break;
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          out[o++] = 0xf0 | (cp >> 18);
          out[o++] = 0x80 | ((cp >> 12) & 0x3f);
          out[o++] = 0x80 | ((cp >> 6) & 0x3f);
          out[o++] = 0x80 | (cp & 0x3f);
          i += 2;
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
      if (o + 3 > end) break;
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
      i++;
    }
    this.index = i;
    return o - start;
  }
}

/** The UTF-8 bytes of `text` (for short texts: headers, close reasons, request bodies). */
export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(utf8Length(text));
  const writer = new Utf8Writer();
  writer.begin(text);
  writer.write(out, 0, out.length);
  return out;
}

/** A native UTF-8 encoder: TextEncoder on Node and xsnap, Moddable's "text/encoder" module
 *  on the device. On XS it encodes about a thousand times cheaper than the script above. */
export interface Utf8Encoder {
  encode(text: string): Uint8Array;
}

/** The platform's global TextEncoder, where there is one. */
export function globalUtf8Encoder(): Utf8Encoder | null {
  const Encoder = (globalThis as { TextEncoder?: new () => Utf8Encoder }).TextEncoder;
  return typeof Encoder === "function" ? new Encoder() : null;
}
