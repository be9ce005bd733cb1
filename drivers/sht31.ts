import type { Reading, SensorFaultKind } from "../src/core/types";
import type { I2cDevice } from "./bus";
import { NO_CALIBRATION, type SensorCalibration } from "./calibration";
import { crc8Sensirion } from "./crc8";
import { ChannelReading, describeError } from "./reading";

export const SHT31 = Object.freeze({
  ADDRESS: 0x44,
  /** Single shot, high repeatability, clock stretching disabled. */
  MEASURE_HIGH_NO_STRETCH: 0x2400,
  SOFT_RESET: 0x30a2,
  READ_STATUS: 0xf32d,
  CLEAR_STATUS: 0x3041,
  /** Maximum measurement duration, high repeatability. */
  MEASUREMENT_MS: 15,
  /** The soft reset takes at most 1.5 ms; we come back a tick later anyway. */
  SOFT_RESET_MS: 2,
  /** Consecutive failed ticks before the driver issues a soft reset. */
  FAILURES_BEFORE_RESET: 3,
  /** Identical raw temperature and humidity words this many times in a row = a stuck sensor
   *  (the 16-bit words carry several LSB of noise, so real readings never repeat that often). */
  STUCK_REPEATS: 5,
  STATUS_RESET_DETECTED: 1 << 4,
  STATUS_COMMAND_FAILED: 1 << 1,
  STATUS_WRITE_CRC_FAILED: 1 << 0,
});

/** Datasheet formulas: T = -45 + 175 * S / (2^16 - 1), RH = 100 * S / (2^16 - 1). */
export function sht31TemperatureC(raw: number): number {
  return -45 + (175 * raw) / 65535;
}

export function sht31HumidityRh(raw: number): number {
  return (100 * raw) / 65535;
}

function command(code: number): Uint8Array {
  return Uint8Array.of(code >> 8, code & 0xff);
}

export interface Sht31Counters {
  measurements: number;
  crcErrors: number;
  nacks: number;
  softResets: number;
  lastStatus: number | null;
}

type Phase =
  | { readonly kind: "init" } // status read + clear, then measure
  | { readonly kind: "measuring"; readonly startedMs: number }
  | { readonly kind: "idle" };

const INIT: Phase = Object.freeze({ kind: "init" });
const IDLE: Phase = Object.freeze({ kind: "idle" });

/**
 * SHT31 air temperature and humidity. Each tick reads the single-shot measurement commanded
 * on the previous tick (at least 15 ms earlier, so no clock stretching and no waiting) and
 * commands the next one. CRC per word, so one corrupt word costs only its own channel.
 */
export class Sht31 {
  readonly counters: Sht31Counters = { measurements: 0, crcErrors: 0, nacks: 0, softResets: 0, lastStatus: null };
  private readonly air = new ChannelReading("no measurement yet");
  private readonly humidity = new ChannelReading("no measurement yet");
  private phase: Phase = INIT;
  /** The measuring phase, one object rewritten by each measurement started. */
  private readonly measuring: { kind: "measuring"; startedMs: number } = { kind: "measuring", startedMs: 0 };
  private readonly measureCommand = command(SHT31.MEASURE_HIGH_NO_STRETCH);
  private failedTicks = 0;
  /** The previous good measurement's raw words (-1: none). */
  private lastT = -1;
  private lastRh = -1;
  private repeats = 0;
  private wordCrcFailed = false;

  constructor(
    private readonly i2c: I2cDevice,
    /** Offsets added to the converted values (airOffsetC, humidityOffsetRh). */
    private readonly calibration: SensorCalibration = NO_CALIBRATION,
  ) {}

  get readings(): { readonly air: Reading; readonly humidity: Reading } {
    return { air: this.air.reading, humidity: this.humidity.reading };
  }

  /** One control tick. Never throws. */
  sample(nowMs: number): { readonly air: Reading; readonly humidity: Reading } {
    this.air.stampStart(nowMs);
    this.humidity.stampStart(nowMs);
    const phase = this.phase;
    if (phase.kind === "measuring" && nowMs - phase.startedMs < SHT31.MEASUREMENT_MS) return this.readings;

    let failure: { fault: SensorFaultKind; detail: string } | null = null;
    this.wordCrcFailed = false;
    if (phase.kind === "init") failure = this.readAndClearStatus();
    else if (phase.kind === "measuring") failure = this.collect(phase.startedMs, nowMs);

    const tickFailed = failure !== null || this.wordCrcFailed;
    if (tickFailed) this.failedTicks++;
    else if (phase.kind === "measuring") this.failedTicks = 0;
    if (this.failedTicks >= SHT31.FAILURES_BEFORE_RESET) {
      // Instead of the next measurement (the chip would NACK a reset while measuring).
      this.softReset();
    } else if (!failure || failure.fault !== "absent") {
      // A chip that acknowledges nothing, not even the next command, is absent, whatever the read said.
      const startFailure = this.startMeasurement(nowMs);
      if (startFailure) {
        failure = startFailure;
        if (!tickFailed) this.failedTicks++;
      }
    }
    if (failure) {
      this.air.fail(failure.fault, failure.detail, nowMs);
      this.humidity.fail(failure.fault, failure.detail, nowMs);
    }
    return this.readings;
  }

  private collect(startedMs: number, nowMs: number): { fault: SensorFaultKind; detail: string } | null {
    this.phase = IDLE;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(this.i2c.read(6));
    } catch (error) {
      this.counters.nacks++;
      return { fault: "timeout", detail: `SHT31 did not deliver its measurement: ${describeError(error)}` };
    }
    if (bytes.length < 6) return { fault: "bus", detail: `SHT31 returned ${bytes.length} of 6 bytes` };
    const tRaw = (bytes[0] << 8) | bytes[1];
    const rhRaw = (bytes[3] << 8) | bytes[4];
    const tOk = crc8Sensirion(bytes, 0) === bytes[2];
    const rhOk = crc8Sensirion(bytes, 3) === bytes[5];
    if (!tOk) {
      this.counters.crcErrors++;
      this.air.fail("crc", `SHT31 temperature word CRC 0x${hex2(bytes[2])}, computed 0x${hex2(crc8Sensirion(bytes, 0))}`, nowMs);
    }
    if (!rhOk) {
      this.counters.crcErrors++;
      this.humidity.fail("crc", `SHT31 humidity word CRC 0x${hex2(bytes[5])}, computed 0x${hex2(crc8Sensirion(bytes, 3))}`, nowMs);
    }
    if (!tOk || !rhOk) {
      this.wordCrcFailed = true;
      if (tOk) this.air.good(this.airC(tRaw), startedMs);
      if (rhOk) this.humidity.good(this.humidityRh(rhRaw), startedMs);
      return null;
    }
    this.counters.measurements++;
    if (this.lastT === tRaw && this.lastRh === rhRaw) this.repeats++;
    else this.repeats = 1;
    this.lastT = tRaw;
    this.lastRh = rhRaw;
    if (this.repeats >= SHT31.STUCK_REPEATS) {
      return { fault: "stale", detail: `SHT31 returned the same raw words (0x${tRaw.toString(16)}, 0x${rhRaw.toString(16)}) ${this.repeats} times in a row` };
    }
    this.air.good(this.airC(tRaw), startedMs);
    this.humidity.good(this.humidityRh(rhRaw), startedMs);
    return null;
  }

  private airC(raw: number): number {
    return sht31TemperatureC(raw) + this.calibration.airOffsetC;
  }

  private humidityRh(raw: number): number {
    const rh = sht31HumidityRh(raw) + this.calibration.humidityOffsetRh;
    return rh < 0 ? 0 : rh > 100 ? 100 : rh;
  }

  private startMeasurement(nowMs: number): { fault: SensorFaultKind; detail: string } | null {
    try {
      this.i2c.write(this.measureCommand);
      this.measuring.startedMs = nowMs;
      this.phase = this.measuring;
      return null;
    } catch (error) {
      this.counters.nacks++;
      this.phase = IDLE;
      return { fault: "absent", detail: `SHT31 at 0x${SHT31.ADDRESS.toString(16)} did not acknowledge: ${describeError(error)}` };
    }
  }

  private readAndClearStatus(): { fault: SensorFaultKind; detail: string } | null {
    try {
      this.i2c.write(command(SHT31.READ_STATUS));
      const bytes = new Uint8Array(this.i2c.read(3));
      // A corrupt status word is only counted: the status is diagnostic, the measurements carry their own CRC.
      if (crc8Sensirion(bytes, 0) === bytes[2]) this.counters.lastStatus = (bytes[0] << 8) | bytes[1];
      else this.counters.crcErrors++;
      this.i2c.write(command(SHT31.CLEAR_STATUS));
      return null;
    } catch (error) {
      this.counters.nacks++;
      return { fault: "absent", detail: `SHT31 at 0x${SHT31.ADDRESS.toString(16)} did not answer the status read: ${describeError(error)}` };
    }
  }

  private softReset(): void {
    this.failedTicks = 0;
    this.counters.softResets++;
    try {
      this.i2c.write(command(SHT31.SOFT_RESET));
    } catch {
      // A chip that NACKs its reset is already reported as absent; the next tick starts over anyway.
      this.counters.nacks++;
    }
    // Next tick starts over with a status read (and the chip has had its 1.5 ms).
    this.phase = INIT;
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}
