// One slot of a record: the text with its generation number and a checksum, as one string
// (a file on the host, one `preference` string value on the device):
//
//   R1:<generation, 8 hex digits>:<CRC-32, 8 hex digits>:<text>
//
// The CRC-32 covers the record's name, the generation and the text, so a slot cut short,
// garbled, left half-written or copied under another name never reads as intact.
import { crc32Utf8 } from "./crc32";
import { codeAt } from "./code-at";

const PREFIX = "R1:";
const HEADER = PREFIX.length + 8 + 1 + 8 + 1;
/** ESP32 NVS stores strings of up to 4000 bytes with their terminating NUL. */
export const MAX_SLOT_BYTES = 3999;
/** The largest record text a slot holds, in UTF-8 bytes. */
export const MAX_RECORD_BYTES = MAX_SLOT_BYTES - HEADER;
const NAME = /^[a-z0-9]{1,8}$/;

export type DecodedSlot =
  | { readonly ok: true; readonly generation: number; readonly text: string }
  | { readonly ok: false; readonly error: string };

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

function checksum(name: string, generation: string, text: string): string {
  return hex8(crc32Utf8(`${name}:${generation}:${text}`));
}

/** Why `name` cannot name a record (null: it can). */
export function recordNameProblem(name: string): string | null {
  return NAME.test(name) ? null : `record name ${JSON.stringify(name)} must be 1 to 8 characters of a-z and 0-9`;
}

/** UTF-8 length of `text` in bytes (a lone surrogate takes 3, as its U+FFFD replacement does). */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0, textLength = text.length; i < textLength; i++) {
    const c = codeAt(text, i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < textLength && (codeAt(text, i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Why `text` cannot be stored as a record (null: it can). */
export function recordTextProblem(text: string): string | null {
  const bytes = utf8Bytes(text);
  if (bytes > MAX_RECORD_BYTES) return `${bytes} bytes exceed the ${MAX_RECORD_BYTES} a record holds`;
  if (text.indexOf("\u0000") >= 0) return "a record cannot hold a NUL character";
  return null;
}

export function encodeSlot(name: string, generation: number, text: string): string {
  const g = hex8(generation);
  return `${PREFIX}${g}:${checksum(name, g, text)}:${text}`;
}

export function decodeSlot(name: string, raw: string): DecodedSlot {
  // A UTF-8 byte order mark (an editor saved the file) is not part of the content.
  const s = codeAt(raw, 0) === 0xfeff ? raw.slice(1) : raw;
  if (s.length === 0) return { ok: false, error: "empty" };
  if (!s.startsWith(PREFIX) || s.length < HEADER || s[HEADER - 10] !== ":" || s[HEADER - 1] !== ":") {
    return { ok: false, error: `no record header (starts ${JSON.stringify(s.slice(0, 12))})` };
  }
  const g = s.slice(PREFIX.length, PREFIX.length + 8);
  const crc = s.slice(HEADER - 9, HEADER - 1);
  if (!/^[0-9a-f]{8}$/.test(g) || !/^[0-9a-f]{8}$/.test(crc)) return { ok: false, error: "malformed record header" };
  const text = s.slice(HEADER);
  const expected = checksum(name, g, text);
  if (crc !== expected) return { ok: false, error: `checksum ${crc} does not match the content (${expected})` };
  return { ok: true, generation: parseInt(g, 16), text };
}

/** `a` was written after `b`: generations count up and wrap at 2^32. */
export function isNewer(a: number, b: number): boolean {
  const d = (a - b) >>> 0;
  return d !== 0 && d < 0x80000000;
}
