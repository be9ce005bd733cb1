// RFC 9110 tokens (header field names) and the characters that would break a header's
// framing, checked by character code. The response head is checked this way, not by a
// RegExp: in Moddable's simulator (SDK 8.2.3) RegExp.prototype.test of a preloaded pattern
// on a preloaded header name crashed mcsim (SIGSEGV in fx_RegExp_prototype_exec,
// xsRegExp.c:564, its temporary slot overwritten) after minutes of traffic (docs/device.md,
// "Known problems"). Characters are read through codeAt (no String wrapper on XS).
import { codeAt } from "./text-scan";

/** tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
export function isTokenChar(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  switch (c) {
    case 0x21: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27: case 0x2a: case 0x2b:
    case 0x2d: case 0x2e: case 0x5e: case 0x5f: case 0x60: case 0x7c: case 0x7e:
      return true;
    default:
      return false;
  }
}

/** A non-empty token (a valid header field name). */
export function isToken(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (!isTokenChar(codeAt(text, i))) return false;
  return true;
}

/** Whether bytes [s, e) are a non-empty token. */
export function isTokenBytes(b: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (!isTokenChar(b[i])) return false;
  return true;
}

/** Whether `text` holds CR, LF or NUL (which would end or cut a header line). */
export function breaksHeaderLine(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = codeAt(text, i);
    if (c === 0x0d || c === 0x0a || c === 0) return true;
  }
  return false;
}
