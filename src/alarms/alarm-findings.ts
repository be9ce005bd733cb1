// What one control tick found about each alarm condition, as one table written in place:
// a row per condition (the fixed ones, then a row per store subject made the first time that
// store fails), its verdict in typed arrays (an object per condition took 10 slots on XS).
// The rows' order is the order conditions are reconciled in, so the order alarm events
// come out in; stores come after the fixed rows, in the order their faults were reported.
import type { AlarmCode } from "../core/api";
import type { SensorCause } from "./sensor-health";

export const SENSOR_KEYS = Object.freeze(["air", "probeAir", "humidity", "skin"] as const);
export type SensorKey = (typeof SENSOR_KEYS)[number];

interface RowSpec {
  readonly key: string;
  readonly code: AlarmCode;
  readonly forcesFault: boolean;
  readonly subject: string;
}

const row = (key: string, code: AlarmCode, forcesFault: boolean, subject = ""): RowSpec => Object.freeze({ key, code, forcesFault, subject });

/** The fixed rows by name, in the order they are judged and reconciled (made as the module
 *  loads: in flash on the device). */
const ROWS = Object.freeze({
  overtemp: row("OVERTEMP", "OVERTEMP", true),
  sensorAir: row("SENSOR_FAULT:air", "SENSOR_FAULT", true),
  sensorProbeAir: row("SENSOR_FAULT:probeAir", "SENSOR_FAULT", true),
  sensorHumidity: row("SENSOR_FAULT:humidity", "SENSOR_FAULT", false),
  sensorSkin: row("SENSOR_FAULT:skin", "SENSOR_FAULT", false),
  mismatch: row("SENSOR_FAULT:mismatch", "SENSOR_FAULT", true, "mismatch"),
  tempHigh: row("TEMP_HIGH", "TEMP_HIGH", false),
  tempLow: row("TEMP_LOW", "TEMP_LOW", false),
  skinHigh: row("SKIN_TEMP_HIGH", "SKIN_TEMP_HIGH", false),
  skinLow: row("SKIN_TEMP_LOW", "SKIN_TEMP_LOW", false),
  humidityHigh: row("HUMIDITY_HIGH", "HUMIDITY_HIGH", false),
  humidityLow: row("HUMIDITY_LOW", "HUMIDITY_LOW", false),
  fan: row("FAN_FAILURE", "FAN_FAILURE", true),
  heater: row("HEATER_FAULT", "HEATER_FAULT", true),
});
type RowName = keyof typeof ROWS;
const FIXED: readonly RowSpec[] = Object.freeze(Object.values(ROWS));

/** Each fixed row's number in the table, by name. */
export const FINDING: Readonly<Record<RowName, number>> = Object.freeze(
  Object.fromEntries(Object.keys(ROWS).map((name, i) => [name, i])) as Record<RowName, number>,
);

/** The row of each sensor channel's fault, by its place in SENSOR_KEYS. */
export const SENSOR_ROWS: readonly number[] = Object.freeze(SENSOR_KEYS.map((key) => FIXED.findIndex((r) => r.key === `SENSOR_FAULT:${key}`)));
export const FIXED_FINDINGS = FIXED.length;
const STORAGE_CODE: AlarmCode = "STORAGE_FAULT";

/** A sensor fault's subject, `<channel>:<cause>` (no cause yet reads as stale). */
const SENSOR_SUBJECTS: Readonly<Record<SensorKey, Readonly<Record<SensorCause, string>>>> = Object.freeze({
  air: Object.freeze({ stale: "air:stale", crc: "air:crc", implausible: "air:implausible" }),
  probeAir: Object.freeze({ stale: "probeAir:stale", crc: "probeAir:crc", implausible: "probeAir:implausible" }),
  humidity: Object.freeze({ stale: "humidity:stale", crc: "humidity:crc", implausible: "humidity:implausible" }),
  skin: Object.freeze({ stale: "skin:stale", crc: "skin:crc", implausible: "skin:implausible" }),
});
const STALE: SensorCause = "stale";

export function sensorSubject(key: SensorKey, cause: SensorCause | null): string {
  return SENSOR_SUBJECTS[key][cause ?? STALE];
}

// A row's verdict bits.
/** Judged at the last evaluation (the skin probe is not in air mode; a store only while it fails). */
const INCLUDED = 1;
/** The debounced condition holds. */
const PRESENT = 2;
/** The condition could be judged this tick (false: frozen, e.g. the fan is not driven). */
const KNOWN = 4;
const HAS_VALUE = 8;
const HAS_LIMIT = 16;

export class FindingTable {
  private bits: Uint8Array;
  private values: Float64Array;
  private limits: Float64Array;
  private readonly subjects: string[] = [];
  /** The store rows' keys (`STORAGE_FAULT:<subject>`), after the fixed rows. */
  private readonly storeKeys: string[] = [];
  private rows = FIXED_FINDINGS;
  /** The store rows judged this tick, in the order first reported. */
  private storageRows: Int16Array;
  private storageJudged = 0;
  /** The row of each store name reported so far. */
  private readonly byStore = new Map<string, number>();

  constructor(capacity = FIXED_FINDINGS + 4) {
    this.bits = new Uint8Array(capacity);
    this.values = new Float64Array(capacity);
    this.limits = new Float64Array(capacity);
    this.storageRows = new Int16Array(capacity - FIXED_FINDINGS);
    for (let i = 0; i < FIXED_FINDINGS; i++) this.subjects.push(FIXED[i].subject);
  }

  /** How many store rows were judged this tick; `storageRow(i)` is the i-th. */
  get storageCount(): number {
    return this.storageJudged;
  }

  storageRow(i: number): number {
    return this.storageRows[i];
  }

  key(f: number): string {
    return f < FIXED_FINDINGS ? FIXED[f].key : this.storeKeys[f - FIXED_FINDINGS];
  }

  code(f: number): AlarmCode {
    return f < FIXED_FINDINGS ? FIXED[f].code : STORAGE_CODE;
  }

  forcesFault(f: number): boolean {
    return f < FIXED_FINDINGS && FIXED[f].forcesFault;
  }

  subject(f: number): string {
    return this.subjects[f];
  }

  setSubject(f: number, subject: string): void {
    this.subjects[f] = subject;
  }

  included(f: number): boolean {
    return (this.bits[f] & INCLUDED) !== 0;
  }

  present(f: number): boolean {
    return (this.bits[f] & PRESENT) !== 0;
  }

  known(f: number): boolean {
    return (this.bits[f] & KNOWN) !== 0;
  }

  value(f: number): number | null {
    return (this.bits[f] & HAS_VALUE) !== 0 ? this.values[f] : null;
  }

  limit(f: number): number | null {
    return (this.bits[f] & HAS_LIMIT) !== 0 ? this.limits[f] : null;
  }

  judged(f: number, present: boolean, known: boolean, value: number | null, limit: number | null): void {
    this.bits[f] = INCLUDED | (present ? PRESENT : 0) | (known ? KNOWN : 0) | (value !== null ? HAS_VALUE : 0) | (limit !== null ? HAS_LIMIT : 0);
    this.values[f] = value ?? 0;
    this.limits[f] = limit ?? 0;
  }

  /** At the start of an evaluation: nothing judged yet. */
  clear(): void {
    const bits = this.bits;
    for (let i = 0; i < this.rows; i++) bits[i] &= ~INCLUDED;
    this.storageJudged = 0;
  }

  /** `store` fails this tick. */
  storageFailing(store: string): void {
    let f = this.byStore.get(store) ?? -1;
    if (f < 0) {
      const subject = storeSubject(store);
      for (let i = FIXED_FINDINGS; i < this.rows; i++) if (this.subjects[i] === subject) { f = i; break; }
      if (f < 0) f = this.addStoreRow(subject);
      this.byStore.set(store, f);
    }
    if (this.included(f)) return;
    this.judged(f, true, true, null, null);
    this.storageRows[this.storageJudged++] = f;
  }

  private addStoreRow(subject: string): number {
    if (this.rows === this.bits.length) this.grow();
    const f = this.rows++;
    this.subjects.push(subject);
    this.storeKeys.push(`STORAGE_FAULT:${subject}`);
    this.bits[f] = 0;
    return f;
  }

  /** More store subjects than rows (rare: a new store name each time). */
  private grow(): void {
    const capacity = this.bits.length * 2;
    const bits = new Uint8Array(capacity);
    const values = new Float64Array(capacity);
    const limits = new Float64Array(capacity);
    const storageRows = new Int16Array(capacity - FIXED_FINDINGS);
    bits.set(this.bits);
    values.set(this.values);
    limits.set(this.limits);
    storageRows.set(this.storageRows);
    this.bits = bits;
    this.values = values;
    this.limits = limits;
    this.storageRows = storageRows;
  }
}

/** A store's name as an alarm subject (the history's subjects are letters, '_' and ':'). */
export function storeSubject(store: string): string {
  return store.replace(/[^A-Za-z]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 24) || "store";
}
