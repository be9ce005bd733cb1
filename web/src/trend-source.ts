// History for the trend from the REST trend log (one record a minute): GET
// /api/data/latest?count=N, the IncuNest docs' fields and, after them, ours (setpoints,
// humidifier duty).
import type { Rest } from "./rest";
import type { TrendSource } from "./trend-view";
import type { AlarmRank, TrendRow } from "./trend-data";

/** A record of /api/data/latest and /api/data/range. */
export interface DataRecord {
  readonly ts: number;
  readonly temp: number | null;
  readonly skinTemp: number | null;
  readonly hum: number | null;
  readonly heater: number;
  readonly fan: number;
  readonly humidifier: boolean;
  /** Bit set of the alarms active in the minute (bit order: ALARM_BIT_PRIORITY). */
  readonly alarms: number;
  readonly setTemp?: number;
  readonly setHum?: number;
  readonly humidifierDuty?: number;
}

/** IEC priority of each bit of a record's alarm set, in bit order (the firmware's
 *  src/logs/alarm-bits.ts and alarm table; a test keeps them equal). */
export const ALARM_BIT_PRIORITY: readonly AlarmRank[] = Object.freeze([
  3, // OVERTEMP
  2, // TEMP_HIGH
  2, // TEMP_LOW
  2, // SKIN_TEMP_HIGH
  2, // SKIN_TEMP_LOW
  1, // HUMIDITY_HIGH
  1, // HUMIDITY_LOW
  3, // SENSOR_FAULT
  3, // FAN_FAILURE
  2, // HEATER_FAULT
  2, // POWER_FAILURE
  2, // STORAGE_FAULT
  2, // SETTINGS_LOST
]);

/** The worst priority in an alarm bit set (an unknown bit counts as medium). */
export function worstOfBits(bits: number): AlarmRank {
  let rank: AlarmRank = 0;
  for (let bit = 0; bits !== 0 && bit < 32; bit++, bits >>>= 1) {
    if ((bits & 1) === 0) continue;
    const r = ALARM_BIT_PRIORITY[bit] ?? 2;
    if (r > rank) rank = r;
  }
  return rank;
}

export function parseRecord(r: DataRecord): TrendRow {
  return {
    t: r.ts,
    air: r.temp ?? null,
    skin: r.skinTemp ?? null,
    humidity: r.hum ?? null,
    tempSetpoint: r.setTemp ?? null,
    humSetpoint: r.setHum ?? null,
    heater: r.heater ?? null,
    fan: r.fan ?? null,
    humidifier: r.humidifierDuty ?? (r.humidifier ? 100 : 0),
    alarm: worstOfBits(r.alarms ?? 0),
  };
}

export function restTrendSource(rest: Rest): TrendSource {
  return {
    async load(rangeS) {
      const records = await rest.get<DataRecord[]>(`/api/data/latest?count=${Math.ceil(rangeS / 60)}`);
      if (!Array.isArray(records)) throw new Error("the trend log answered no list of records");
      return records.map(parseRecord).sort((a, b) => a.t - b.t);
    },
  };
}
