import { crc8Maxim } from "../../drivers/crc8";
import { DS18B20, encodeDs18b20Temperature, type Ds18b20Resolution } from "../../drivers/ds18b20";
import type { MonotonicClock } from "../../src/core/types";
import type { SimOneWireDevice } from "./onewire-bus";
import type { SeededRandom } from "../seeded-random";

/** Builds a DS18B20 ROM code (family 0x28, 48-bit serial LSB first, CRC) from a serial number. */
export function ds18b20Rom(serial: number): Uint8Array {
  const rom = new Uint8Array(8);
  rom[0] = DS18B20.FAMILY_CODE;
  let s = serial;
  for (let i = 1; i <= 6; i++) {
    rom[i] = s % 256;
    s = Math.floor(s / 256);
  }
  rom[7] = crc8Maxim(rom, 7);
  return rom;
}

/** What tests and `--fault` flags can do to a simulated DS18B20. */
export interface SimDs18b20Faults {
  /** Off the bus: no presence pulse, no answer. Plugging back in is a power-on. */
  unplugged: boolean;
  /** Probability that a scratchpad read carries a flipped bit. */
  crcErrorRate: number;
  /** Browns out at every reset pulse: the scratchpad holds the 85 °C power-on value. */
  powerOnEachReset: boolean;
  /** °C added to what the probe measures. */
  driftC: number;
  /** When set, the probe measures this instead of its environment. */
  stuckAtC: number | null;
}

const EEPROM_DEFAULT = Object.freeze({ th: 0x4b, tl: 0x46, config: 0x7f });
const RESERVED = Object.freeze([0xff, 0x0c, 0x10]);

/** The chip's protocol state. Numbers, not strings: on XS a string literal in preloaded code
 *  is copied into a new chunk each time it is evaluated, and this runs per bit slot. */
const MODE = Object.freeze({ romCommand: 0, matchRom: 1, searchRom: 2, functionCommand: 3, writeScratchpad: 4, sending: 5, converting: 6, ignoring: 7 });
type Mode = (typeof MODE)[keyof typeof MODE];

/**
 * A DS18B20 at the level of 1-Wire time slots: ROM commands (read, match, skip, search),
 * Convert T (conversion time per resolution; read slots give 0 until it is done),
 * Read/Write/Copy Scratchpad, Recall E2, Read Power Supply, CRC generation.
 * It measures `temperature()` plus noise, quantised to its resolution.
 */
export class SimDs18b20 implements SimOneWireDevice {
  readonly faults: SimDs18b20Faults = { unplugged: false, crcErrorRate: 0, powerOnEachReset: false, driftC: 0, stuckAtC: null };
  private readonly scratchpad = new Uint8Array(9);
  private eeprom: { th: number; tl: number; config: number } = { ...EEPROM_DEFAULT };
  private mode: Mode = MODE.ignoring;
  private shift = 0;
  private shiftCount = 0;
  private romIndex = 0;
  private matchOk = true;
  private searchPhase = 0;
  private writeIndex = 0;
  /** The bytes being sent, read out bit by bit (LSB first); preallocated: no garbage per slot. */
  private readonly out = new Uint8Array(9);
  private outLength = 0;
  private outBit = 0;
  /** A conversion under way: its end and its result (fields, not an object per conversion). */
  private converting = false;
  private conversionDoneAtMs = 0;
  private conversionRaw = 0;
  private wasUnplugged = false;
  /** Counters for tests. */
  conversions = 0;
  configWrites = 0;

  constructor(
    readonly rom: Uint8Array,
    private readonly temperature: () => number,
    private readonly clock: MonotonicClock,
    private readonly prng: SeededRandom,
    private readonly noiseSdC = 0.02,
  ) {
    this.powerOn();
  }

  get resolution(): Ds18b20Resolution {
    return (9 + ((this.scratchpad[4] >> 5) & 3)) as Ds18b20Resolution;
  }

  reset(): boolean {
    if (this.faults.unplugged) {
      this.wasUnplugged = true;
      this.mode = MODE.ignoring;
      return false;
    }
    if (this.wasUnplugged || this.faults.powerOnEachReset) {
      this.wasUnplugged = false;
      this.powerOn();
    }
    this.finishConversion();
    this.mode = MODE.romCommand;
    this.shift = 0;
    this.shiftCount = 0;
    return true;
  }

  writeBit(bit: 0 | 1): void {
    if (this.faults.unplugged) return;
    switch (this.mode) {
      case MODE.romCommand:
        if (this.shiftIn(bit)) this.romCommand(this.takeByte());
        break;
      case MODE.matchRom:
        if (bit !== this.romBit(this.romIndex)) this.matchOk = false;
        if (++this.romIndex === 64) this.mode = this.matchOk ? MODE.functionCommand : MODE.ignoring;
        break;
      case MODE.searchRom:
        if (this.searchPhase !== 2) break;
        if (bit !== this.romBit(this.romIndex)) {
          this.mode = MODE.ignoring;
          break;
        }
        this.searchPhase = 0;
        if (++this.romIndex === 64) this.mode = MODE.functionCommand;
        break;
      case MODE.functionCommand:
        if (this.shiftIn(bit)) this.functionCommand(this.takeByte());
        break;
      case MODE.writeScratchpad:
        if (this.shiftIn(bit)) this.writeScratchpadByte(this.takeByte());
        break;
      default:
        break;
    }
  }

  readBit(): 0 | 1 {
    if (this.faults.unplugged) return 1;
    switch (this.mode) {
      case MODE.searchRom:
        if (this.searchPhase === 0) {
          this.searchPhase = 1;
          return this.romBit(this.romIndex);
        }
        if (this.searchPhase === 1) {
          this.searchPhase = 2;
          return this.romBit(this.romIndex) ? 0 : 1;
        }
        return 1;
      case MODE.sending:
        if (this.outBit >= this.outLength * 8) return 1;
        return ((this.out[this.outBit >> 3] >> (this.outBit++ & 7)) & 1) as 0 | 1;
      case MODE.converting:
        this.finishConversion();
        return this.converting ? 0 : 1;
      default:
        return 1;
    }
  }

  private powerOn(): void {
    this.scratchpad.set([DS18B20.POWER_ON_RAW & 0xff, DS18B20.POWER_ON_RAW >> 8, this.eeprom.th, this.eeprom.tl, this.eeprom.config, ...RESERVED]);
    this.scratchpad[8] = crc8Maxim(this.scratchpad, 8);
    this.converting = false;
    this.mode = MODE.ignoring;
  }

  private romBit(index: number): 0 | 1 {
    return ((this.rom[index >> 3] >> (index & 7)) & 1) as 0 | 1;
  }

  private shiftIn(bit: 0 | 1): boolean {
    this.shift |= bit << this.shiftCount;
    return ++this.shiftCount === 8;
  }

  private takeByte(): number {
    const b = this.shift;
    this.shift = 0;
    this.shiftCount = 0;
    return b;
  }

  private send(bytes: ArrayLike<number>): void {
    this.outLength = Math.min(bytes.length, this.out.length);
    for (let i = 0; i < this.outLength; i++) this.out[i] = bytes[i];
    this.outBit = 0;
    this.mode = MODE.sending;
  }

  private romCommand(command: number): void {
    switch (command) {
      case 0x33:
        this.send(this.rom);
        break;
      case 0x55:
        this.mode = MODE.matchRom;
        this.romIndex = 0;
        this.matchOk = true;
        break;
      case 0xcc:
        this.mode = MODE.functionCommand;
        break;
      case 0xf0:
        this.mode = MODE.searchRom;
        this.romIndex = 0;
        this.searchPhase = 0;
        break;
      default:
        this.mode = MODE.ignoring; // alarm search and unknown commands: not answered
    }
  }

  private functionCommand(command: number): void {
    switch (command) {
      case DS18B20.CONVERT_T: {
        this.conversions++;
        this.converting = true;
        this.conversionDoneAtMs = this.clock.now() + DS18B20.CONVERSION_MS[this.resolution];
        this.conversionRaw = this.measureRaw();
        this.mode = MODE.converting;
        break;
      }
      case DS18B20.READ_SCRATCHPAD: {
        this.finishConversion();
        this.send(this.scratchpad);
        if (this.faults.crcErrorRate > 0 && this.prng.next() < this.faults.crcErrorRate) {
          this.out[this.prng.int(9)] ^= 1 << this.prng.int(8); // a bit flipped on the wire
        }
        break;
      }
      case DS18B20.WRITE_SCRATCHPAD:
        this.mode = MODE.writeScratchpad;
        this.writeIndex = 0;
        break;
      case 0x48: // Copy Scratchpad
        this.eeprom = { th: this.scratchpad[2], tl: this.scratchpad[3], config: this.scratchpad[4] };
        this.mode = MODE.ignoring;
        break;
      case 0xb8: // Recall E2
        this.scratchpad[2] = this.eeprom.th;
        this.scratchpad[3] = this.eeprom.tl;
        this.scratchpad[4] = this.eeprom.config;
        this.scratchpad[8] = crc8Maxim(this.scratchpad, 8);
        this.send([0xff]);
        break;
      case 0xb4: // Read Power Supply: externally powered
        this.send([0xff]);
        break;
      default:
        this.mode = MODE.ignoring;
    }
  }

  private writeScratchpadByte(byte: number): void {
    const index = 2 + this.writeIndex++;
    // The configuration register keeps its fixed bits; only R1 R0 (bits 6..5) are writable.
    this.scratchpad[index] = index === 4 ? (byte & 0x60) | 0x1f : byte;
    this.scratchpad[8] = crc8Maxim(this.scratchpad, 8);
    if (index === 4) {
      this.configWrites++;
      this.mode = MODE.ignoring;
    }
  }

  private measureRaw(): number {
    const truth = this.faults.stuckAtC ?? this.temperature() + this.faults.driftC + this.prng.gaussian(this.noiseSdC);
    const clamped = Math.min(Math.max(truth, DS18B20.MIN_C), DS18B20.MAX_C);
    const undefinedBits = (1 << (12 - this.resolution)) - 1;
    return encodeDs18b20Temperature(clamped) & ~undefinedBits & 0xffff;
  }

  private finishConversion(): void {
    if (!this.converting || this.clock.now() < this.conversionDoneAtMs) return;
    this.converting = false;
    const raw = this.conversionRaw;
    this.scratchpad[0] = raw & 0xff;
    this.scratchpad[1] = raw >> 8;
    this.scratchpad[8] = crc8Maxim(this.scratchpad, 8);
    if (this.mode === MODE.converting) this.mode = MODE.ignoring;
  }
}
