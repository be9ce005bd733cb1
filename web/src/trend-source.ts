// History for the trend from the REST trend log (one record a minute).
import type { Rest } from "./rest";
import type { TrendSource } from "./trend-view";
import type { AlarmRank, TrendRow } from "./trend-data";

/** A record of GET /api/data/latest and /api/data/range (the IncuNest docs' fields). */
interface DataRecord {
  readonly ts: number;
  readonly temp: number | null;
  readonly skinTemp: number | null;
  readonly hum: number | null;
  readonly heater: number;
  readonly fan: number;
  readonly humidifier: boolean | number;
  readonly alarms: number;
}

function rank(flags: number): AlarmRank {
  return flags ? 2 : 0;
}

export function parseRecord(r: DataRecord): TrendRow {
  return {
    t: r.ts,
    air: r.temp ?? null,
    skin: r.skinTemp ?? null,
    humidity: r.hum ?? null,
    tempSetpoint: null,
    humSetpoint: null,
    heater: r.heater ?? null,
    fan: r.fan ?? null,
    humidifier: typeof r.humidifier === "boolean" ? (r.humidifier ? 100 : 0) : (r.humidifier ?? null),
    alarm: rank(r.alarms ?? 0),
  };
}

export function restTrendSource(rest: Rest): TrendSource {
  return {
    async load(rangeS) {
      const records = await rest.get<DataRecord[]>(`/api/data/latest?count=${Math.ceil(rangeS / 60)}`);
      return records.map(parseRecord).sort((a, b) => a.t - b.t);
    },
  };
}
