// The data-logging endpoints' formats (docs: software/firmware/data-logging.md), read from
// a trend record in place: the JSON object of /api/data/latest and /range (the docs'
// fields `ts, temp, skinTemp, hum, heater, fan, humidifier, alarms` and, after them, what
// our records hold besides) and the CSV row of /api/data/export.
import type { TrendRecordView } from "../../logs/trend-record";

export const CSV_HEADER = "timestamp,temperature,skin_temp,humidity,heater,fan,humidifier,alarms";

function fixed(value: number | null, digits: number): string {
  return value === null ? "null" : value.toFixed(digits);
}

function csvFixed(value: number | null, digits: number): string {
  return value === null ? "" : value.toFixed(digits);
}

/** One record as the docs' JSON object (numbers formatted as the docs' %.2f / %.1f / %u). */
export function trendJson(r: TrendRecordView): string {
  return (
    '{"ts":' + r.ts +
    ',"temp":' + fixed(r.air, 2) +
    ',"skinTemp":' + fixed(r.skin, 2) +
    ',"hum":' + fixed(r.humidity, 1) +
    ',"heater":' + Math.round(r.heater) +
    ',"fan":' + Math.round(r.fan) +
    ',"humidifier":' + (r.humidifier > 0 ? "true" : "false") +
    ',"alarms":' + r.alarms +
    ',"tempMin":' + fixed(r.airMin, 2) +
    ',"tempMax":' + fixed(r.airMax, 2) +
    ',"probeTemp":' + fixed(r.probe, 2) +
    ',"setTemp":' + r.setTemperature.toFixed(2) +
    ',"setAir":' + r.setAir.toFixed(2) +
    ',"setSkin":' + r.setSkin.toFixed(2) +
    ',"setHum":' + r.setHumidity.toFixed(1) +
    ',"humidifierDuty":' + r.humidifier +
    ',"state":"' + r.state +
    '","mode":"' + r.mode +
    '","samples":' + r.samples +
    ',"clockSet":' + r.clockSet +
    "}"
  );
}

/** One record as the docs' CSV row "%u,%.2f,%.2f,%.1f,%u,%u,%d,%u" (a missing reading: empty). */
export function trendCsvRow(r: TrendRecordView): string {
  return (
    r.ts + "," + csvFixed(r.air, 2) + "," + csvFixed(r.skin, 2) + "," + csvFixed(r.humidity, 1) + "," +
    Math.round(r.heater) + "," + Math.round(r.fan) + "," + (r.humidifier > 0 ? 1 : 0) + "," + r.alarms + "\n"
  );
}
