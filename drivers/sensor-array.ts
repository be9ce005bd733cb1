import type { MonotonicClock, Reading, SensorFrame, SensorSource } from "../src/core/types";
import type { I2cDevice, OneWireBus, PulseCounter } from "./bus";
import { NO_CALIBRATION, type SensorCalibration } from "./calibration";
import { Ds18b20, DS18B20, type Ds18b20Resolution } from "./ds18b20";
import { FanTachometer } from "./fan";
import { parseRom, romToHex, romsEqual, searchRoms } from "./onewire-rom";
import { describeError } from "./reading";
import { Sht31 } from "./sht31";

export interface SensorArrayConfig {
  /** ROM codes, 16 hex digits in wire order (family code 28 first), from the board's config. */
  readonly skinRom: string;
  readonly probeAirRom: string;
  readonly resolution?: Ds18b20Resolution;
  readonly tachPulsesPerRevolution?: number;
  /** Times each DS18B20 conversion from Convert T to the scratchpad read (see Ds18b20Options):
   *  without it a late tick could read the 85.0 °C power-on value as a temperature. */
  readonly clock: MonotonicClock;
  /** Offsets for the SHT31 and the skin probe (the outlet probe has none). */
  readonly calibration?: SensorCalibration;
}

export interface SensorArrayBuses {
  readonly i2cSht31: I2cDevice;
  readonly oneWire: OneWireBus;
  readonly tachometer: PulseCounter;
}

export interface OneWireInventory {
  /** ROM codes found by the search at start, hex. */
  readonly found: readonly string[];
  /** Why the search or the configuration is not as it should be; empty when fine. */
  readonly problems: readonly string[];
}

/** The drivers catch every bus error themselves; this is the last line against a bug in
 *  one of them, so that one channel's defect can never throw into the control tick. */
function driverError(error: unknown, nowMs: number): Reading {
  return { value: null, atMs: null, fault: "bus", detail: `driver error: ${describeError(error)}`, faultSinceMs: nowMs };
}

/** A probe whose ROM code cannot be used: reported as that channel's fault, every tick. */
class UnusableProbe {
  private since: number | null = null;
  constructor(private readonly detail: string) {}
  sample(nowMs: number): Reading {
    if (this.since === null) this.since = nowMs;
    return { value: null, atMs: null, fault: "absent", detail: this.detail, faultSinceMs: this.since };
  }
}

/**
 * The board's sensors as one SensorSource: SHT31 (air, humidity), the skin and air-outlet
 * DS18B20 on one 1-Wire bus (told apart by their configured ROM codes), and the fan
 * tachometer. The first `sample` runs the ROM search; every later one costs a few
 * milliseconds of bus traffic and never waits for a conversion.
 */
export class SensorArray implements SensorSource {
  readonly sht31: Sht31;
  readonly skin: Ds18b20 | UnusableProbe;
  readonly probeAir: Ds18b20 | UnusableProbe;
  readonly tachometer: FanTachometer;
  private searched: OneWireInventory | null = null;

  constructor(private readonly buses: SensorArrayBuses, config: SensorArrayConfig) {
    const calibration = config.calibration ?? NO_CALIBRATION;
    this.sht31 = new Sht31(buses.i2cSht31, calibration);
    this.tachometer = new FanTachometer(buses.tachometer, { pulsesPerRevolution: config.tachPulsesPerRevolution });
    const options = { resolution: config.resolution ?? 12, clock: config.clock };
    const skin = parseRom(config.skinRom);
    const air = parseRom(config.probeAirRom);
    const skinOffset = { get offset() { return calibration.skinOffsetC; } };
    this.skin = "rom" in skin ? new Ds18b20(buses.oneWire, skin.rom, { ...options, calibration: skinOffset }) : new UnusableProbe(`skin probe: ${skin.error}`);
    this.probeAir = "rom" in air ? new Ds18b20(buses.oneWire, air.rom, options) : new UnusableProbe(`air probe: ${air.error}`);
    if ("rom" in skin && "rom" in air && romsEqual(skin.rom, air.rom)) {
      this.skin = new UnusableProbe(`skin and air probe are configured with the same ROM code ${config.skinRom}`);
      this.probeAir = new UnusableProbe(`skin and air probe are configured with the same ROM code ${config.probeAirRom}`);
    }
  }

  /** What the ROM search found (null before the first sample). */
  get inventory(): OneWireInventory | null {
    return this.searched;
  }

  sample(nowMs: number): SensorFrame {
    if (!this.searched) this.searched = this.search();
    // A new frame each tick (a few slots): consumers may keep one, its readings are values.
    let air: Reading, humidity: Reading, skin: Reading, probeAir: Reading, fanRpm: Reading;
    try {
      const sht = this.sht31.sample(nowMs);
      air = sht.air;
      humidity = sht.humidity;
    } catch (error) {
      air = humidity = driverError(error, nowMs);
    }
    try { skin = this.skin.sample(nowMs); } catch (error) { skin = driverError(error, nowMs); }
    try { probeAir = this.probeAir.sample(nowMs); } catch (error) { probeAir = driverError(error, nowMs); }
    try { fanRpm = this.tachometer.sample(nowMs); } catch (error) { fanRpm = driverError(error, nowMs); }
    return { air, humidity, skin, probeAir, fanRpm };
  }

  private search(): OneWireInventory {
    const result = searchRoms(this.buses.oneWire);
    const found = result.roms.map(romToHex);
    const problems: string[] = [];
    if (!result.ok) problems.push(result.error);
    for (const [name, probe] of [["skin", this.skin], ["air", this.probeAir]] as const) {
      if (!(probe instanceof Ds18b20)) continue;
      if (!result.roms.some((r) => romsEqual(r, probe.rom))) {
        problems.push(`${name} probe ROM ${probe.romHex} not found by the search (found: ${found.join(", ") || "none"})`);
      }
    }
    for (const rom of result.roms) {
      if (rom[0] !== DS18B20.FAMILY_CODE) problems.push(`device ${romToHex(rom)} on the 1-Wire bus is not a DS18B20`);
    }
    return { found, problems };
  }
}

/** A board whose buses could not be opened (bad pin configuration): every channel reports
 *  `detail` as absent, so the alarm system raises SENSOR_FAULT and the heater stays off. */
export class UnavailableSensors implements SensorSource {
  private readonly channel: UnusableProbe;
  constructor(detail: string) {
    this.channel = new UnusableProbe(detail);
  }
  sample(nowMs: number): SensorFrame {
    const r = this.channel.sample(nowMs);
    return { air: r, humidity: r, skin: r, probeAir: r, fanRpm: r };
  }
}
