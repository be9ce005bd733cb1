// Character checks on the request path, by character code rather than RegExp: in
// Moddable's simulator (SDK 8.2.3) RegExp.prototype.exec crashed mcsim (SIGSEGV in
// fx_RegExp_prototype_exec, its match data overwritten) under traffic (docs/device.md,
// "Known problems"), and a loop makes no match array either.
// Characters are read through codeAt (src/core/code-at.ts: no String wrapper on XS).
import { codeAt } from "../core/code-at";

export { codeAt };

/** Whether `text` holds a control character (0x00-0x1f, 0x7f); HTAB allowed if `allowTab`. */
export function hasControlChar(text: string, allowTab: boolean): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = codeAt(text, i);
    if ((c < 0x20 && !(allowTab && c === 0x09)) || c === 0x7f) return true;
  }
  return false;
}

/** Whether `text` is `min` to `max` ASCII digits and nothing else. */
export function isDigits(text: string, min: number, max: number): boolean {
  const n = text.length;
  if (n < min || n > max) return false;
  for (let i = 0; i < n; i++) {
    const c = codeAt(text, i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Whether `c` is optional white space (RFC 9110 OWS: SP or HTAB). */
export function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** `text` between `start` and `end` without leading and trailing SP / HTAB. */
export function trimOws(text: string, start = 0, end = -1): string {
  const n = text.length;
  if (end < 0) end = n;
  while (start < end && isOws(codeAt(text, start))) start++;
  while (end > start && isOws(codeAt(text, end - 1))) end--;
  return start === 0 && end === n ? text : text.slice(start, end);
}

/** Whether `text` starts with `prefix`, ASCII letters compared without case. */
export function startsWithIgnoringCase(text: string, prefix: string, at = 0): boolean {
  const n = prefix.length;
  if (text.length - at < n) return false;
  for (let i = 0; i < n; i++) {
    let a = codeAt(text, at + i);
    let b = codeAt(prefix, i);
    if (a >= 0x41 && a <= 0x5a) a += 0x20;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (a !== b) return false;
  }
  return true;
}
