// The device's own settings that REST (and MQTT) may change: its name and the calibration
// offsets of the air, skin and humidity readings. One record in the RecordStore
// ("devconf"), so a change is stored whole or not at all; it takes effect (the drivers
// read `calibration` at every conversion) only once stored, and each change is logged.
import type { SensorCalibration } from "../../drivers/calibration";
import type { CommandOrigin } from "../core/api";
import type { RecordStore } from "../core/record-store";
import { codeAt } from "../core/code-at";

export const DEVICE_SETTINGS_RECORD = "devconf";

/** The calibration offsets, as the IncuNest docs name them. */
export interface CalibrationOffsets {
  readonly temp_ambient_offset: number;
  readonly temp_skin_offset: number;
  readonly humidity_offset: number;
}

export type CalibrationKey = keyof CalibrationOffsets;

/** The largest offset accepted, each way: ±2 °C, ±10 %RH. */
export const CALIBRATION_LIMITS: Readonly<Record<CalibrationKey, { readonly max: number; readonly unit: string }>> = Object.freeze({
  temp_ambient_offset: Object.freeze({ max: 2, unit: "°C" }),
  temp_skin_offset: Object.freeze({ max: 2, unit: "°C" }),
  humidity_offset: Object.freeze({ max: 10, unit: "%RH" }),
});

export const CALIBRATION_KEYS: readonly CalibrationKey[] = Object.freeze(["temp_ambient_offset", "temp_skin_offset", "humidity_offset"]);
export const NAME_MAX_LENGTH = 32;

export const NO_OFFSETS: CalibrationOffsets = Object.freeze({ temp_ambient_offset: 0, temp_skin_offset: 0, humidity_offset: 0 });

export interface DeviceSettingsChange {
  readonly name?: string;
  readonly calibration?: Partial<CalibrationOffsets>;
}

/** What a change is logged as: `kind` "calibration" or "config". */
export type SettingsLog = (kind: "calibration" | "config", message: string, origin: CommandOrigin | null) => void;

/** Why an offset or a name is refused, or null. */
export function calibrationProblem(key: CalibrationKey, value: unknown): string | null {
  const { max, unit } = CALIBRATION_LIMITS[key];
  if (typeof value !== "number" || !Number.isFinite(value)) return `calibration.${key} must be a number (${unit}), got ${describe(value)}`;
  if (Math.abs(value) > max) return `calibration.${key} ${value} ${unit} is outside ±${max} ${unit}`;
  return null;
}

export function nameProblem(value: unknown): string | null {
  if (typeof value !== "string") return `device.name must be a string, got ${describe(value)}`;
  if (value.trim().length === 0) return "device.name must not be empty";
  if (value.length > NAME_MAX_LENGTH) return `device.name has ${value.length} characters, at most ${NAME_MAX_LENGTH} are allowed`;
  for (let i = 0, textLength = value.length; i < textLength; i++) if (codeAt(value, i) < 0x20 || codeAt(value, i) === 0x7f) return "device.name must not contain control characters";
  return null;
}

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return JSON.stringify(value) ?? String(value);
}

/** The offsets the drivers read (SensorCalibration), updated once a change is stored. */
class LiveCalibration implements SensorCalibration {
  airOffsetC = 0;
  skinOffsetC = 0;
  humidityOffsetRh = 0;

  set(o: CalibrationOffsets): void {
    this.airOffsetC = o.temp_ambient_offset;
    this.skinOffsetC = o.temp_skin_offset;
    this.humidityOffsetRh = o.humidity_offset;
  }
}

export class DeviceSettings {
  /** Hand this to the drivers (SensorArray / SimBoard `calibration`). */
  readonly calibration: SensorCalibration;
  private readonly live = new LiveCalibration();
  private currentName: string;
  private offsetsNow: CalibrationOffsets = NO_OFFSETS;
  /** One change at a time: a second waits for the first to be stored. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: RecordStore,
    private readonly defaultName: string,
    private readonly log: SettingsLog = () => {},
  ) {
    this.calibration = this.live;
    this.currentName = defaultName;
  }

  /** Reads the stored record (boot); returns what was wrong with it (defaults then apply). */
  load(): string[] {
    const text = this.store.load(DEVICE_SETTINGS_RECORD);
    if (text === null) return [];
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return [`the ${DEVICE_SETTINGS_RECORD} record is not JSON: name and calibration are the defaults`];
    }
    if (typeof data !== "object" || data === null) return [`the ${DEVICE_SETTINGS_RECORD} record is not an object: defaults used`];
    const record = data as Record<string, unknown>;
    const problems: string[] = [];
    if (record.name !== undefined) {
      const why = nameProblem(record.name);
      if (why) problems.push(`stored ${why}; the default name is used`);
      else this.currentName = record.name as string;
    }
    const offsets: Record<string, number> = { ...NO_OFFSETS };
    for (const key of CALIBRATION_KEYS) {
      if (record[key] === undefined) continue;
      const why = calibrationProblem(key, record[key]);
      if (why) problems.push(`stored ${why}; 0 is used`);
      else offsets[key] = record[key] as number;
    }
    this.offsetsNow = Object.freeze(offsets as unknown as CalibrationOffsets);
    this.live.set(this.offsetsNow);
    return problems;
  }

  get name(): string {
    return this.currentName;
  }

  get offsets(): CalibrationOffsets {
    return this.offsetsNow;
  }

  /**
   * Validates, stores and then applies a change; resolves with the names of the fields
   * that changed. Rejects with an Error naming the field when a value is refused, or
   * saying why the store failed: nothing changes then.
   */
  apply(change: DeviceSettingsChange, origin: CommandOrigin | null): Promise<string[]> {
    const run = this.queue.then(() => this.applyNow(change, origin));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Back to the default name and no offsets (factory reset). */
  reset(origin: CommandOrigin | null): Promise<string[]> {
    return this.apply({ name: this.defaultName, calibration: NO_OFFSETS }, origin);
  }

  private async applyNow(change: DeviceSettingsChange, origin: CommandOrigin | null): Promise<string[]> {
    if (change.name !== undefined) {
      const why = nameProblem(change.name);
      if (why) throw new RangeError(why);
    }
    const next: Record<string, number> = { ...this.offsetsNow };
    for (const key of CALIBRATION_KEYS) {
      const value = change.calibration?.[key];
      if (value === undefined) continue;
      const why = calibrationProblem(key, value);
      if (why) throw new RangeError(why);
      next[key] = Math.round(value * 100) / 100;
    }
    const name = change.name ?? this.currentName;
    const changed: string[] = [];
    if (name !== this.currentName) changed.push("device.name");
    for (const key of CALIBRATION_KEYS) if (next[key] !== this.offsetsNow[key]) changed.push(`calibration.${key}`);
    if (changed.length === 0) return changed;
    await this.store.save(DEVICE_SETTINGS_RECORD, JSON.stringify({ v: 1, name, ...next }));
    const before = this.offsetsNow;
    const nameBefore = this.currentName;
    this.currentName = name;
    this.offsetsNow = Object.freeze(next as unknown as CalibrationOffsets);
    this.live.set(this.offsetsNow);
    if (name !== nameBefore) this.log("config", `device name ${JSON.stringify(nameBefore)} → ${JSON.stringify(name)}`, origin);
    for (const key of CALIBRATION_KEYS) {
      if (next[key] === before[key]) continue;
      const { unit } = CALIBRATION_LIMITS[key];
      this.log("calibration", `calibration ${key} ${signed(before[key])} → ${signed(next[key])} ${unit}`, origin);
    }
    return changed;
  }
}

function signed(value: number): string {
  return `${value > 0 ? "+" : ""}${value.toFixed(2)}`;
}
