// Logs bench: what the trend log costs in flash and what its REST answers cost, on Node
// and on Moddable's XS engine (xsnap), side by side on the same 7 days of records
// (host-sim/bench/entries/logs.ts):
//  - bytes per trend record (and per minute of flash, with the block header slot);
//  - answering a 24 h history (GET /api/sensors/history, 5-minute readings) and exporting
//    7 days as CSV (GET /api/data/export), drained in 1 KB pieces as the server sends them:
//    Node wall time; XS compute meter and wall time (xsnap on this host, round trip included);
//  - the XS live heap in the middle of an export against before it (the export must not
//    hold the records it sends).
// Run alone: npx tsx host-sim/bench/logs-bench.ts
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { LOG_LAYOUT } from "../../src/logs/log-layout";
import { TREND_RECORD_BYTES } from "../../src/logs/trend-record";
import { startXS } from "../xs/run-on-xs";
import { runIfMain, type BenchRow } from "./bench-row";

const ENTRY = fileURLToPath(new URL("./entries/logs.ts", import.meta.url));
const DAYS = 7;
const MINUTES = DAYS * 1440;

type Drained = { bytes: number; pieces: number; rows: number };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runLogsBench(repeats = 5): Promise<BenchRow[]> {
  const node = await import("./entries/logs");
  // One more minute than 7 days: the last one is closed by the tick of the next.
  node.run({ op: "fill", minutes: MINUTES + 1 });
  const time = (op: "history" | "export") => {
    const times: number[] = [];
    let result: Drained | null = null;
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      result = node.run({ op }) as Drained;
      times.push(performance.now() - t0);
    }
    return { ms: median(times), result: result as Drained };
  };
  const nodeHistory = time("history");
  const nodeExport = time("export");

  const xs = await startXS(ENTRY);
  try {
    const filled = await xs.call<{ records: number }>({ op: "fill", minutes: MINUTES + 1 });
    const empty = await xs.call({ op: "noop" });
    const xsTime = async (op: "history" | "export") => {
      const walls: number[] = [];
      let last = null as Awaited<ReturnType<typeof xs.call<Drained>>> | null;
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now();
        last = await xs.call<Drained>({ op });
        walls.push(performance.now() - t0);
      }
      return { ms: median(walls), meter: last!.meterCompute - empty.meterCompute, result: last!.results };
    };
    const xsHistory = await xsTime("history");
    const xsExport = await xsTime("export");
    const before = await xs.call({ op: "noop" });
    const beforeSnapshot = await xs.snapshotBytes();
    const half = Math.floor(xsExport.result.pieces / 2);
    const during = await xs.call<Drained>({ op: "exportStart", pieces: half });
    const duringSnapshot = await xs.snapshotBytes();
    await xs.call({ op: "exportFinish" });
    const after = await xs.call({ op: "noop" });
    const recordsPerBlock = LOG_LAYOUT.blockSize / TREND_RECORD_BYTES - 1;
    const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
    return [
      { metric: "bytes per trend record", value: TREND_RECORD_BYTES, unit: "bytes", detail: `${(LOG_LAYOUT.blockSize / recordsPerBlock).toFixed(2)} B of flash per minute with the block header slot (${recordsPerBlock} records per 4 KB block); 7 days = ${kb(MINUTES * TREND_RECORD_BYTES)}` },
      { metric: "24 h history, Node", value: round(nodeHistory.ms), unit: "ms", detail: `GET /api/sensors/history?hours=24&interval=5 over ${filled.results.records} records held: ${nodeHistory.result.bytes} B in ${nodeHistory.result.pieces} pieces; median of ${repeats}` },
      { metric: "24 h history, XS", value: round(xsHistory.ms), unit: "ms", detail: `xsnap on this host, round trip included; compute meter ${xsHistory.meter} units; XS/Node ${(xsHistory.ms / nodeHistory.ms).toFixed(1)}×` },
      { metric: "7-day CSV export, Node", value: round(nodeExport.ms), unit: "ms", detail: `GET /api/data/export: ${nodeExport.result.rows - 1} rows, ${kb(nodeExport.result.bytes)} in ${nodeExport.result.pieces} pieces of 1 KB; median of ${repeats}` },
      { metric: "7-day CSV export, XS", value: round(xsExport.ms), unit: "ms", detail: `xsnap on this host; compute meter ${xsExport.meter} units (${Math.round(xsExport.meter / Math.max(1, xsExport.result.rows - 1))} per row); XS/Node ${(xsExport.ms / nodeExport.ms).toFixed(1)}×` },
      { metric: "XS heap during an export", value: during.heapBytes - before.heapBytes, unit: "bytes", detail: `live slots ×16 B halfway (${during.results.pieces} of ${xsExport.result.pieces} pieces sent) minus before: ${before.heapBytes} → ${during.heapBytes} B; XS snapshot ${beforeSnapshot} → ${duringSnapshot} B (${signed(duringSnapshot - beforeSnapshot)}); after it ${after.heapBytes} B` },
    ];
  } finally {
    await xs.close();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function signed(n: number): string {
  return `${n >= 0 ? "+" : ""}${n}`;
}

runIfMain(import.meta.url, () => runLogsBench());
