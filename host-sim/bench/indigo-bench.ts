// Indigo feeds bench: what patches save on the wire, and what one tick's diff costs on XS.
//
//  - bytes per tick sent to a device-feed (and variable-feed) client that keeps its copy
//    up to date with dictdiffer patches, against a client that re-fetches the full list
//    (refresh) every tick; on the simulated incubator (core, board, plant model; simulated time), in STANDBY
//    and OPERATING (an hour after start);
//  - XS compute meter (Moddable's engine, through xsnap) of one tick's device diff alone,
//    and of one tick's whole device publish (build objects + diff + JSON), averaged over
//    ticks, each minus the metered cost of an empty call (on the toy incubator of
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

/** XS heap (bytes at 16 per slot, as on the ESP32) the device and variable caches add. */
async function measureXSHeap(): Promise<number> {
  const heap = async (publishers: boolean) => {
    const xs = await startXS(ENTRY);
    try {
      return (await xs.call({ op: "setup", warmupS: 60, heat: true, publishers })).heapBytes;
    } finally {
      await xs.close();
    }
  };
  return (await heap(true)) - (await heap(false));
}

async function measureXS(ticks: number): Promise<{ diff: number; publish: number; entries: number }> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "setup", warmupS: 300, heat: true });
    await xs.call({ op: "prepare" });
    let diffCost = 0;
    let publishCost = 0;
    let entries = 0;
    for (let t = 0; t < ticks; t++) {
      await xs.call({ op: "advance" });
      const noop = await xs.call({ op: "noop" });
      await xs.call({ op: "prepare" });
      const d = await xs.call<{ entries: number }>({ op: "diff" });
      const p = await xs.call({ op: "publish", kind: "device" });
      diffCost += d.meterCompute - noop.meterCompute;
      publishCost += p.meterCompute - noop.meterCompute;
      entries += d.results.entries;
    }
    return { diff: diffCost / ticks, publish: publishCost / ticks, entries: entries / ticks };
  } finally {
    await xs.close();
  }
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
    const xsTicks = options.xsTicks ?? 20;
    const x = await measureXS(xsTicks);
    rows.push({ metric: "XS: one tick's device diff (11 devices)", value: Math.round(x.diff), unit: "compute meter", detail: `${x.entries.toFixed(1)} entries/tick, mean of ${xsTicks} heating ticks` });
    rows.push({ metric: "XS: one tick's device publish (build + diff + JSON)", value: Math.round(x.publish), unit: "compute meter", detail: `mean of ${xsTicks} heating ticks` });
    rows.push({ metric: "XS: heap of the device + variable caches", value: await measureXSHeap(), unit: "bytes", detail: "slots × 16 (ESP32); strings live in chunks, not counted" });
  }
  return rows;
}

runIfMain(import.meta.url, () => runIndigoBench());
