// Indigo feeds bench: what patches save on the wire, and what one tick's diff costs on XS.
//
//  - bytes per tick sent to a device-feed (and variable-feed) client that keeps its copy
//    up to date with dictdiffer patches, against a client that re-fetches the full list
//    (refresh) every tick; on the simulated incubator (core, board, plant model; simulated time), in STANDBY
//    and OPERATING (an hour after start);
//  - XS compute meter (Moddable's engine, through xsnap) and slots allocated (the garbage
//    left for the collector) of one tick's whole device publish and variable publish, and
//    of a whole-list refresh reply, for the current publishers (leaves kept, patches
//    concatenated) and the baselines they replaced (host-sim/bench/baseline: build objects +
//    diff + JSON) side by side on the same snapshots; compute averaged over ticks and slots
//    as the median, each minus the cost of an empty call; the live heap each cache holds,
//    both ways, on one XS machine (on the toy incubator of tests/support: host-sim's plant
//    model reads its parameters with node:fs, which XS cannot bundle; the objects and
//    their diff are the same shape either way).
//
// Run alone: npx tsx host-sim/bench/indigo-bench.ts   (npm run bench includes it when
// host-sim/bench/main.ts lists it).
import { formatRows, runIfMain, type BenchRow } from "./bench-row";
import { fileURLToPath } from "node:url";
import type { Connection } from "../../src/net/endpoint";
import { FEED_PATHS, IndigoFeeds } from "../../src/protocol/indigo/feeds";
import { SimTime } from "../sim-time";
import { SimulatedIncubator } from "../simulated-incubator";
import { startXS } from "../xs/run-on-xs";

export type IndigoBenchRow = BenchRow;

export interface IndigoBenchOptions {
  /** Ticks measured per case. */
  readonly ticks?: number;
  /** Ticks averaged for the XS meter. */
  readonly xsTicks?: number;
  /** Skip the XS part (e.g. where xsnap is not built). */
  readonly skipXS?: boolean;
}

class CountingConnection implements Connection {
  bytes = 0;
  frames = 0;
  bufferedBytes = 0;
  send(text: string): boolean {
    this.bytes += Buffer.byteLength(text, "utf8");
    this.frames++;
    return true;
  }
  close(): void {}
}

interface WireCase {
  readonly patchBytes: number;
  readonly refetchBytes: number;
  readonly patchFrames: number;
}

function measureWire(feed: "device" | "variable", heat: boolean, ticks: number): WireCase {
  const time = new SimTime();
  const sim = new SimulatedIncubator({ time });
  const runFor = (seconds: number) => {
    for (let i = 0; i < seconds; i++) time.advance(1000);
  };
  sim.incubator.start();
  if (heat) void sim.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
  // Heating: an hour in, OPERATING, the heater and fan modulating every tick.
  runFor(heat ? 3600 : 5);
  const feeds = new IndigoFeeds(sim.incubator);
  const request = { path: FEED_PATHS[feed], query: {}, remote: "bench" };
  const patcher = new CountingConnection();
  const refetcher = new CountingConnection();
  const patchSession = feeds.open(patcher, request);
  const refetchSession = feeds.open(refetcher, request);
  const refresh = JSON.stringify({ message: "refresh", objectType: feed === "device" ? "indigo.Device" : "indigo.Variable" });
  patchSession.onMessage(refresh);
  refetchSession.onMessage(refresh);
  const base = { patch: patcher.bytes, patchFrames: patcher.frames, refetch: refetcher.bytes };
  // The re-fetching client also receives the pushed patches; count only its refresh replies.
  let refetchOnly = 0;
  for (let t = 0; t < ticks; t++) {
    runFor(1);
    const before = refetcher.bytes;
    refetchSession.onMessage(refresh);
    refetchOnly += refetcher.bytes - before;
  }
  feeds.dispose();
  sim.incubator.stop();
  void base.refetch;
  return {
    patchBytes: (patcher.bytes - base.patch) / ticks,
    patchFrames: (patcher.frames - base.patchFrames) / ticks,
    refetchBytes: refetchOnly / ticks,
  };
}

const ENTRY = fileURLToPath(new URL("./entries/indigo-publish.ts", import.meta.url));

type Impl = "current" | "baseline";
type Kind = "device" | "variable";

interface HeapFigures {
  /** Live slots × 16 (the ESP32's slot size) the caches hold. */
  readonly slotBytes: number;
  /** Growth of an XS snapshot (live slots and chunks, this 64-bit host's layout): with the strings. */
  readonly snapshotBytes: number;
}

/** The heap each implementation's caches hold, per kind, measured on one XS machine. */
async function measureXSHeap(): Promise<Record<Kind | "both", Record<Impl, HeapFigures>>> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "setup", warmupS: 60, heat: true, publishers: "none" });
    const level = async () => ({ slots: (await xs.call({ op: "noop" })).heapSlots, snapshot: await xs.snapshotBytes() });
    const out = {} as Record<Kind | "both", Record<Impl, HeapFigures>>;
    for (const kinds of [["device"], ["variable"], ["device", "variable"]] as Kind[][]) {
      const name = kinds.length === 2 ? "both" : kinds[0];
      out[name] = {} as Record<Impl, HeapFigures>;
      for (const impl of ["baseline", "current"] as const) {
        await xs.call({ op: "publishers", which: "none" });
        const before = await level();
        await xs.call({ op: "publishers", which: impl, kinds });
        const after = await level();
        out[name][impl] = { slotBytes: (after.slots - before.slots) * 16, snapshotBytes: after.snapshot - before.snapshot };
      }
    }
    return out;
  } finally {
    await xs.close();
  }
}

interface PublishCost {
  /** Mean compute meter of one tick's update, minus an empty call's. */
  readonly compute: number;
  /** Median slots one tick's update allocates (garbage), minus an empty call's; ticks where XS collected during the call are left out. */
  readonly slots: number;
  readonly slotTicks: number;
  readonly messages: number;
  readonly chars: number;
}

type StepName = `${Kind} ${Impl}` | `refresh ${Kind} ${Impl}`;

/** Per tick, both feeds' publish with both implementations on the same snapshots, and a whole-list refresh reply. */
async function measureXS(ticks: number): Promise<Record<StepName, PublishCost>> {
  const xs = await startXS(ENTRY);
  const steps = {} as Record<StepName, object>;
  for (const kind of ["device", "variable"] as const) {
    for (const impl of ["baseline", "current"] as const) {
      steps[`${kind} ${impl}`] = { op: "publish", kind, impl };
      steps[`refresh ${kind} ${impl}`] = { op: "refresh", kind, impl, lengthOnly: true };
    }
  }
  const names = Object.keys(steps) as StepName[];
  const sums = Object.fromEntries(names.map((n) => [n, { compute: 0, slots: [] as number[], messages: 0, chars: 0 }])) as Record<StepName, { compute: number; slots: number[]; messages: number; chars: number }>;
  try {
    await xs.call({ op: "setup", warmupS: 300, heat: true });
    for (const n of names) await xs.call(steps[n]);
    for (let t = 0; t < ticks; t++) {
      const advance = await xs.call({ op: "advance" });
      const noop = await xs.call({ op: "noop" });
      // What an empty call allocates beyond the collection before it (the harness's share).
      const empty = noop.slotsBeforeCollection - advance.heapSlots;
      let live = noop.heapSlots;
      for (const n of names) {
        const r = await xs.call<{ messages?: number; chars?: number; length?: number }>(steps[n]);
        sums[n].compute += r.meterCompute - noop.meterCompute;
        const allocated = r.slotsBeforeCollection - live - empty;
        if (allocated >= 0) sums[n].slots.push(allocated); // negative: XS collected during the call
        live = r.heapSlots;
        sums[n].messages += r.results.messages ?? 1;
        sums[n].chars += r.results.chars ?? r.results.length ?? 0;
      }
    }
  } finally {
    await xs.close();
  }
  const cost = (n: StepName): PublishCost => {
    const s = sums[n];
    const sorted = s.slots.slice().sort((a, b) => a - b);
    return {
      compute: s.compute / ticks,
      slots: sorted.length ? sorted[sorted.length >> 1] : -1,
      slotTicks: sorted.length,
      messages: s.messages / ticks,
      chars: s.chars / ticks,
    };
  };
  return Object.fromEntries(names.map((n) => [n, cost(n)])) as Record<StepName, PublishCost>;
}

export async function runIndigoBench(options: IndigoBenchOptions = {}): Promise<IndigoBenchRow[]> {
  const ticks = options.ticks ?? 600;
  const rows: IndigoBenchRow[] = [];
  for (const feed of ["device", "variable"] as const) {
    for (const heat of [false, true]) {
      const w = measureWire(feed, heat, ticks);
      const label = `${feed}-feed, ${heat ? "operating" : "standby"}`;
      const detail = `${ticks} ticks; ${w.patchFrames.toFixed(1)} patch frames/tick`;
      rows.push({ metric: `${label}: patches`, value: Math.round(w.patchBytes), unit: "bytes/tick", detail });
      rows.push({ metric: `${label}: full re-fetch`, value: Math.round(w.refetchBytes), unit: "bytes/tick", detail: "refresh list every tick" });
      rows.push({ metric: `${label}: patches / re-fetch`, value: Math.round((w.patchBytes / w.refetchBytes) * 1000) / 10, unit: "%", detail: "" });
    }
  }
  if (!options.skipXS) {
    const xsTicks = options.xsTicks ?? 40;
    const x = await measureXS(xsTicks);
    const of = `mean of ${xsTicks} heating ticks`;
    const median = (c: PublishCost) => `median of ${c.slotTicks} of ${xsTicks} heating ticks (×16 B on the ESP32; strings and array storage are chunks, not counted)`;
    const pct = (now: number, old: number) => (old === 0 ? "" : ` (${Math.round((now / old) * 1000) / 10} %)`);
    const side = (old: number, now: number, unit = "") => `baseline ${Math.round(old)}${unit} → now ${Math.round(now)}${unit}${pct(now, old)}`;
    const how: Record<Kind, string> = {
      device: "baseline: build 11 objects + diff + JSON.stringify; now: leaves patched, patches concatenated",
      variable: "baseline: build 13+ objects + diff + JSON.stringify; now: values kept, objects and patches concatenated",
    };
    // Old and new side by side: each row's value is now's, its detail starts with both.
    const pair = (metric: string, unit: string, old: number, now: number, detail: string) =>
      rows.push({ metric, value: Math.round(now), unit, detail: `${side(old, now)}; ${detail}` });
    for (const kind of ["device", "variable"] as const) {
      const old = x[`${kind} baseline`];
      const now = x[`${kind} current`];
      pair(`XS ${kind}-feed publish, one tick: compute`, "compute meter", old.compute, now.compute, `${of}; ${how[kind]}; same bytes`);
      pair(`XS ${kind}-feed publish, one tick: garbage`, "slots", old.slots, now.slots, `${median(now)}; ${now.messages.toFixed(1)} messages, ${Math.round(now.chars)} chars/tick`);
    }
    for (const kind of ["device", "variable"] as const) {
      const old = x[`refresh ${kind} baseline`];
      const now = x[`refresh ${kind} current`];
      pair(`XS ${kind}-feed refresh reply (whole list): compute`, "compute meter", old.compute, now.compute, `${of}; ${Math.round(now.chars)} chars; now: each object made, written and joined`);
      pair(`XS ${kind}-feed refresh reply (whole list): garbage`, "slots", old.slots, now.slots, median(now));
    }
    const heap = await measureXSHeap();
    for (const kind of ["device", "variable", "both"] as const) {
      const old = heap[kind].baseline;
      const now = heap[kind].current;
      const what = kind === "both" ? "device + variable caches" : `${kind}-feed cache`;
      pair(`XS live heap, ${what}: slots × 16`, "bytes", old.slotBytes, now.slotBytes, "live slots after a collection × 16 (the ESP32's slot), one XS machine, all figures of the same run");
      pair(`XS live heap, ${what}: snapshot growth`, "bytes", old.snapshotBytes, now.snapshotBytes, "XS snapshot with the cache minus without: slots and chunks (strings, array storage), this 64-bit host's layout");
    }
  }
  return rows;
}

runIfMain(import.meta.url, () => runIndigoBench(), (rows) => console.log(formatRows("Indigo feeds: patches vs re-fetch; XS baseline vs now", rows)));
