// XS bench: what the firmware costs on Moddable's XS engine (through xsnap), on the same
// scenario as tests/xs/firmware-on-xs.test.ts (tests/xs/entries/firmware-run.ts):
//  - the compute meter of one full control tick once operating: sensors through the
//    drivers on the simulated board, controllers, alarms, snapshot, and one /ws
//    sensor_update encoded for a subscribed client; the meter of an empty call is subtracted;
//  - the live XS heap after a full garbage collection, after 1 and after 24 simulated
//    hours (which must not grow), as slots × 16 bytes (the ESP32's slot size) and as
//    what the XS machine has reserved.
// Run alone: npx tsx host-sim/bench/xs-bench.ts   (24 simulated hours take a few minutes on XS)
import { fileURLToPath } from "node:url";
import { startXS } from "../xs/run-on-xs";
import type { BenchRow } from "./bench-row";

export type XsBenchRow = BenchRow;

export interface XsBenchOptions {
  /** Ticks measured one by one for the compute figure. */
  readonly ticks?: number;
  /** Simulated hours for the long heap figure (24 in the issue). */
  readonly longHours?: number;
}

const ENTRY = fileURLToPath(new URL("../../tests/xs/entries/firmware-run.ts", import.meta.url));

export async function xsBench(options: XsBenchOptions = {}): Promise<XsBenchRow[]> {
  const ticks = options.ticks ?? 30;
  const longHours = options.longHours ?? 24;
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "start" });
    const hour1 = await xs.call({ op: "advance", seconds: 3600 });
    const empty = await xs.call({ op: "noop" });
    const costs: number[] = [];
    let frames = 0;
    for (let i = 0; i < ticks; i++) {
      const t = await xs.call<number>({ op: "tick" });
      costs.push(t.meterCompute - empty.meterCompute);
      frames += t.results;
    }
    costs.sort((a, b) => a - b);
    const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
    let long = hour1;
    for (let h = 1; h < longHours; h++) long = await xs.call({ op: "advance", seconds: 3600 });
    const growth = long.heapSlots - hour1.heapSlots;
    return [
      { metric: "XS compute, one control tick", value: Math.round(mean), unit: "meter units", detail: `mean of ${ticks} ticks once OPERATING (min ${costs[0]}, max ${costs[costs.length - 1]}); ${frames} /ws frames encoded` },
      { metric: "XS live heap after 1 h", value: hour1.heapBytes, unit: "bytes", detail: `${hour1.heapSlots} slots × 16 B after GC; ${hour1.allocateBytes} B reserved by this host's xsnap machine` },
      { metric: `XS live heap after ${longHours} h`, value: long.heapBytes, unit: "bytes", detail: `${long.heapSlots} slots × 16 B after GC; ${long.allocateBytes} B reserved; ${growth >= 0 ? "+" : ""}${growth} slots since 1 h` },
    ];
  } finally {
    await xs.close();
  }
}

function printTable(rows: readonly XsBenchRow[]): void {
  console.log("| metric | value | unit | detail |\n| --- | ---: | --- | --- |");
  for (const r of rows) console.log(`| ${r.metric} | ${r.value} | ${r.unit} | ${r.detail} |`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const hours = Number(process.env.XS_BENCH_HOURS ?? 24);
  xsBench({ longHours: hours }).then(printTable, (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
