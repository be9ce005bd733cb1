// Indigo feeds bench: what patches save on the wire, and what one tick's diff costs on XS.
//
//  - bytes per tick sent to a device-feed (and variable-feed) client that keeps its copy
//    up to date with dictdiffer patches, against a client that re-fetches the full list
//    (refresh) every tick; on the simulated incubator (core, board, plant model; simulated time), in STANDBY
//    and OPERATING (an hour after start);
//  - XS compute meter (Moddable's engine, through xsnap) and slots allocated (the garbage
//    left for the collector) of one tick's whole device publish, for the current publisher
//    (objects kept, leaves patched in place) and the baseline it replaced (host-sim/bench/
//    baseline: build objects + diff + JSON) side by side on the same snapshots, and of the
//    variable publish; compute averaged over ticks and slots as the median, each minus the
//    cost of an empty call; the heap the caches hold, both ways (on the toy incubator of
//    tests/support: host-sim's plant model reads its parameters with node:fs, which XS
//    cannot bundle; the objects and their diff are the same shape either way).
//
// Run alone: npx tsx host-sim/bench/indigo-bench.ts   (npm run bench includes it when
// host-sim/bench/main.ts lists it).
import { runIfMain, type BenchRow } from "./bench-row";
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

/** XS heap (bytes at 16 per slot, as on the ESP32) the device and variable caches add. */
async function measureXSHeap(impl: Impl): Promise<number> {
  const heap = async (publishers: Impl | "none") => {
    const xs = await startXS(ENTRY);
    try {
      return (await xs.call({ op: "setup", warmupS: 60, heat: true, publishers })).heapBytes;
    } finally {
      await xs.close();
    }
  };
  return (await heap(impl)) - (await heap("none"));
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

/** Device publish (baseline and current on the same snapshots) and variable publish, per tick. */
async function measureXS(ticks: number): Promise<Record<"baseline" | "current" | "variable", PublishCost>> {
  const xs = await startXS(ENTRY);
  type Step = { op: "publish"; kind: "device" | "variable"; impl?: Impl };
  const steps: Record<"baseline" | "current" | "variable", Step> = {
    baseline: { op: "publish", kind: "device", impl: "baseline" },
    current: { op: "publish", kind: "device", impl: "current" },
    variable: { op: "publish", kind: "variable" },
  };
  const names = Object.keys(steps) as Array<keyof typeof steps>;
  const sums = Object.fromEntries(names.map((n) => [n, { compute: 0, slots: [] as number[], messages: 0, chars: 0 }]));
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
        const r = await xs.call<{ messages: number; chars: number }>(steps[n]);
        sums[n].compute += r.meterCompute - noop.meterCompute;
        const allocated = r.slotsBeforeCollection - live - empty;
        if (allocated >= 0) sums[n].slots.push(allocated); // negative: XS collected during the call
        live = r.heapSlots;
        sums[n].messages += r.results.messages;
        sums[n].chars += r.results.chars;
      }
    }
  } finally {
    await xs.close();
  }
  const cost = (n: keyof typeof steps): PublishCost => {
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
  return { baseline: cost("baseline"), current: cost("current"), variable: cost("variable") };
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
    const slotsDetail = (c: PublishCost) =>
      `median of ${c.slotTicks} of ${xsTicks} heating ticks, ${c.slots * 16} B at the ESP32's 16-byte slots (strings and array storage, in chunks, not counted); ${c.messages.toFixed(1)} messages, ${Math.round(c.chars)} chars/tick`;
    const ratio = (a: number, b: number) => `${Math.round((a / b) * 1000) / 10} % of the baseline's`;
    rows.push({ metric: "XS compute, one tick's device publish: baseline (build 11 objects + diff + JSON.stringify)", value: Math.round(x.baseline.compute), unit: "compute meter", detail: of });
    rows.push({ metric: "XS compute, one tick's device publish: now (leaves patched in place, patches concatenated)", value: Math.round(x.current.compute), unit: "compute meter", detail: `${of}; ${ratio(x.current.compute, x.baseline.compute)}; same bytes` });
    rows.push({ metric: "XS slots allocated, one tick's device publish: baseline", value: x.baseline.slots, unit: "slots", detail: slotsDetail(x.baseline) });
    rows.push({ metric: "XS slots allocated, one tick's device publish: now", value: x.current.slots, unit: "slots", detail: slotsDetail(x.current) });
    rows.push({ metric: "XS compute, one tick's variable publish (build + diff + JSON)", value: Math.round(x.variable.compute), unit: "compute meter", detail: of });
    rows.push({ metric: "XS slots allocated, one tick's variable publish", value: x.variable.slots, unit: "slots", detail: slotsDetail(x.variable) });
    const baselineHeap = await measureXSHeap("baseline");
    const currentHeap = await measureXSHeap("current");
    const heapDetail = "slots × 16 (ESP32) live after a collection; strings live in chunks, not counted";
    rows.push({ metric: "XS heap of the device + variable caches: baseline", value: baselineHeap, unit: "bytes", detail: heapDetail });
    rows.push({ metric: "XS heap of the device + variable caches: now", value: currentHeap, unit: "bytes", detail: `${heapDetail}; ${currentHeap - baselineHeap >= 0 ? "+" : ""}${currentHeap - baselineHeap} B (the devices' per-leaf state and writer)` });
  }
  return rows;
}

runIfMain(import.meta.url, () => runIndigoBench());
