import { crc8Sensirion } from "../../drivers/crc8";
import type { MonotonicClock } from "../../src/core/types";
import type { SimI2cTarget } from "./i2c-bus";
import type { SeededRandom } from "../seeded-random";

export interface SimSht31Faults {
  /** Acknowledges nothing (unplugged, or a dead chip). */
  nack: boolean;
  /** Returns the raw words of its last measurement forever (valid CRCs). */
  stuck: boolean;
  /** Probability that a measurement read carries a flipped bit. */
  crcErrorRate: number;
  /** °C added to what the chip measures. */
  driftC: number;
}

/** Measurement duration per repeatability (typical; the datasheet's maximum for high is 15 ms). */
const MEASUREMENT_MS: Readonly<Record<number, number>> = Object.freeze({
  0x2400: 12.5, 0x240b: 4.5, 0x2416: 2.5, // no clock stretching: high, medium, low
  0x2c06: 12.5, 0x2c0d: 4.5, 0x2c10: 2.5, // clock stretching (the simulation answers the same way)
});
const SOFT_RESET_MS = 1.5;
const STATUS_AFTER_RESET = 0x8010; // alert pending, reset detected

/**
 * SHT31 at the level of I2C transactions: 16-bit commands, single-shot measurements that
 * NACK the read header until ready, status register read/clear, soft reset, CRC-8 per word.
 * It measures `airC()` and `rh()` plus a little noise, as 16-bit raw words.
 */
export class SimSht31 implements SimI2cTarget {
  readonly faults: SimSht31Faults = { nack: false, stuck: false, crcErrorRate: 0, driftC: 0 };
  private status = STATUS_AFTER_RESET;
  // The measurement under way (and the last one, for the stuck fault) as plain fields and
  // the answers in two buffers made once: the simulated board reads the chip every second,
  // and on XS an object or array per read is garbage the firmware's heap figures would count.
  private measuring = false;
  private readyAtMs = 0;
  private tWord = 0;
  private rhWord = 0;
  private hasWords = false;
  private readonly measurement = new Uint8Array(6);
  private readonly statusWord = new Uint8Array(3);
  private output: Uint8Array | null = null;
  private busyUntilMs = 0;
  measurements = 0;
  softResets = 0;

  constructor(
    private readonly airC: () => number,
    private readonly rh: () => number,
    private readonly clock: MonotonicClock,
    private readonly prng: SeededRandom,
    private readonly noise = { tSdC: 0.015, rhSd: 0.05 },
  ) {}

  write(bytes: Uint8Array): boolean {
    const now = this.clock.now();
    if (this.faults.nack || now < this.busyUntilMs) return false;
    if (this.measuring && now < this.readyAtMs) return false;
    if (bytes.length < 2) return bytes.length === 0; // address-only probe is acknowledged
    const cmd = (bytes[0] << 8) | bytes[1];
    const duration = MEASUREMENT_MS[cmd];
    this.output = null;
    this.measuring = false;
    if (duration !== undefined) {
      this.measurements++;
      if (!(this.faults.stuck && this.hasWords)) this.measureWords();
      this.hasWords = true;
      this.measuring = true;
      this.readyAtMs = now + duration;
    } else if (cmd === 0x30a2) {
      this.softResets++;
      this.status = STATUS_AFTER_RESET;
      this.busyUntilMs = now + SOFT_RESET_MS;
    } else if (cmd === 0xf32d) {
      this.output = putWord(this.statusWord, 0, this.status);
    } else if (cmd === 0x3041) {
      this.status &= ~(0x8000 | 0x0800 | 0x0400 | 0x0010 | 0x0002 | 0x0001) & 0xffff;
    } else {
      this.status |= 0x0002; // command not processed
    }
    return true;
  }

  read(byteLength: number): Uint8Array | null {
    const now = this.clock.now();
    if (this.faults.nack || now < this.busyUntilMs) return null;
    if (this.measuring) {
      if (now < this.readyAtMs) return null; // no clock stretching: NACK while measuring
      const out = putWord(putWord(this.measurement, 0, this.tWord), 3, this.rhWord);
      this.measuring = false;
      if (this.faults.crcErrorRate > 0 && this.prng.next() < this.faults.crcErrorRate) {
        out[this.prng.int(6)] ^= 1 << this.prng.int(8);
      }
      return byteLength >= out.length ? out : out.subarray(0, byteLength);
    }
    const out = this.output;
    this.output = null;
    return out === null ? null : byteLength >= out.length ? out : out.subarray(0, byteLength); // no data pending: NACK
  }

  private measureWords(): void {
    const t = this.airC() + this.faults.driftC + this.prng.gaussian(this.noise.tSdC);
    const rh = this.rh() + this.prng.gaussian(this.noise.rhSd);
    this.tWord = clampWord(Math.round(((t + 45) / 175) * 65535));
    this.rhWord = clampWord(Math.round((rh / 100) * 65535));
  }
}

/** One 16-bit word and its CRC-8 at out[at..at+2]; returns `out`. */
function putWord(out: Uint8Array, at: number, word: number): Uint8Array {
  out[at] = word >> 8;
  out[at + 1] = word & 0xff;
  out[at + 2] = crc8Sensirion(out, at);
  return out;
}

function clampWord(n: number): number {
  return Math.min(Math.max(n, 0), 0xffff);
}
