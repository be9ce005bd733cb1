// The heater monitor alone on XS (xsnap; tests/xs/entries/heater-monitor.ts), the shipped ring
// of typed arrays beside the allocating original it replaced (tests/alarms/reference), with a
// full history (1000 s of 1 s ticks; it keeps 80 samples, one every 10 s) in three scripts:
// operating near the setpoint, a warm-up at full heat, one with a dead heater, the heater off with the air settling
// (where every part of the judgement runs). Per script: slots live after a collection, the
// snapshot bytes (slots and chunks, 64-bit layout), the garbage slots of one sample's worth of
// updates (10 ticks: one judgement; chunks not counted: xsnap does not report them) and the
// compute meter of those 10 ticks.
//
// Run alone: npx tsx host-sim/bench/heater-monitor-bench.ts
import { DEVICE_SLOT_BYTES, startXS, type XSSession } from "../xs/run-on-xs";
import { runIfMain, type BenchRow } from "./bench-row";
import type { HeaterMonitorInput, HeaterScript } from "../../tests/xs/entries/heater-monitor";

const ENTRY = "tests/xs/entries/heater-monitor.ts";
const SCRIPTS: readonly HeaterScript[] = ["operating", "warm-up", "dead", "off"];
const IMPLS = [["ring", "ring of typed arrays (shipped)"], ["reference", "objects and slices (the original)"]] as const;

export interface HeaterMonitorFigures {
  readonly impl: "ring" | "reference";
  readonly script: HeaterScript;
  readonly liveSlots: number;
  readonly snapshotBytes: number;
  /** Garbage slots of 10 updates (one sample and its judgement): median and max over 60 samples. */
  readonly garbage: number;
  readonly garbageMax: number;
  /** Mean compute meter of 10 updates. */
  readonly compute: number;
}

const call = (xs: XSSession, input: HeaterMonitorInput) => xs.call(input);

async function measure(impl: "ring" | "reference", script: HeaterScript): Promise<HeaterMonitorFigures> {
  const xs = await startXS(ENTRY);
  try {
    // An empty call of the same shape: what the harness and the input allocate and compute.
    await call(xs, { op: "make", impl });
    const a = await call(xs, { op: "updates", script, count: 0 });
    const b = await call(xs, { op: "updates", script, count: 0 });
    const emptySlots = b.slotsBeforeCollection - a.heapSlots;
    const emptyCompute = b.meterCompute;
    await call(xs, { op: "drop" });
    const base = (await call(xs, { op: "noop" })).heapSlots;
    const baseBytes = await xs.snapshotBytes();
    await call(xs, { op: "make", impl });
    let live = (await call(xs, { op: "updates", script, count: 1000 })).heapSlots;
    const garbage: number[] = [];
    let compute = 0;
    for (let i = 0; i < 60; i++) {
      const r = await call(xs, { op: "updates", script, count: 10 });
      garbage.push(r.slotsBeforeCollection - live - emptySlots);
      compute += r.meterCompute - emptyCompute;
      live = r.heapSlots;
    }
    garbage.sort((x, y) => x - y);
    return { impl, script, liveSlots: live - base, snapshotBytes: (await xs.snapshotBytes()) - baseBytes, garbage: garbage[garbage.length >> 1], garbageMax: garbage[garbage.length - 1], compute: Math.round(compute / 60) };
  } finally {
    await xs.close();
  }
}

export async function measureHeaterMonitor(): Promise<HeaterMonitorFigures[]> {
  const out: HeaterMonitorFigures[] = [];
  for (const [impl] of IMPLS) for (const script of SCRIPTS) out.push(await measure(impl, script));
  return out;
}

export function heaterMonitorRows(figures: readonly HeaterMonitorFigures[]): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const [impl, label] of IMPLS) {
    const mine = figures.filter((x) => x.impl === impl);
    // The same history in every script: one live figure (the largest, should they differ).
    const f = mine.reduce((a, x) => (x.liveSlots > a.liveSlots ? x : a));
    rows.push({ metric: `heater monitor, ${label}: live`, value: f.liveSlots, unit: "slots", detail: `${f.liveSlots * DEVICE_SLOT_BYTES} B at 16 B a slot; snapshot ${f.snapshotBytes} B (slots and chunks, 64-bit)` });
    for (const g of mine) rows.push({ metric: `heater monitor, ${label}, ${g.script}: garbage per sample`, value: g.garbage, unit: "slots/10 ticks", detail: `max ${g.garbageMax}; compute ${g.compute} per 10 ticks` });
  }
  return rows;
}

export async function runHeaterMonitorBench(): Promise<BenchRow[]> {
  return heaterMonitorRows(await measureHeaterMonitor());
}

runIfMain(import.meta.url, runHeaterMonitorBench, (rows) => { for (const r of rows) console.log(`| ${r.metric} | ${r.value} | ${r.unit} | ${r.detail} |`); });
