// XS bench: what the firmware costs on Moddable's XS engine (through xsnap), on the same
// scenario as tests/xs/firmware-on-xs.test.ts (tests/xs/entries/firmware-run.ts):
//  - the compute meter of one full control tick once operating: sensors through the
//    drivers on the simulated board, controllers, alarms, snapshot, and one /ws
//    sensor_update encoded for a subscribed client; the meter of an empty call is subtracted;
//  - the live XS heap after a full garbage collection, after 1 and after 24 simulated
//    hours (which must not grow), as slots × 16 bytes (the ESP32's slot size), with the
//    size of an XS snapshot (every live slot and string, in this 64-bit host's layout) and
//    what the XS machine has reserved;
//  - the same under alarm churn (TEMP_HIGH raised and cleared every 20 s, the 50-entry
//    alarm history full after about 20 minutes): at 25 minutes and at 2 hours.
// The heap measurement itself adds nothing (run-on-xs.ts collects through handleCommand,
// not by evaluating a script: XS keeps a slot per evaluated script).
// Run alone: npx tsx host-sim/bench/xs-bench.ts   (24 simulated hours take a few minutes on XS)
import { fileURLToPath } from "node:url";
import { startXS } from "../xs/run-on-xs";
import type { FirmwareStatus } from "../../tests/xs/entries/firmware-run";
import { runIfMain, type BenchRow } from "./bench-row";

export type XsBenchRow = BenchRow;

export interface XsBenchOptions {
  /** Ticks measured one by one for the compute figure. */
  readonly ticks?: number;
  /** Simulated hours for the long heap figure (24 in the issue). */
  readonly longHours?: number;
  /** Simulated seconds of alarm churn for its two heap figures (1500 and 7200). */
  readonly churnSeconds?: readonly [number, number];
}

const ENTRY = fileURLToPath(new URL("../../tests/xs/entries/firmware-run.ts", import.meta.url));

export async function xsBench(options: XsBenchOptions = {}): Promise<XsBenchRow[]> {
  const ticks = options.ticks ?? 30;
  const longHours = options.longHours ?? 24;
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "start" });
    const hour1 = await xs.call({ op: "advance", seconds: 3600 });
    const hour1Snapshot = await xs.snapshotBytes();
    const empty = await xs.call({ op: "noop" });
    // What a call allocates beyond the collection before it: the tick's garbage (the
    // harness's own share, an empty call's, subtracted).
    const emptyAllocation = (await xs.call({ op: "noop" })).slotsBeforeCollection - empty.heapSlots;
    const costs: number[] = [];
    const allocations: number[] = [];
    let frames = 0;
    let live = empty.heapSlots;
    for (let i = 0; i < ticks; i++) {
      const t = await xs.call<number>({ op: "tick" });
      costs.push(t.meterCompute - empty.meterCompute);
      const allocated = t.slotsBeforeCollection - live - emptyAllocation;
      if (allocated >= 0) allocations.push(allocated); // negative: XS collected during the tick
      live = t.heapSlots;
      frames += t.results;
    }
    allocations.sort((a, b) => a - b);
    costs.sort((a, b) => a - b);
    const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
    let long = hour1;
    for (let h = 1; h < longHours; h++) long = await xs.call({ op: "advance", seconds: 3600 });
    const longSnapshot = await xs.snapshotBytes();
    const churn = await churnHeap(options.churnSeconds ?? [1500, 7200]);
    return [
      { metric: "XS compute, one control tick", value: Math.round(mean), unit: "meter units", detail: `mean of ${ticks} ticks once OPERATING (min ${costs[0]}, max ${costs[costs.length - 1]}); ${frames} /ws frames encoded` },
      { metric: "XS slots allocated, one control tick", value: allocations.length ? allocations[allocations.length >> 1] : -1, unit: "slots", detail: `median of ${allocations.length} ticks once OPERATING (min ${allocations[0] ?? "-"}, max ${allocations[allocations.length - 1] ?? "-"}), ${(allocations.length ? allocations[allocations.length >> 1] * 16 : 0)} B at the ESP32's 16-byte slots: the garbage a tick leaves for the collector (strings and arrays' storage, in chunks, not counted)` },
      { metric: "XS live heap after 1 h", value: hour1.heapBytes, unit: "bytes", detail: `${hour1.heapSlots} slots × 16 B after GC; XS snapshot ${hour1Snapshot} B (slots and strings, 64-bit host); ${hour1.allocateBytes} B reserved by this host's xsnap machine` },
      { metric: `XS live heap after ${longHours} h`, value: long.heapBytes, unit: "bytes", detail: `${long.heapSlots} slots × 16 B after GC, ${signed(long.heapSlots - hour1.heapSlots)} slots since 1 h; XS snapshot ${longSnapshot} B (${signed(longSnapshot - hour1Snapshot)} B: strings that follow the values); ${long.allocateBytes} B reserved` },
      ...churn,
    ];
  } finally {
    await xs.close();
  }
}

function signed(n: number): string {
  return `${n >= 0 ? "+" : ""}${n}`;
}

/** The live heap under alarm churn, once every bounded collection (alarm history: 50) is full. */
async function churnHeap([early, late]: readonly [number, number]): Promise<XsBenchRow[]> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "start", scenario: "alarm-churn" });
    const at = async (second: number, from: number) => {
      await xs.call({ op: "advance", seconds: second - from });
      const status = (await xs.call<FirmwareStatus>({ op: "status" })).results;
      const heap = await xs.call({ op: "noop" });
      return { status, heap, snapshot: await xs.snapshotBytes() };
    };
    const a = await at(early, 0);
    const b = await at(late, early);
    const label = (s: number) => (s % 3600 === 0 ? `${s / 3600} h` : `${Math.round(s / 60)} min`);
    const row = (p: typeof a, extra: string): XsBenchRow => ({
      metric: `XS live heap, alarm churn, after ${label(p.status.second)}`,
      value: p.heap.heapBytes,
      unit: "bytes",
      detail: `${p.heap.heapSlots} slots × 16 B after GC; XS snapshot ${p.snapshot} B; alarm history ${p.status.alarmHistory} entries, last alarm id ${p.status.lastAlarmId}${extra}`,
    });
    return [
      row(a, ""),
      row(b, `; ${signed(b.heap.heapSlots - a.heap.heapSlots)} slots, ${signed(b.snapshot - a.snapshot)} B snapshot since ${label(early)}`),
    ];
  } finally {
    await xs.close();
  }
}

function printTable(rows: readonly XsBenchRow[]): void {
  console.log("| metric | value | unit | detail |\n| --- | ---: | --- | --- |");
  for (const r of rows) console.log(`| ${r.metric} | ${r.value} | ${r.unit} | ${r.detail} |`);
}

runIfMain(import.meta.url, () => xsBench({ longHours: Number(process.env.XS_BENCH_HOURS ?? 24) }), printTable);
