// A JSON text written as ASCII bytes into one buffer, then made into a string at once.
// Built by `+`, a message of n pieces copies its growing prefix n times (XS makes a new
// chunk for each concatenation: about 6 kB of chunks for a 285-character sensor_update);
// written here, it costs the one string. For texts of ASCII tokens and numbers only.
import { codeAt } from "../core/code-at";
import { fromCharCodes } from "../net/utf8";
import { writeDigits, writeIsoUtc } from "./iso-time";

const MINUS = 0x2d;
const DOT = 0x2e;
// Module constants, not literals: a literal in a preloaded module is copied at each evaluation.
const NULL = "null";
const TRUE = "true";
const FALSE = "false";
/** Beyond this a value is written as JavaScript prints it (no such reading exists). */
const LARGEST_EXACT = 1e15;

export class JsonBytes {
  private bytes: Uint8Array;
  private at = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Starts a new text in the same buffer. */
  start(): this {
    this.at = 0;
    return this;
  }

  /** ASCII text as it is (JSON punctuation, names, enumerated values). Read through codeAt
   *  to its end (NaN), without `text.length`: on XS each property access on a primitive
   *  string makes a String wrapper. */
  ascii(text: string): this {
    for (let i = 0; ; i++) {
      const code = codeAt(text, i);
      if (code !== code) return this;
      if (this.at === this.bytes.length) this.room(1);
      this.bytes[this.at++] = code;
    }
  }

  /** The number rounded to 1/scale (scale 1, 10, 100, …), as `"" + Math.round(value * scale) / scale`
   *  prints it; null (and a value that is not finite) as null. */
  fixed(value: number | null, scale: number): this {
    if (value === null || !Number.isFinite(value)) return this.ascii(NULL);
    let r = Math.round(value * scale);
    if (Math.abs(r) >= LARGEST_EXACT) return this.ascii("" + r / scale);
    this.room(24);
    if (r < 0) {
      this.bytes[this.at++] = MINUS;
      r = -r;
    }
    const whole = Math.floor(r / scale);
    this.at = writeDigits(this.bytes, this.at, whole, 1);
    let fraction = r - whole * scale;
    if (fraction === 0) return this;
    let places = 0;
    for (let s = scale; s > 1; s /= 10) places++;
    while (fraction % 10 === 0) {
      fraction /= 10;
      places--;
    }
    this.bytes[this.at++] = DOT;
    this.at = writeDigits(this.bytes, this.at, fraction, places);
    return this;
  }

  boolean(value: boolean): this {
    return this.ascii(value ? TRUE : FALSE);
  }

  /** Epoch ms as ISO 8601 UTC with milliseconds, without the quotes. */
  iso(epochMs: number): this {
    this.room(32);
    this.at = writeIsoUtc(epochMs, this.bytes, this.at);
    return this;
  }

  /** The text written since start(). */
  text(): string {
    return fromCharCodes(this.bytes, 0, this.at);
  }

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }
}
