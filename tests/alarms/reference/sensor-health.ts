// REFERENCE COPY for tests/alarms/reference/alarm-system.ts (the allocating original). Do not change.
// Health of one sensor channel, judged from what the driver layer hands the core each tick:
// no valid reading for 5 s, CRC failure streaks, implausible values.
import type { Reading } from "../../../src/core/types";
import { Debouncer } from "./debounce";

export interface ChannelSpec {
  readonly name: string;
  /** What the channel is, for messages ("air temperature (SHT31)"). */
  readonly label: string;
  readonly min: number;
  readonly max: number;
}

export const CHANNELS = Object.freeze({
  air: Object.freeze({ name: "air", label: "air temperature (SHT31)", min: 0, max: 60 }),
  humidity: Object.freeze({ name: "humidity", label: "humidity (SHT31)", min: 0, max: 100 }),
  skin: Object.freeze({ name: "skin", label: "skin probe (DS18B20)", min: 15, max: 45 }),
  probeAir: Object.freeze({ name: "probeAir", label: "air probe (DS18B20, cut-out channel)", min: -10, max: 84.9 }),
} satisfies Record<string, ChannelSpec>);

export const SENSOR_TIMING = Object.freeze({
  /** No valid reading for this long is a fault. */
  noReadingMs: 5_000,
  /** This many CRC failures in a row are a fault. */
  crcStreak: 3,
  /** ... and so are this many among the last `crcWindow` samples. */
  crcInWindow: 10,
  crcWindow: 60,
  /** This many implausible readings in a row are a fault (one power-on 85.0 °C is not). */
  implausibleStreak: 2,
  /** A faulty channel must look healthy this long before the fault clears. */
  clearMs: 3_000,
});

export type SensorCause = "stale" | "crc" | "implausible";

export interface ChannelHealth {
  /** The reading is usable this tick (present, plausible). */
  readonly usable: boolean;
  readonly value: number | null;
  /** The debounced fault: the alarm condition. */
  readonly faulty: boolean;
  /** Why, when faulty (the first cause seen in this fault). */
  readonly cause: SensorCause | null;
  readonly detail: string;
}

export class SensorChannelMonitor {
  private lastValidMs: number | null = null;
  private crcRun = 0;
  private implausibleRun = 0;
  private readonly crcRing: boolean[] = [];
  private readonly debounce = new Debouncer(0, SENSOR_TIMING.clearMs);
  private cause: SensorCause | null = null;
  private detail = "";

  constructor(readonly spec: ChannelSpec) {}

  update(nowMs: number, reading: Reading): ChannelHealth {
    if (this.lastValidMs === null) this.lastValidMs = nowMs; // grace from the first look
    const v = reading.value;
    const present = v !== null && Number.isFinite(v);
    const plausible = present && v >= this.spec.min && v <= this.spec.max && reading.fault !== "implausible";
    const usable = present && plausible;
    const isCrc = reading.fault === "crc";
    const isImplausible = (present && !plausible) || reading.fault === "implausible";

    if (usable) this.lastValidMs = Math.max(this.lastValidMs, Math.min(nowMs, reading.atMs ?? nowMs));
    this.crcRun = isCrc ? this.crcRun + 1 : 0;
    this.implausibleRun = isImplausible ? this.implausibleRun + 1 : (usable ? 0 : this.implausibleRun);
    this.crcRing.push(isCrc);
    if (this.crcRing.length > SENSOR_TIMING.crcWindow) this.crcRing.shift();
    let crcCount = 0;
    for (const c of this.crcRing) if (c) crcCount++;

    let cause: SensorCause | null = null;
    let detail = "";
    if (this.implausibleRun >= SENSOR_TIMING.implausibleStreak) {
      cause = "implausible";
      detail = present ? `implausible value ${round2(v)}` : `implausible value${reading.detail ? ` (${reading.detail})` : ""}`;
    } else if (this.crcRun >= SENSOR_TIMING.crcStreak || crcCount >= SENSOR_TIMING.crcInWindow) {
      cause = "crc";
      detail = this.crcRun >= SENSOR_TIMING.crcStreak ? `${this.crcRun} CRC failures in a row` : `${crcCount} CRC failures in the last ${this.crcRing.length} readings`;
    } else if (nowMs - this.lastValidMs >= SENSOR_TIMING.noReadingMs) {
      cause = "stale";
      detail = `no valid reading for ${Math.round((nowMs - this.lastValidMs) / 1000)} s${reading.fault ? ` (${reading.fault}${reading.detail ? `: ${reading.detail}` : ""})` : ""}`;
    }
    const wasFaulty = this.debounce.active;
    const faulty = this.debounce.update(nowMs, cause !== null, cause === null && usable);
    if (faulty && !wasFaulty) { this.cause = cause; this.detail = detail; }
    if (!faulty) { this.cause = null; this.detail = ""; }
    return { usable, value: usable ? v : null, faulty, cause: this.cause, detail: this.detail };
  }

  /** Forget the history (the channel stopped being watched, e.g. skin probe in air mode). */
  forget(): void {
    this.lastValidMs = null;
    this.crcRun = 0;
    this.implausibleRun = 0;
    this.crcRing.length = 0;
    this.debounce.reset();
    this.cause = null;
    this.detail = "";
  }
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
