// The trend shown, as CSV (one row per point, ISO 8601 UTC times), saved by the browser.
import type { TrendData } from "./trend-data";

export const CSV_HEADER = "timestamp,air_c,skin_c,humidity_rh,temp_setpoint_c,humidity_setpoint_rh,heater_pct,fan_pct,humidifier_pct,alarm";
const RANK_NAME = ["", "low", "medium", "high"];

function cell(value: number | null, digits: number): string {
  return value === null ? "" : value.toFixed(digits);
}

/** Rows of `data` from `fromS` to `toS` (epoch seconds, inclusive). */
export function trendCsv(data: TrendData, fromS: number, toS: number): string {
  const c = data.columns;
  const lines = [CSV_HEADER];
  for (let i = 0; i < data.length; i++) {
    const t = data.t[i];
    if (t < fromS || t > toS) continue;
    lines.push([
      new Date(t * 1000).toISOString(),
      cell(c.air[i], 2), cell(c.skin[i], 2), cell(c.humidity[i], 1),
      cell(c.tempSetpoint[i], 1), cell(c.humSetpoint[i], 1),
      cell(c.heater[i], 0), cell(c.fan[i], 0), cell(c.humidifier[i], 0),
      RANK_NAME[data.alarm[i]],
    ].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
