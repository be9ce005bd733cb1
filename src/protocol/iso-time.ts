// ISO 8601 UTC timestamps with milliseconds ("2026-01-15T10:30:00.000Z"), formatted
// from epoch ms by arithmetic alone: no Date object per message on the device.
import { fromCharCodes } from "../net/utf8";

/** Writes epoch ms (years 0000..9999) as ISO 8601 UTC with milliseconds, ASCII, at
 *  out[at]: 24 bytes (more for a year past 9999). Returns the index after them. */
export function writeIsoUtc(epochMs: number, out: Uint8Array | Uint16Array, at: number): number {
  const ms = Math.floor(epochMs);
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible date algorithms").
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  at = writeDigits(out, at, year, 4);
  out[at++] = DASH;
  at = writeDigits(out, at, month, 2);
  out[at++] = DASH;
  at = writeDigits(out, at, day, 2);
  out[at++] = T;
  at = writeDigits(out, at, hour, 2);
  out[at++] = COLON;
  at = writeDigits(out, at, minute, 2);
  out[at++] = COLON;
  at = writeDigits(out, at, second, 2);
  out[at++] = DOT;
  at = writeDigits(out, at, milli, 3);
  out[at++] = Z;
  return at;
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const T = 0x54;
const Z = 0x5a;

/** A non-negative integer in at least `width` digits, at out[at]; the index after it. */
export function writeDigits(out: Uint8Array | Uint16Array, at: number, value: number, width: number): number {
  let n = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) n++;
  if (n < width) n = width;
  const end = at + n;
  for (let i = end - 1; i >= at; i--) {
    const q = Math.floor(value / 10);
    out[i] = 0x30 + value - q * 10;
    value = q;
  }
  return end;
}

// Allocated at first use, not when the module loads: Moddable preloads this module at build
// time, and a typed array made then lives in flash, read-only.
let scratch: Uint8Array | null = null;

/** Formats epoch milliseconds (years 0000..9999) as ISO 8601 UTC with milliseconds. */
export function isoUtc(epochMs: number): string {
  const out = (scratch ??= new Uint8Array(32));
  return fromCharCodes(out, 0, writeIsoUtc(epochMs, out, 0));
}
