// UTF-8 in and out of a byte buffer without TextEncoder (not on every Moddable target):
// the event log stores its texts this way.
import { codeAt } from "../core/code-at";

/** Encodes as much of `text` as fits in `max` bytes at `offset`, never splitting a
 *  character; returns the bytes written. */
export function encodeUtf8Into(text: string, bytes: Uint8Array, offset: number, max: number): number {
  let n = 0;
  for (let i = 0, textLength = text.length; i < textLength; i++) {
    let c = codeAt(text, i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < textLength) {
      const d = codeAt(text, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (n + size > max) break;
    const at = offset + n;
    if (size === 1) bytes[at] = c;
    else if (size === 2) {
      bytes[at] = 0xc0 | (c >> 6);
      bytes[at + 1] = 0x80 | (c & 0x3f);
    } else if (size === 3) {
      bytes[at] = 0xe0 | (c >> 12);
      bytes[at + 1] = 0x80 | ((c >> 6) & 0x3f);
      bytes[at + 2] = 0x80 | (c & 0x3f);
    } else {
      bytes[at] = 0xf0 | (c >> 18);
      bytes[at + 1] = 0x80 | ((c >> 12) & 0x3f);
      bytes[at + 2] = 0x80 | ((c >> 6) & 0x3f);
      bytes[at + 3] = 0x80 | (c & 0x3f);
    }
    n += size;
  }
  return n;
}

/** Decodes `length` bytes at `offset`; a malformed sequence becomes U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, offset: number, length: number): string {
  let out = "";
  const end = offset + length;
  for (let i = offset; i < end; ) {
    const b = bytes[i];
    let c: number;
    let size: number;
    if (b < 0x80) {
      c = b;
      size = 1;
    } else if (b >= 0xc2 && b < 0xe0) {
      c = b & 0x1f;
      size = 2;
    } else if (b >= 0xe0 && b < 0xf0) {
      c = b & 0x0f;
      size = 3;
    } else if (b >= 0xf0 && b < 0xf5) {
      c = b & 0x07;
      size = 4;
    } else {
      out += "\ufffd";
      i++;
      continue;
    }
    if (i + size > end) {
      out += "\ufffd";
      break;
    }
    let ok = true;
    for (let k = 1; k < size; k++) {
      const cont = bytes[i + k];
      if ((cont & 0xc0) !== 0x80) ok = false;
      c = (c << 6) | (cont & 0x3f);
    }
    if (!ok) {
      out += "\ufffd";
      i++;
      continue;
    }
    out += String.fromCodePoint(c);
    i += size;
  }
  return out;
}
