import type { MonotonicClock, Reading } from "../src/core/types";
import type { OneWireBus } from "./bus";
import { NO_OFFSET, type ChannelOffset } from "./calibration";
import { crc8Maxim } from "./crc8";
import { matchRom, romToHex } from "./onewire-rom";
import { ChannelReading, describeError } from "./reading";

export type Ds18b20Resolution = 9 | 10 | 11 | 12;

export const DS18B20 = Object.freeze({
  FAMILY_CODE: 0x28,
  CONVERT_T: 0x44,
  READ_SCRATCHPAD: 0xbe,
  WRITE_SCRATCHPAD: 0x4e,
  SCRATCHPAD_BYTES: 9,
  /** Raw value the temperature register holds from power-on until a conversion completes. */
  POWER_ON_RAW: 0x0550,
  /** Maximum conversion time per resolution (datasheet, tCONV). */
  CONVERSION_MS: Object.freeze({ 9: 93.75, 10: 187.5, 11: 375, 12: 750 } as Record<Ds18b20Resolution, number>),
  CONFIG_BYTE: Object.freeze({ 9: 0x1f, 10: 0x3f, 11: 0x5f, 12: 0x7f } as Record<Ds18b20Resolution, number>),
  MIN_C: -55,
  MAX_C: 125,
  /**
   * Written to the TH/TL alarm bytes together with the resolution (scratchpad only, never
   * copied to EEPROM). A power-on reload from EEPROM replaces them, so finding them gone
   * proves the probe has reset since we configured it - and that an 85.0 °C reading is the
   * power-on value, not a conversion.
   */
  MARKER_TH: 0x49,
  MARKER_TL: 0x4e,
});

/** Temperature register -> °C: 16-bit two's complement in 1/16 °C, the bits below the
 *  resolution undefined (masked off). */
export function decodeDs18b20Temperature(raw: number, resolution: Ds18b20Resolution = 12): number {
  const undefinedBits = (1 << (12 - resolution)) - 1;
  const signed = ((raw & 0xffff) << 16) >> 16;
  return (signed & ~undefinedBits) / 16;
}

/** °C -> temperature register (12-bit), as the datasheet's table lists it. */
export function encodeDs18b20Temperature(celsius: number): number {
  return Math.round(celsius * 16) & 0xffff;
}

export type ScratchpadCheck =
  | { readonly ok: true; readonly raw: number; readonly th: number; readonly tl: number; readonly config: number }
  | { readonly ok: false; readonly fault: "absent" | "bus" | "crc"; readonly detail: string };

export function checkScratchpad(pad: Uint8Array): ScratchpadCheck {
  return scratchpadFault(pad) ?? { ok: true, raw: pad[0] | (pad[1] << 8), th: pad[2], tl: pad[3], config: pad[4] };
}

/** What is wrong with a scratchpad read, or null when it is whole and its CRC holds (no
 *  object made for a good read: every tick has two). */
export function scratchpadFault(pad: Uint8Array): (ScratchpadCheck & { readonly ok: false }) | null {
  if (pad.length < DS18B20.SCRATCHPAD_BYTES) {
    return { ok: false, fault: "bus", detail: `scratchpad read returned ${pad.length} of ${DS18B20.SCRATCHPAD_BYTES} bytes` };
  }
  let allOnes = true;
  let allZeros = true;
  for (let i = 0; i < DS18B20.SCRATCHPAD_BYTES; i++) {
    if (pad[i] !== 0xff) allOnes = false;
    if (pad[i] !== 0x00) allZeros = false;
  }
  if (allOnes) return { ok: false, fault: "absent", detail: "scratchpad all ones (no device answered)" };
  if (allZeros) return { ok: false, fault: "bus", detail: "scratchpad all zeros (data line held low)" };
  const crc = crc8Maxim(pad, 8);
  if (crc !== pad[8]) {
    return { ok: false, fault: "crc", detail: `scratchpad CRC 0x${hex2(pad[8])}, computed 0x${hex2(crc)}` };
  }
  return null;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

function resolutionOfConfig(config: number): Ds18b20Resolution | null {
  if ((config & 0x9f) !== 0x1f) return null;
  return (9 + ((config >> 5) & 3)) as Ds18b20Resolution;
}

export interface Ds18b20Options {
  readonly resolution?: Ds18b20Resolution;
  /**
   * Times the conversion from the moment Convert T is sent to the moment the scratchpad is
   * read. Without it, both are taken as the tick's start, and a tick whose bus work began
   * late (a busy process, a slow bus) reads before the conversion is done: the first time
   * after power-on that is the 85.0 °C power-on value, then taken for a reading.
   */
  readonly clock?: MonotonicClock;
  /** How many times a scratchpad that fails its CRC is read again within one tick. */
  readonly crcRetries?: number;
  /** Calibration offset added to every reading, °C (none for the outlet probe). */
  readonly calibration?: ChannelOffset;
}

export interface Ds18b20Counters {
  conversions: number;
  reads: number;
  crcErrors: number;
  resetsDetected: number;
  configWrites: number;
}

/**
 * One DS18B20 on a shared bus, addressed by Match ROM. Non-blocking: `sample` reads the
 * conversion started by the previous call (if its conversion time has passed) and starts
 * the next one, so nothing ever waits 750 ms.
 */
export class Ds18b20 {
  readonly romHex: string;
  readonly counters: Ds18b20Counters = { conversions: 0, reads: 0, crcErrors: 0, resetsDetected: 0, configWrites: 0 };
  private readonly resolution: Ds18b20Resolution;
  private readonly crcRetries: number;
  private readonly calibration: ChannelOffset;
  private readonly channel = new ChannelReading("no conversion completed yet");
  private configured = false;
  private conversionStartedMs: number | null = null;
  /** No conversion has been read since the probe was (re)configured: its temperature
   *  register may still hold the power-on value. */
  private firstConversionPending = true;
  private readonly clock: MonotonicClock | null;
  /** The scratchpad read byte by byte (a bus without readBytes), made at the first read. */
  private pad: Uint8Array | null = null;

  constructor(
    private readonly bus: OneWireBus,
    readonly rom: Uint8Array,
    options: Ds18b20Options = {},
  ) {
    this.romHex = romToHex(rom);
    this.resolution = options.resolution ?? 12;
    this.crcRetries = options.crcRetries ?? 1;
    this.clock = options.clock ?? null;
    this.calibration = options.calibration ?? NO_OFFSET;
  }

  get reading(): Reading {
    return this.channel.reading;
  }

  /** One control tick: collect the pending conversion, start the next. Never throws. */
  sample(nowMs: number): Reading {
    this.channel.stampStart(nowMs);
    const started = this.conversionStartedMs;
    const readAtMs = this.clock ? this.clock.now() : nowMs;
    if (started !== null && readAtMs - started < DS18B20.CONVERSION_MS[this.resolution]) {
      // The tick came early: the conversion is still running; keep the last reading as it is.
      return this.channel.reading;
    }
    if (started !== null) this.collect(started, nowMs);
    this.startConversion(nowMs);
    return this.channel.reading;
  }

  private collect(startedMs: number, nowMs: number): void {
    this.conversionStartedMs = null;
    let fault: ReturnType<typeof scratchpadFault> = null;
    let pad: Uint8Array | null = null;
    for (let attempt = 0; attempt <= this.crcRetries; attempt++) {
      pad = this.readScratchpad(nowMs);
      if (!pad) return;
      fault = scratchpadFault(pad);
      if (fault === null || fault.fault !== "crc") break;
      this.counters.crcErrors++;
    }
    if (!pad) return;
    if (fault !== null) {
      this.channel.fail(fault.fault, `${fault.detail}, ROM ${this.romHex}`, nowMs);
      return;
    }
    const raw = pad[0] | (pad[1] << 8);
    const config = pad[4];
    this.counters.reads++;
    const markerIntact = pad[2] === DS18B20.MARKER_TH && pad[3] === DS18B20.MARKER_TL;
    if (!markerIntact) {
      this.counters.resetsDetected++;
      this.configured = false;
    }
    if (raw === DS18B20.POWER_ON_RAW && !markerIntact) {
      this.channel.fail("implausible", `85.0 °C power-on value: the probe reset and no conversion followed, ROM ${this.romHex}`, nowMs);
      return;
    }
    if (raw === DS18B20.POWER_ON_RAW && this.firstConversionPending && !this.clock) {
      // Without a clock the driver cannot be sure this first conversion has finished: the
      // register may still hold its power-on value. The next conversion tells.
      this.channel.fail("stale", `85.0 °C before a conversion is known to have finished, ROM ${this.romHex}`, nowMs);
      return;
    }
    this.firstConversionPending = false;
    const resolution = resolutionOfConfig(config);
    if (resolution === null) {
      this.channel.fail("implausible", `configuration byte 0x${hex2(config)} is not a DS18B20's, ROM ${this.romHex}`, nowMs);
      return;
    }
    const celsius = decodeDs18b20Temperature(raw, resolution);
    if (celsius < DS18B20.MIN_C || celsius > DS18B20.MAX_C) {
      this.channel.fail("implausible", `${celsius} °C is outside the DS18B20 range, ROM ${this.romHex}`, nowMs);
      return;
    }
    this.channel.good(celsius + this.calibration.offset, startedMs);
  }

  private readScratchpad(nowMs: number): Uint8Array | null {
    try {
      if (!matchRom(this.bus, this.rom)) {
        this.channel.fail("absent", `no presence pulse on the 1-Wire bus, ROM ${this.romHex}`, nowMs);
        return null;
      }
      this.bus.writeByte(DS18B20.READ_SCRATCHPAD);
      if (this.bus.readBytes) return this.bus.readBytes(DS18B20.SCRATCHPAD_BYTES);
      const pad = (this.pad ??= new Uint8Array(DS18B20.SCRATCHPAD_BYTES));
      for (let i = 0; i < pad.length; i++) pad[i] = this.bus.readByte();
      return pad;
    } catch (error) {
      this.channel.fail("bus", `1-Wire read failed: ${describeError(error)}, ROM ${this.romHex}`, nowMs);
      return null;
    }
  }

  private startConversion(nowMs: number): void {
    try {
      if (!this.configured) {
        if (!matchRom(this.bus, this.rom)) {
          this.channel.fail("absent", `no presence pulse on the 1-Wire bus, ROM ${this.romHex}`, nowMs);
          return;
        }
        this.bus.writeByte(DS18B20.WRITE_SCRATCHPAD);
        this.bus.writeByte(DS18B20.MARKER_TH);
        this.bus.writeByte(DS18B20.MARKER_TL);
        this.bus.writeByte(DS18B20.CONFIG_BYTE[this.resolution]);
        this.configured = true;
        this.firstConversionPending = true;
        this.counters.configWrites++;
      }
      if (!matchRom(this.bus, this.rom)) {
        this.channel.fail("absent", `no presence pulse on the 1-Wire bus, ROM ${this.romHex}`, nowMs);
        return;
      }
      this.bus.writeByte(DS18B20.CONVERT_T);
      this.conversionStartedMs = this.clock ? this.clock.now() : nowMs;
      this.counters.conversions++;
    } catch (error) {
      this.channel.fail("bus", `1-Wire write failed: ${describeError(error)}, ROM ${this.romHex}`, nowMs);
    }
  }
}
