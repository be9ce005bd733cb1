import type { Reading, SensorFrame, SensorSource } from "../src/core/types";
import type { IncubatorPlant } from "./plant/model";
import { SeededRandom } from "./seeded-random";

/** Fixed calibration errors of this set of sensors (what a real unit has within its accuracy class). */
export interface SensorOffsets {
  readonly sht31C: number;
  readonly sht31Rh: number;
  readonly skinProbeC: number;
  readonly airProbeC: number;
}

export interface DirectSensorOptions {
  /** PRNG seed for noise and random offsets; the same seed gives the same readings. */
  readonly seed?: number;
  /** "random" (default): drawn from the seed within typical accuracy; "none": a perfectly calibrated set. */
  readonly offsets?: "random" | "none" | SensorOffsets;
}

/** Datasheet figures of the real chips. */
export const SENSOR_CHARACTERISTICS = Object.freeze({
  /** SHT31, high repeatability: noise 1σ (the datasheet's repeatability 0.04 °C / 0.10 %RH is 3σ),
   *  and the typical accuracy bounds used for the random offsets. */
  sht31NoiseC: 0.015,
  sht31NoiseRh: 0.04,
  sht31TypicalOffsetC: 0.1,
  sht31TypicalOffsetRh: 1.5,
  /** SHT31 response time (τ63) in moving air. */
  sht31TemperatureTauS: 2,
  sht31HumidityTauS: 8,
  /** DS18B20 at 12 bits: 1/16 °C steps; ±0.5 °C accuracy class, typical units much closer. */
  ds18b20StepC: 0.0625,
  ds18b20NoiseC: 0.01,
  ds18b20TypicalOffsetC: 0.2,
  /** Fan tachometer: 2 pulses per revolution counted over 1 s. */
  tachPulsesPerRev: 2,
});

/** Which simulated chips do not answer (a fallback for tests that have no wire-level chips). */
export interface DirectSensorFaults {
  sht31Absent: boolean;
  skinProbeAbsent: boolean;
  airProbeAbsent: boolean;
}

const SHT31_SPAN_C = 175;
const SHT31_MIN_C = -45;

function sht31Temperature(c: number): number {
  const raw = Math.min(65535, Math.max(0, Math.round(((c - SHT31_MIN_C) / SHT31_SPAN_C) * 65535)));
  return SHT31_MIN_C + (SHT31_SPAN_C * raw) / 65535;
}

function sht31Humidity(rh: number): number {
  const raw = Math.min(65535, Math.max(0, Math.round((rh / 100) * 65535)));
  return (100 * raw) / 65535;
}

function ds18b20(c: number): number {
  // Two's-complement 16-bit register, 1/16 °C per LSB at 12-bit resolution.
  const raw = Math.min(0x7fff, Math.max(-0x8000, Math.round(c * 16)));
  return raw / 16;
}

/**
 * A SensorSource that reads the plant directly, with the noise, quantisation, offsets and
 * response time of the real chips (SHT31, two DS18B20, the fan tachometer) but none of the
 * bus traffic. For the benchmark and as a fallback where the wire-level chips are not needed.
 */
export class DirectSensors implements SensorSource {
  readonly offsets: SensorOffsets;
  readonly faults: DirectSensorFaults = { sht31Absent: false, skinProbeAbsent: false, airProbeAbsent: false };
  private readonly random: SeededRandom;
  private lastMs: number | null = null;
  private shtC: number;
  private shtRh: number;
  private readonly faultSince = new Map<string, number>();
  private readonly lastGood = new Map<string, number>();

  constructor(private readonly plant: IncubatorPlant, options: DirectSensorOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 1);
    const k = SENSOR_CHARACTERISTICS;
    const o = options.offsets ?? "random";
    this.offsets = Object.freeze(
      o === "none"
        ? { sht31C: 0, sht31Rh: 0, skinProbeC: 0, airProbeC: 0 }
        : o === "random"
          ? {
              sht31C: this.random.uniform(-k.sht31TypicalOffsetC, k.sht31TypicalOffsetC),
              sht31Rh: this.random.uniform(-k.sht31TypicalOffsetRh, k.sht31TypicalOffsetRh),
              skinProbeC: this.random.uniform(-k.ds18b20TypicalOffsetC, k.ds18b20TypicalOffsetC),
              airProbeC: this.random.uniform(-k.ds18b20TypicalOffsetC, k.ds18b20TypicalOffsetC),
            }
          : { ...o },
    );
    const s = plant.state;
    this.shtC = s.airC;
    this.shtRh = s.rh;
  }

  sample(nowMs: number): SensorFrame {
    const k = SENSOR_CHARACTERISTICS;
    const s = this.plant.state;
    const dtS = this.lastMs === null ? 0 : Math.max(0, (nowMs - this.lastMs) / 1000);
    this.lastMs = nowMs;
    this.shtC += (s.airC - this.shtC) * (1 - Math.exp(-dtS / k.sht31TemperatureTauS));
    this.shtRh += (s.rh - this.shtRh) * (1 - Math.exp(-dtS / k.sht31HumidityTauS));

    const rng = this.random;
    const air = sht31Temperature(this.shtC + this.offsets.sht31C + rng.gaussian(k.sht31NoiseC));
    const rh = sht31Humidity(Math.min(100, Math.max(0, this.shtRh + this.offsets.sht31Rh + rng.gaussian(k.sht31NoiseRh))));
    const skin = ds18b20(s.skinC + this.offsets.skinProbeC + rng.gaussian(k.ds18b20NoiseC));
    const probeAir = ds18b20(s.outletAirC + this.offsets.airProbeC + rng.gaussian(k.ds18b20NoiseC));
    const rpmStep = 60 / k.tachPulsesPerRev;
    const rpm = Math.max(0, Math.round((s.fanRpm + (s.fanRpm > 0 ? rng.gaussian(rpmStep / 2) : 0)) / rpmStep) * rpmStep);

    return Object.freeze({
      air: this.reading("sht31", air, this.faults.sht31Absent, nowMs, "SHT31 does not acknowledge its address"),
      humidity: this.reading("sht31", rh, this.faults.sht31Absent, nowMs, "SHT31 does not acknowledge its address"),
      skin: this.reading("skin", skin, this.faults.skinProbeAbsent, nowMs, "skin DS18B20 not found on the 1-Wire bus"),
      probeAir: this.reading("probeAir", probeAir, this.faults.airProbeAbsent, nowMs, "air DS18B20 not found on the 1-Wire bus"),
      fanRpm: Object.freeze({ value: rpm, atMs: nowMs }),
    });
  }

  private reading(channel: string, value: number, absent: boolean, nowMs: number, detail: string): Reading {
    if (!absent) {
      this.faultSince.delete(channel);
      this.lastGood.set(channel, nowMs);
      return Object.freeze({ value, atMs: nowMs });
    }
    if (!this.faultSince.has(channel)) this.faultSince.set(channel, nowMs);
    return Object.freeze({
      value: null,
      atMs: this.lastGood.get(channel) ?? null,
      fault: "absent",
      detail,
      faultSinceMs: this.faultSince.get(channel),
    });
  }
}
