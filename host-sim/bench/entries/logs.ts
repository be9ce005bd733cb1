// XS entry (host-sim/xs/run-on-xs.ts) for the logs and the REST data endpoints: a trend
// log on RAM flash of the device's layout, filled with simulated minutes, read back
// through the real REST routes (HttpRoute.handle, bodies drained as the server drains
// them). Each op is one call, so its compute meter is that work alone:
//   {op:"fill", minutes}        appends that many minutes (one record each) and flushes
//   {op:"noop"}                 the call overhead
//   {op:"history"}              GET /api/sensors/history (24 h, 5 min), drained
//   {op:"export"}               GET /api/data/export (everything held), drained
//   {op:"exportStart", pieces}  starts an export and drains that many 1 KB pieces, kept
//   {op:"exportFinish"}         drains the rest of it
//   {op:"csv", limit}           the first `limit` bytes of an export (Node vs XS comparison)
//   {op:"text", target, limit}  the first `limit` bytes of any GET answer
//   {op:"tornReboot"}           cuts the power in the middle of a batch, then boots the
//                               logs again on what the flash holds: what the boot found
import type { CommandResult, IncubatorApi, Snapshot } from "../../../src/core/api";
import { DeviceSettings } from "../../../src/config/device-settings";
import { EventLog } from "../../../src/logs/event-log";
import { LOG_STORE_BLOCKS, splitLogStore } from "../../../src/logs/log-layout";
import { TrendLog } from "../../../src/logs/trend-log";
import type { HttpBodySource, HttpRequest } from "../../../src/net/http-types";
import { RestApi } from "../../../src/protocol/rest/rest-api";
import { MemoryRecordStore } from "../../../tests/support/memory-record-store";
import { MemoryLogStore } from "../../memory-log-store";
import { SimTime } from "../../sim-time";

type Input =
  | { op: "fill"; minutes: number }
  | { op: "noop" }
  | { op: "history" }
  | { op: "export" }
  | { op: "exportStart"; pieces: number }
  | { op: "exportFinish" }
  | { op: "csv"; limit: number }
  | { op: "text"; target: string; limit: number }
  | { op: "tornReboot" };

const T0 = Date.UTC(2026, 0, 15, 0, 0, 0);
const time = new SimTime(T0);
const store = new MemoryLogStore(4096, LOG_STORE_BLOCKS);
const regions = splitLogStore(store);
const trend = new TrendLog({ store: regions.trend, timers: time });
const events = new EventLog({ store: regions.events, timers: time, wall: time });
trend.open();
events.open("bench");
let minute = 0;
let snapshot: Snapshot = snapshotAt(0);

function snapshotAt(m: number): Snapshot {
  const wave = Math.sin(m / 37);
  return Object.freeze({
    seq: m * 60, epochMs: T0 + m * 60_000, clockSet: true, state: "OPERATING", mode: "air", effectiveMode: "air",
    setpoints: Object.freeze({ air: 36, skin: 36.5, humidity: 60, override: false }), temperatureSetpoint: 36,
    air: 36 + 0.2 * wave, skin: 36.4 + 0.1 * wave, probeAir: 36.3 + 0.2 * wave, humidity: 60 + 2 * wave, fanRpm: 2400,
    heaterPercent: 40 + 10 * wave, fanPercent: 55, humidifierOn: m % 3 === 0, alarms: Object.freeze([]), overruns: 0, skippedTicks: 0,
  });
}

const api: IncubatorApi = {
  snapshot: () => snapshot,
  execute: (): Promise<CommandResult> => Promise.resolve({ success: false, message: "bench", code: 4001 }),
  subscribe: () => () => {},
  alarmHistory: () => [],
  log: () => {},
};
const rest = new RestApi({
  api, trend, events, settings: new DeviceSettings(new MemoryRecordStore(), "IncuNest"), clock: time, timers: time, wall: time,
  system: {
    deviceId: "BENCH", firmwareVersion: "0", hardwareVersion: "0", uptimeS: () => time.now() / 1000,
    wifi: () => ({ connected: false, ssid: null, rssi: null, ip: null }),
    memory: { read: () => ({ heapFree: null, heapTotal: null, source: "bench" }) },
    network: () => ({ hostname: "bench", mqttEnabled: false }),
  },
});

function get(target: string): HttpBodySource {
  const body = answer(target);
  if (typeof body === "string") {
    let sent = false;
    return { next: () => (sent ? null : ((sent = true), body)) };
  }
  return body;
}

function answer(target: string): HttpBodySource | string {
  const [path, qs] = target.split("?");
  const query: Record<string, string> = {};
  for (const pair of (qs ?? "").split("&")) if (pair) query[pair.split("=")[0]] = pair.split("=")[1];
  // One client, as a browser would be: every use of this entry stays below 60 requests a
  // simulated minute (the rate limit's table then holds one entry and the heap stays flat).
  const request: HttpRequest = { method: "GET", path, query, headers: {}, body: "", remote: "bench:1", authorized: true };
  return (rest.handle(request) as { body: HttpBodySource | string }).body;
}

function drain(body: HttpBodySource, pieces = Infinity): { bytes: number; pieces: number; rows: number } {
  let bytes = 0;
  let n = 0;
  let rows = 0;
  for (; n < pieces; n++) {
    const piece = body.next(1024);
    if (piece === null) break;
    const text = piece as string;
    bytes += text.length;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) rows++;
  }
  return { bytes, pieces: n, rows };
}

let pendingExport: HttpBodySource | null = null;

export function run(input: Input): unknown {
  switch (input.op) {
    case "fill": {
      for (let i = 0; i < input.minutes; i++) {
        minute++;
        snapshot = snapshotAt(minute);
        trend.addTick(snapshot);
        time.advance(60_000);
      }
      trend.flush();
      return { records: trend.storage().records, minute };
    }
    case "noop":
      return null;
    case "history":
      return drain(get("/api/sensors/history?hours=24&interval=5"));
    case "export":
      return drain(get("/api/data/export"));
    case "exportStart":
      pendingExport = get("/api/data/export");
      return drain(pendingExport, input.pieces);
    case "exportFinish": {
      const result = drain(pendingExport as HttpBodySource);
      pendingExport = null;
      return result;
    }
    case "tornReboot": {
      store.cutPowerAfter = 3 * 32 + 17;
      for (let i = 0; i < 6; i++) {
        minute++;
        snapshot = snapshotAt(minute);
        trend.addTick(snapshot);
        time.advance(60_000);
      }
      store.cutPowerAfter = null;
      const flash = store.snapshot();
      const again = splitLogStore(flash);
      const rebooted = new TrendLog({ store: again.trend, timers: time });
      const report = rebooted.open();
      const eventsAgain = new EventLog({ store: again.events, timers: time, wall: time });
      const eventReport = eventsAgain.open("after the power cut");
      const storage = rebooted.storage();
      return { heldIds: report.records, records: storage.records, torn: report.tornSlots, nextId: rebooted.endId, previousRun: eventReport.previousRun, storage };
    }
    case "text":
    case "csv": {
      const body = get(input.op === "csv" ? "/api/data/export" : input.target);
      let text = "";
      while (text.length < input.limit) {
        const piece = body.next(1024);
        if (piece === null) break;
        text += piece as string;
      }
      return text.slice(0, input.limit);
    }
  }
}
