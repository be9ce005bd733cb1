// The data-logging endpoints (docs: software/firmware/data-logging.md), which answer
// bare JSON, not the envelope: GET /api/data/latest?count=, /api/data/range?start=&end=,
// /api/data/export (CSV) and /api/data/storage. Records are read from the trend log a
// few at a time and streamed, so 7 days never sit whole in RAM.
import { TrendCursor, startOfLast } from "../../logs/trend-cursor";
import type { TrendRecordView } from "../../logs/trend-record";
import type { HttpBodySource, HttpRequest, HttpResponse } from "../../net/http-types";
import { FieldError, jsonResponse } from "./envelope";
import { restRoute, type RestContext, type RestRoute } from "./rest-context";
import { queryInt } from "./request-input";
import { textStream } from "./text-stream";
import { CSV_HEADER, trendCsvRow, trendJson } from "./trend-format";

const UINT32_MAX = 0xffffffff;

function records(cursor: TrendCursor, startS: number, endS: number, format: (r: TrendRecordView) => string): () => string | null {
  return () => {
    for (let r = cursor.next(); r !== null; r = cursor.next()) if (r.ts >= startS && r.ts <= endS) return format(r);
    return null;
  };
}

function range(request: HttpRequest): { startS: number; endS: number } {
  const startS = queryInt(request, "start", 0, 0, UINT32_MAX);
  const endS = queryInt(request, "end", UINT32_MAX, 0, UINT32_MAX);
  if (startS > endS) throw new FieldError("start", `start (${startS}) is after end (${endS})`);
  return { startS, endS };
}

function jsonArray(next: () => string | null): HttpBodySource {
  return textStream({ head: "[", tail: "]", separator: ",", nextItem: next });
}

function getLatest(c: RestContext, request: HttpRequest): HttpResponse {
  const trend = c.options.trend;
  const count = queryInt(request, "count", 60, 1, 20_000);
  const cursor = new TrendCursor(trend, startOfLast(trend, count));
  return jsonResponse(200, jsonArray(records(cursor, 0, UINT32_MAX, trendJson)));
}

function getRange(c: RestContext, request: HttpRequest): HttpResponse {
  const { startS, endS } = range(request);
  return jsonResponse(200, jsonArray(records(new TrendCursor(c.options.trend), startS, endS, trendJson)));
}

function getExport(c: RestContext, request: HttpRequest): HttpResponse {
  const { startS, endS } = range(request);
  const rows = records(new TrendCursor(c.options.trend), startS, endS, trendCsvRow);
  return {
    status: 200,
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": "attachment; filename=incunest_data.csv", "Cache-Control": "no-store" },
    body: textStream({ head: CSV_HEADER + "\n", tail: "", separator: "", nextItem: rows }),
  };
}

function getStorage(c: RestContext): HttpResponse {
  const trend = c.options.trend;
  const s = trend.storage();
  return jsonResponse(200, JSON.stringify({
    total: s.total, used: s.used, free: s.free, percent: s.percent,
    records: s.records, capacity_records: s.capacityRecords, retained_records: s.retainedRecords,
    record_bytes: s.recordBytes, pending_records: s.pending, dropped_records: s.dropped, batch_minutes: trend.batchMinutes,
  }));
}

export const DATA_ROUTES: readonly RestRoute[] = Object.freeze([
  restRoute("GET", "/api/data/latest", getLatest),
  restRoute("GET", "/api/data/range", getRange),
  restRoute("GET", "/api/data/export", getExport),
  restRoute("GET", "/api/data/storage", getStorage),
]);
