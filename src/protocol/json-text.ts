// A JSON text written code unit by code unit into one buffer, then made into a string at
// once. Built by `+`, a message of n pieces copies its growing prefix n times (XS makes a
// new chunk for each concatenation: about 6 kB of chunks for a 285-character sensor_update);
// written here, it costs the one string. Texts are read through codeAt, never `text.length`
// or a method of the string: on XS each property access on a primitive string makes a
// String wrapper.
import { codeAt } from "../core/code-at";
import { CHAR_CODE_WINDOW, joinCharCodes } from "../net/utf8";
import { writeDigits, writeIsoUtc } from "./iso-time";

const MINUS = 0x2d;
const DOT = 0x2e;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
// Module constants, not literals: a literal in a preloaded module is copied at each evaluation.
const NULL = "null";
const TRUE = "true";
const FALSE = "false";
/** Beyond this a number is written as JavaScript prints it (no reading is that large). */
const LARGEST_EXACT = 1e15;

export class JsonText {
  /** One byte a code unit while every unit is below 256 (Latin-1: ASCII, "°"), two after. */
  private units: Uint8Array | Uint16Array;
  private at = 0;
  /** The buffer's windows for text(), made once per buffer: a subarray is a new object. */
  private readonly windows: (Uint8Array | Uint16Array)[] = [];

  constructor(capacity: number) {
    this.units = new Uint8Array(capacity);
  }

  /** Code units written since start(). */
  get length(): number {
    return this.at;
  }

  /** Starts a new text in the same buffer. */
  start(): this {
    this.at = 0;
    return this;
  }

  /** Text as it is (JSON punctuation, names, texts known to need no escape). */
  raw(text: string): this {
    for (let i = 0; ; i++) {
      const code = codeAt(text, i);
      if (code !== code) return this;
      if (this.at === this.units.length || (code > 0xff && this.units.BYTES_PER_ELEMENT === 1)) this.room(1, code);
      this.units[this.at++] = code;
    }
  }

  /** A string in JSON quotes, as JSON.stringify writes it. */
  string(text: string): this {
    const begin = this.at;
    this.room(1);
    this.units[this.at++] = QUOTE;
    for (let i = 0; ; i++) {
      const code = codeAt(text, i);
      if (code !== code) break;
      if (code < 0x20 || code === QUOTE || code === BACKSLASH || (code >= 0xd800 && code <= 0xdfff)) {
        // Escapes (and surrogates, lone or paired) are rare here: JSON.stringify's own text.
        this.at = begin;
        return this.raw(JSON.stringify(text));
      }
      if (this.at === this.units.length || (code > 0xff && this.units.BYTES_PER_ELEMENT === 1)) this.room(1, code);
      this.units[this.at++] = code;
    }
    this.room(1);
    this.units[this.at++] = QUOTE;
    return this;
  }

  /** A number as JSON.stringify writes it (null when not finite). */
  number(value: number): this {
    if (Number.isInteger(value) && Math.abs(value) < LARGEST_EXACT && !Object.is(value, -0)) return this.fixed(value, 1);
    return Number.isFinite(value) ? this.raw("" + value) : this.raw(NULL);
  }

  /** The number rounded to 1/scale (scale 1, 10, 100, …), as `"" + Math.round(value * scale) / scale`
   *  prints it; null (and a value that is not finite) as null. */
  fixed(value: number | null, scale: number): this {
    if (value === null || !Number.isFinite(value)) return this.raw(NULL);
    let r = Math.round(value * scale);
    if (Math.abs(r) >= LARGEST_EXACT) return this.raw("" + r / scale);
    this.room(24);
    if (r < 0) {
      this.units[this.at++] = MINUS;
      r = -r;
    }
    const whole = Math.floor(r / scale);
    this.at = writeDigits(this.units, this.at, whole, 1);
    let fraction = r - whole * scale;
    if (fraction === 0) return this;
    let places = 0;
    for (let s = scale; s > 1; s /= 10) places++;
    while (fraction % 10 === 0) {
      fraction /= 10;
      places--;
    }
    this.units[this.at++] = DOT;
    this.at = writeDigits(this.units, this.at, fraction, places);
    return this;
  }

  boolean(value: boolean): this {
    return this.raw(value ? TRUE : FALSE);
  }

  null(): this {
    return this.raw(NULL);
  }

  /** Epoch ms as ISO 8601 UTC with milliseconds, without the quotes. */
  iso(epochMs: number): this {
    this.room(32);
    this.at = writeIsoUtc(epochMs, this.units, this.at);
    return this;
  }

  /** Code units [start, end) of another text. */
  copy(from: JsonText, start: number, end: number): this {
    this.room(end - start, from.units.BYTES_PER_ELEMENT === 2 ? 0x100 : 0);
    this.units.set(from.units.subarray(start, end), this.at);
    this.at += end - start;
    return this;
  }

  /** The text written since start(). */
  text(): string {
    const n = this.at;
    const full = Math.floor(n / CHAR_CODE_WINDOW);
    const windows = this.windows;
    for (let k = windows.length; k < full; k++) windows.push(this.units.subarray(k * CHAR_CODE_WINDOW, (k + 1) * CHAR_CODE_WINDOW));
    const rest = full * CHAR_CODE_WINDOW;
    return joinCharCodes(windows, full, rest < n ? this.units.subarray(rest, n) : null);
  }

  /** Room for n more units, of which the largest is `code` (a unit above 255 needs two bytes). */
  private room(n: number, code = 0): void {
    const wide = code > 0xff && this.units.BYTES_PER_ELEMENT === 1;
    if (this.at + n <= this.units.length && !wide) return;
    const length = this.at + n <= this.units.length ? this.units.length : Math.max(this.units.length * 2, this.at + n);
    const grown = wide || this.units.BYTES_PER_ELEMENT === 2 ? new Uint16Array(length) : new Uint8Array(length);
    grown.set(this.units.subarray(0, this.at));
    this.units = grown;
    this.windows.length = 0;
  }
}
