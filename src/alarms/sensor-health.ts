// Health of one sensor channel, judged from what the driver layer hands the core each tick:
// no valid reading for 5 s, CRC failure streaks, implausible values.
import type { Reading } from "../core/types";
import { DebounceBank, type DebounceSpec } from "./debounce-bank";

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

/** The health a monitor answers with: one object per channel, rewritten by each update (read it at once). */
export interface MutableChannelHealth {
  usable: boolean;
  value: number | null;
  faulty: boolean;
  cause: SensorCause | null;
  detail: string;
}

/** What each cause is as a text, by its number in the channel table (0: none). */
const CAUSES: readonly (SensorCause | null)[] = Object.freeze([null, "stale", "crc", "implausible"]);
const STALE = 1;
const CRC = 2;
const IMPLAUSIBLE = 3;

// The fields of one channel, in its stride of the table.
/** The time of the last valid reading; NaN until the channel is first looked at. */
const LAST_VALID = 0;
const CRC_RUN = 1;
const IMPLAUSIBLE_RUN = 2;
/** The ring of the last `crcWindow` samples' CRC failures: where it starts, how many it
 *  holds, how many of them failed. */
const CRC_HEAD = 3;
const CRC_LENGTH = 4;
const CRC_COUNT = 5;
/** The cause of the current fault (the first seen in it), 0 while not faulty. */
const CAUSE = 6;
const STRIDE = 7;

/**
 * The health of a fixed set of sensor channels, their counters in one table (an object, a
 * ring and a debouncer per channel took 34 slots each on XS). Channels are numbered in the
 * order of the specs given.
 */
export class SensorChannels {
  private readonly state: Float64Array;
  /** 1 where a reading failed its CRC, `crcWindow` bytes per channel. */
  private readonly crcRings: Uint8Array;
  private readonly details: string[];
  /** One health object per channel, rewritten by each update (read it at once). */
  private readonly health: MutableChannelHealth[] = [];
  private readonly debounce: DebounceBank;

  constructor(readonly specs: readonly ChannelSpec[]) {
    const n = specs.length;
    this.state = new Float64Array(n * STRIDE);
    this.crcRings = new Uint8Array(n * SENSOR_TIMING.crcWindow);
    this.details = new Array<string>(n).fill("");
    const debounce: DebounceSpec[] = [];
    for (let i = 0; i < n; i++) {
      this.state[i * STRIDE + LAST_VALID] = NaN;
      this.health.push({ usable: false, value: null, faulty: false, cause: null, detail: "" });
      debounce.push({ onsetMs: 0, clearMs: SENSOR_TIMING.clearMs });
    }
    this.debounce = new DebounceBank(debounce);
  }

  /** Channel `c`'s health this tick: its one health object, rewritten each call. */
  update(c: number, nowMs: number, reading: Reading): ChannelHealth {
    const spec = this.specs[c];
    const s = this.state;
    const at = c * STRIDE;
    if (s[at + LAST_VALID] !== s[at + LAST_VALID]) s[at + LAST_VALID] = nowMs; // grace from the first look
    const v = reading.value;
    const present = v !== null && Number.isFinite(v);
    const plausible = present && v >= spec.min && v <= spec.max && reading.fault !== "implausible";
    const usable = present && plausible;
    const isCrc = reading.fault === "crc";
    const isImplausible = (present && !plausible) || reading.fault === "implausible";

    if (usable) s[at + LAST_VALID] = Math.max(s[at + LAST_VALID], Math.min(nowMs, reading.atMs ?? nowMs));
    s[at + CRC_RUN] = isCrc ? s[at + CRC_RUN] + 1 : 0;
    if (isImplausible) s[at + IMPLAUSIBLE_RUN]++;
    else if (usable) s[at + IMPLAUSIBLE_RUN] = 0;
    this.pushCrc(c, isCrc);
    const crcRun = s[at + CRC_RUN];
    const crcCount = s[at + CRC_COUNT];
    const lastValidMs = s[at + LAST_VALID];

    let cause = 0;
    let detail = "";
    if (s[at + IMPLAUSIBLE_RUN] >= SENSOR_TIMING.implausibleStreak) {
      cause = IMPLAUSIBLE;
      detail = present ? `implausible value ${round2(v)}` : `implausible value${reading.detail ? ` (${reading.detail})` : ""}`;
    } else if (crcRun >= SENSOR_TIMING.crcStreak || crcCount >= SENSOR_TIMING.crcInWindow) {
      cause = CRC;
      detail = crcRun >= SENSOR_TIMING.crcStreak ? `${crcRun} CRC failures in a row` : `${crcCount} CRC failures in the last ${s[at + CRC_LENGTH]} readings`;
    } else if (nowMs - lastValidMs >= SENSOR_TIMING.noReadingMs) {
      cause = STALE;
      detail = `no valid reading for ${Math.round((nowMs - lastValidMs) / 1000)} s${reading.fault ? ` (${reading.fault}${reading.detail ? `: ${reading.detail}` : ""})` : ""}`;
    }
    const wasFaulty = this.debounce.active(c);
    const faulty = this.debounce.update(c, nowMs, cause !== 0, cause === 0 && usable);
    if (faulty && !wasFaulty) { s[at + CAUSE] = cause; this.details[c] = detail; }
    if (!faulty) { s[at + CAUSE] = 0; this.details[c] = ""; }
    const h = this.health[c];
    h.usable = usable;
    h.value = usable ? v : null;
    h.faulty = faulty;
    h.cause = CAUSES[s[at + CAUSE]];
    h.detail = this.details[c];
    return h;
  }

  private pushCrc(c: number, isCrc: boolean): void {
    const s = this.state;
    const at = c * STRIDE;
    const window = SENSOR_TIMING.crcWindow;
    const ring = c * window;
    const head = s[at + CRC_HEAD];
    const length = s[at + CRC_LENGTH];
    if (length === window) {
      if (this.crcRings[ring + head] === 1) s[at + CRC_COUNT]--;
      this.crcRings[ring + head] = isCrc ? 1 : 0;
      s[at + CRC_HEAD] = (head + 1) % window;
    } else {
      this.crcRings[ring + ((head + length) % window)] = isCrc ? 1 : 0;
      s[at + CRC_LENGTH] = length + 1;
    }
    if (isCrc) s[at + CRC_COUNT]++;
  }

  /** Forget channel `c`'s history (it stopped being watched, e.g. skin probe in air mode). */
  forget(c: number): void {
    const at = c * STRIDE;
    this.state.fill(0, at, at + STRIDE);
    this.state[at + LAST_VALID] = NaN;
    this.debounce.reset(c);
    this.details[c] = "";
  }
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
