// Base64 (RFC 4648 §4, with padding) for the WebSocket handshake and Basic auth.
import { codeAt } from "../core/code-at";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + ALPHABET[(n >>> 6) & 63] + ALPHABET[n & 63];
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + "==";
  } else if (left === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + ALPHABET[(n >>> 6) & 63] + "=";
  }
  return out;
}

function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  if (code === 43) return 62; // +
  if (code === 47) return 63; // /
  return -1;
}

/** The bytes of canonical padded base64 `text`, or null when it is not exactly that
 *  (wrong length, a foreign character, misplaced padding, non-zero spare bits). */
export function base64Decode(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0, textLength = text.length; i < textLength; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(codeAt(text, i));
    const b = sextet(codeAt(text, i + 1));
    const c = last && pad === 2 ? 0 : sextet(codeAt(text, i + 2));
    const d = last && pad >= 1 ? 0 : sextet(codeAt(text, i + 3));
    if (a < 0 || b < 0 || c < 0 || d < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    else if (last && (n & 0xffff) !== 0) return null;
    if (o < out.length) out[o++] = n & 0xff;
    else if (last && pad === 1 && (n & 0xff) !== 0) return null;
  }
  return out;
}
