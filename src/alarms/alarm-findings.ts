// What one control tick found about each alarm condition, as a fixed table of findings
// written in place (the keys are constants; no object per condition per tick). The table's
// order is the order conditions are reconciled in, so the order alarm events come out in.
import type { AlarmCode } from "../core/api";
import type { SensorCause } from "./sensor-health";

/** What a tick found about one alarm condition (a Finding, or one made for an event alarm). */
export interface FindingView {
  readonly code: AlarmCode;
  /** The debounced condition holds. */
  readonly present: boolean;
  /** The condition could be judged this tick (false: frozen, e.g. the fan is not driven). */
  readonly known: boolean;
  readonly value: number | null;
  readonly limit: number | null;
  readonly subject: string;
  readonly forcesFault: boolean;
}

export class Finding implements FindingView {
  /** Judged at the last evaluation (the skin probe is not in air mode; a store only while it fails). */
  included = false;
  present = false;
  known = false;
  value: number | null = null;
  limit: number | null = null;

  constructor(readonly key: string, readonly code: AlarmCode, readonly forcesFault: boolean, public subject = "") {}

  judged(present: boolean, known: boolean, value: number | null, limit: number | null): void {
    this.included = true;
    this.present = present;
    this.known = known;
    this.value = value;
    this.limit = limit;
  }
}

export const SENSOR_KEYS = Object.freeze(["air", "probeAir", "humidity", "skin"] as const);
export type SensorKey = (typeof SENSOR_KEYS)[number];

/** A sensor fault's subject, `<channel>:<cause>` (no cause yet reads as stale). */
const SENSOR_SUBJECTS: Readonly<Record<SensorKey, Readonly<Record<SensorCause, string>>>> = Object.freeze({
  air: Object.freeze({ stale: "air:stale", crc: "air:crc", implausible: "air:implausible" }),
  probeAir: Object.freeze({ stale: "probeAir:stale", crc: "probeAir:crc", implausible: "probeAir:implausible" }),
  humidity: Object.freeze({ stale: "humidity:stale", crc: "humidity:crc", implausible: "humidity:implausible" }),
  skin: Object.freeze({ stale: "skin:stale", crc: "skin:crc", implausible: "skin:implausible" }),
});

export function sensorSubject(key: SensorKey, cause: SensorCause | null): string {
  return SENSOR_SUBJECTS[key][cause ?? "stale"];
}

/** The fixed alarm conditions, in the order they are judged. */
export class FindingTable {
  readonly overtemp = new Finding("OVERTEMP", "OVERTEMP", true);
  readonly sensor: Readonly<Record<SensorKey, Finding>> = {
    air: new Finding("SENSOR_FAULT:air", "SENSOR_FAULT", true),
    probeAir: new Finding("SENSOR_FAULT:probeAir", "SENSOR_FAULT", true),
    humidity: new Finding("SENSOR_FAULT:humidity", "SENSOR_FAULT", false),
    skin: new Finding("SENSOR_FAULT:skin", "SENSOR_FAULT", false),
  };
  readonly mismatch = new Finding("SENSOR_FAULT:mismatch", "SENSOR_FAULT", true, "mismatch");
  readonly tempHigh = new Finding("TEMP_HIGH", "TEMP_HIGH", false);
  readonly tempLow = new Finding("TEMP_LOW", "TEMP_LOW", false);
  readonly skinHigh = new Finding("SKIN_TEMP_HIGH", "SKIN_TEMP_HIGH", false);
  readonly skinLow = new Finding("SKIN_TEMP_LOW", "SKIN_TEMP_LOW", false);
  readonly humidityHigh = new Finding("HUMIDITY_HIGH", "HUMIDITY_HIGH", false);
  readonly humidityLow = new Finding("HUMIDITY_LOW", "HUMIDITY_LOW", false);
  readonly fan = new Finding("FAN_FAILURE", "FAN_FAILURE", true);
  readonly heater = new Finding("HEATER_FAULT", "HEATER_FAULT", true);
  readonly fixed: readonly Finding[] = [
    this.overtemp, this.sensor.air, this.sensor.probeAir, this.sensor.humidity, this.sensor.skin, this.mismatch,
    this.tempHigh, this.tempLow, this.skinHigh, this.skinLow, this.humidityHigh, this.humidityLow, this.fan, this.heater,
  ];
  /** Storage faults judged this tick, in the order first reported (after the fixed ones). */
  readonly storage: Finding[] = [];
  storageCount = 0;
  /** One finding per store subject, made the first time a store fails, and by store name. */
  private readonly bySubject: Finding[] = [];
  private readonly byStore = new Map<string, Finding>();

  /** At the start of an evaluation: nothing judged yet. */
  clear(): void {
    for (let i = 0; i < this.fixed.length; i++) this.fixed[i].included = false;
    for (let i = 0; i < this.storageCount; i++) this.storage[i].included = false;
    this.storageCount = 0;
  }

  /** `store` fails this tick. */
  storageFailing(store: string): void {
    let f = this.byStore.get(store);
    if (f === undefined) {
      const subject = storeSubject(store);
      f = this.bySubject.find((s) => s.subject === subject);
      if (f === undefined) { f = new Finding(`STORAGE_FAULT:${subject}`, "STORAGE_FAULT", false, subject); this.bySubject.push(f); }
      this.byStore.set(store, f);
    }
    if (f.included) return;
    f.judged(true, true, null, null);
    this.storage[this.storageCount++] = f;
  }

  /** The finding of the last evaluation with this key, if it was judged. */
  judgedOf(key: string): Finding | undefined {
    const f = this.findOf(key);
    return f !== undefined && f.included ? f : undefined;
  }

  /** The finding with this key (judged or not), for occurrences restored from the history. */
  findOf(key: string): Finding | undefined {
    for (let i = 0; i < this.fixed.length; i++) if (this.fixed[i].key === key) return this.fixed[i];
    for (let i = 0; i < this.bySubject.length; i++) if (this.bySubject[i].key === key) return this.bySubject[i];
    return undefined;
  }
}

/** A store's name as an alarm subject (the history's subjects are letters, '_' and ':'). */
export function storeSubject(store: string): string {
  return store.replace(/[^A-Za-z]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 24) || "store";
}
