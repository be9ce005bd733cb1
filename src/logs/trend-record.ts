// One trend record: a minute of the incubator in 32 bytes, little-endian.
//
//   0 u8  tag 'T'             1 u8  flags: state (2 bits), mode skin, in skin control,
//   2 u8  ticks in the minute          override, clock not set
//   3 u8  humidifier on-time, 0.5 %    4 u32 minute start, epoch seconds
//   8 i16 air mean  10 i16 air min  12 i16 air max  14 i16 skin mean  16 i16 outlet probe mean
//                                       (0.01 °C; -32768: no valid reading in the minute)
//  18 u16 humidity mean (0.01 %RH; 0xFFFF: none)
//  20 i16 air setpoint  22 i16 skin setpoint (0.01 °C)  24 u16 humidity setpoint (0.01 %RH)
//  26 u8  heater mean duty  27 u8 fan mean duty (0.5 %)
//  28 u16 alarms active in the minute (ALARM_BITS)      30 u16 CRC-16 of bytes 0..29
import type { ControlMode, IncubatorState } from "../core/types";

export const TREND_RECORD_BYTES = 32;
export const TREND_TAG = 0x54;

const NO_TEMPERATURE = -32768;
const NO_HUMIDITY = 0xffff;
const STATES: readonly IncubatorState[] = Object.freeze(["STANDBY", "PREHEATING", "OPERATING", "FAULT"]);
const FLAG_SKIN_MODE = 1 << 2;
const FLAG_SKIN_CONTROL = 1 << 3;
const FLAG_OVERRIDE = 1 << 4;
const FLAG_CLOCK_UNSET = 1 << 5;

/** A minute's values as the accumulator hands them over to be stored. */
export interface TrendMinute {
  readonly minuteStartS: number;
  readonly clockSet: boolean;
  readonly samples: number;
  readonly state: IncubatorState;
  readonly mode: ControlMode;
  readonly effectiveMode: ControlMode;
  readonly override: boolean;
  readonly air: number | null;
  readonly airMin: number | null;
  readonly airMax: number | null;
  readonly skin: number | null;
  readonly probe: number | null;
  readonly humidity: number | null;
  readonly setAir: number;
  readonly setSkin: number;
  readonly setHumidity: number;
  /** Mean duties, percent. */
  readonly heater: number;
  readonly fan: number;
  readonly humidifier: number;
  readonly alarms: number;
}

function centi(value: number | null): number {
  if (value === null || !Number.isFinite(value)) return NO_TEMPERATURE;
  const v = Math.round(value * 100);
  return v < -32767 ? -32767 : v > 32767 ? 32767 : v;
}

function centiHumidity(value: number | null): number {
  if (value === null || !Number.isFinite(value)) return NO_HUMIDITY;
  const v = Math.round(value * 100);
  return v < 0 ? 0 : v > 10000 ? 10000 : v;
}

function halfPercent(percent: number): number {
  const v = Math.round(percent * 2);
  return v < 0 ? 0 : v > 200 ? 200 : v;
}

/** Writes `m` into `view` at `offset` (tag and CRC are the ring's: see SlotRing.seal). */
export function encodeTrend(view: DataView, offset: number, m: TrendMinute): void {
  let flags = STATES.indexOf(m.state) & 3;
  if (m.mode === "skin") flags |= FLAG_SKIN_MODE;
  if (m.effectiveMode === "skin") flags |= FLAG_SKIN_CONTROL;
  if (m.override) flags |= FLAG_OVERRIDE;
  if (!m.clockSet) flags |= FLAG_CLOCK_UNSET;
  view.setUint8(offset + 1, flags);
  view.setUint8(offset + 2, m.samples > 255 ? 255 : m.samples);
  view.setUint8(offset + 3, halfPercent(m.humidifier));
  view.setUint32(offset + 4, m.minuteStartS >>> 0, true);
  view.setInt16(offset + 8, centi(m.air), true);
  view.setInt16(offset + 10, centi(m.airMin), true);
  view.setInt16(offset + 12, centi(m.airMax), true);
  view.setInt16(offset + 14, centi(m.skin), true);
  view.setInt16(offset + 16, centi(m.probe), true);
  view.setUint16(offset + 18, centiHumidity(m.humidity), true);
  view.setInt16(offset + 20, centi(m.setAir), true);
  view.setInt16(offset + 22, centi(m.setSkin), true);
  view.setUint16(offset + 24, centiHumidity(m.setHumidity), true);
  view.setUint8(offset + 26, halfPercent(m.heater));
  view.setUint8(offset + 27, halfPercent(m.fan));
  view.setUint16(offset + 28, m.alarms & 0xffff, true);
}

/**
 * Reads the fields of one stored record in place: the export and history loops move it
 * from record to record (`at`) instead of building an object per minute.
 */
export class TrendRecordView {
  private view: DataView;
  private offset = 0;
  /** The record's id in the log. */
  id = 0;

  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  at(bytes: Uint8Array, offset: number, id: number): this {
    if (this.view.buffer !== bytes.buffer || this.view.byteOffset !== bytes.byteOffset) this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
    this.id = id;
    return this;
  }

  private temperature(at: number): number | null {
    const v = this.view.getInt16(this.offset + at, true);
    return v === NO_TEMPERATURE ? null : v / 100;
  }

  private humidityAt(at: number): number | null {
    const v = this.view.getUint16(this.offset + at, true);
    return v === NO_HUMIDITY ? null : v / 100;
  }

  private flags(): number {
    return this.view.getUint8(this.offset + 1);
  }

  /** Minute start, epoch seconds. */
  get ts(): number { return this.view.getUint32(this.offset + 4, true); }
  get clockSet(): boolean { return (this.flags() & FLAG_CLOCK_UNSET) === 0; }
  get samples(): number { return this.view.getUint8(this.offset + 2); }
  get state(): IncubatorState { return STATES[this.flags() & 3]; }
  get mode(): ControlMode { return this.flags() & FLAG_SKIN_MODE ? "skin" : "air"; }
  get effectiveMode(): ControlMode { return this.flags() & FLAG_SKIN_CONTROL ? "skin" : "air"; }
  get override(): boolean { return (this.flags() & FLAG_OVERRIDE) !== 0; }
  get air(): number | null { return this.temperature(8); }
  get airMin(): number | null { return this.temperature(10); }
  get airMax(): number | null { return this.temperature(12); }
  get skin(): number | null { return this.temperature(14); }
  get probe(): number | null { return this.temperature(16); }
  get humidity(): number | null { return this.humidityAt(18); }
  get setAir(): number { return this.view.getInt16(this.offset + 20, true) / 100; }
  get setSkin(): number { return this.view.getInt16(this.offset + 22, true) / 100; }
  get setHumidity(): number { return this.view.getUint16(this.offset + 24, true) / 100; }
  /** Mean duties, percent (0.5 % steps). */
  get heater(): number { return this.view.getUint8(this.offset + 26) / 2; }
  get fan(): number { return this.view.getUint8(this.offset + 27) / 2; }
  get humidifier(): number { return this.view.getUint8(this.offset + 3) / 2; }
  get alarms(): number { return this.view.getUint16(this.offset + 28, true); }
  /** The temperature setpoint of the mode in force. */
  get setTemperature(): number { return this.mode === "skin" ? this.setSkin : this.setAir; }
}
