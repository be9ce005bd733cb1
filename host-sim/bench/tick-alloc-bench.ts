// What each client costs the firmware per control tick on XS (xsnap): the whole firmware
// (host-sim/bench/entries/firmware-ticks.ts) once operating, clients added one at a time,
// so each row is what that client adds to a tick:
//   - garbage: XS slots a tick allocates and leaves for the collector (slots live when the
//     call returns minus the slots live after the previous call's collection, minus what
//     an empty call allocates), median and max over a minute of ticks (every periodic
//     ping falls in it); strings' and arrays' storage lives in chunks, which xsnap does not
//     report, so it is not in these figures;
//   - compute: the XS compute meter of the tick minus an empty call's, mean over the minute;
//   - live: slots live after a full collection at the end of the stage.
// The REST poller's GET /api/status and GET /api/sensors/history (every 5 s) are measured as
// requests of their own and shared out per tick; GET / (the page a browser loads once) is
// per load.
//
// Run alone: npx tsx host-sim/bench/tick-alloc-bench.ts [--before <git revision>]
// With --before, the same entry is also run on that revision (checked out in a temporary
// git worktree with this bench's entry copied in) and both are printed side by side.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEVICE_SLOT_BYTES, startXS, type XSCallResult, type XSSession } from "../xs/run-on-xs";
import type { BenchRow } from "./bench-row";

const HERE = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = "host-sim/bench/entries/firmware-ticks.ts";
/** The files the entry needs that an older checkout may not have. */
const BENCH_FILES = [ENTRY, "host-sim/bench/bench-firmware.ts", "host-sim/bench/sink-socket.ts", "host-sim/bench/sim-device-config.ts", "host-sim/bench/stub-buses.ts"];

export interface TickAllocFigures {
  readonly contributor: string;
  /** Median and max garbage slots per tick (per request for a REST route). */
  readonly garbage: number;
  readonly garbageMax: number;
  /** Mean compute meter per tick (per request for a REST route). */
  readonly compute: number;
  /** Slots live after a collection, at the end of the stage (absolute). */
  readonly live: number;
  /** How the figure is counted: "tick" (what this adds to each tick), "request", "load". */
  readonly per: "tick" | "request" | "load" | "part";
  readonly samples: number;
}

export interface TickAllocOptions {
  readonly warmupS?: number;
  /** Ticks measured per stage (60: every ping schedule falls in it). */
  readonly ticks?: number;
  /** Polls of each REST route measured. */
  readonly polls?: number;
  /** The checkout to run (default: this one). */
  readonly root?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : -1;
}

class Meter {
  private live = 0;
  private emptyCompute = 0;
  private emptyAllocation = 0;

  constructor(private readonly xs: XSSession) {}

  async calibrate(): Promise<void> {
    const a = await this.xs.call({ op: "noop" });
    const b = await this.xs.call({ op: "noop" });
    this.emptyCompute = b.meterCompute;
    this.emptyAllocation = b.slotsBeforeCollection - a.heapSlots;
    this.live = b.heapSlots;
  }

  /** One call; its garbage (null when XS collected during it) and compute. */
  async call(input: unknown): Promise<{ garbage: number | null; compute: number; result: XSCallResult }> {
    const r = await this.xs.call(input);
    const garbage = r.slotsBeforeCollection - this.live - this.emptyAllocation;
    this.live = r.heapSlots;
    return { garbage: garbage >= 0 ? garbage : null, compute: r.meterCompute - this.emptyCompute, result: r };
  }

  get liveSlots(): number {
    return this.live;
  }
}

interface Sample {
  garbage: number[];
  compute: number[];
}

async function ticks(meter: Meter, n: number): Promise<Sample> {
  const s: Sample = { garbage: [], compute: [] };
  for (let i = 0; i < n; i++) {
    const t = await meter.call({ op: "tick" });
    if (t.garbage !== null) s.garbage.push(t.garbage);
    s.compute.push(t.compute);
  }
  return s;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export async function measureTickAlloc(options: TickAllocOptions = {}): Promise<TickAllocFigures[]> {
  const root = options.root ?? HERE;
  const n = options.ticks ?? 60;
  const polls = options.polls ?? 6;
  const xs = await startXS(join(root, ENTRY));
  const out: TickAllocFigures[] = [];
  try {
    await xs.call({ op: "setup" });
    const state = (await xs.call<string>({ op: "advance", seconds: options.warmupS ?? 3600 })).results;
    if (state !== "OPERATING") throw new Error(`the firmware is ${state} after the warm-up, not OPERATING`);
    const meter = new Meter(xs);
    await meter.calibrate();
    await ticks(meter, 5);
    let previous: { garbage: number; compute: number } = { garbage: 0, compute: 0 };
    const stage = async (contributor: string) => {
      const s = await ticks(meter, n);
      const g = median(s.garbage);
      const c = mean(s.compute);
      out.push({ contributor, garbage: g - previous.garbage, garbageMax: Math.max(...s.garbage) - previous.garbage, compute: Math.round(c - previous.compute), live: meter.liveSlots, per: "tick", samples: s.garbage.length });
      previous = { garbage: g, compute: c };
    };
    await stage("core tick alone (control, alarms, logs, server with no client; simulated board and plant)");
    const plant: Sample = { garbage: [], compute: [] };
    for (let i = 0; i < 10; i++) {
      const r = await meter.call({ op: "plant" });
      if (r.garbage !== null) plant.garbage.push(r.garbage);
      plant.compute.push(r.compute);
    }
    out.push({ contributor: "of which the incubator model, 1 s (simulation only: not on the ESP32)", garbage: median(plant.garbage), garbageMax: Math.max(...plant.garbage), compute: Math.round(mean(plant.compute)), live: meter.liveSlots, per: "part", samples: plant.garbage.length });
    // The board's sampling is the firmware's drivers plus host-sim's simulated chips behind
    // the buses; the same drivers on buses that answer at once are the firmware's share.
    const drivers: Sample = { garbage: [], compute: [] };
    for (let i = 0; i < 13; i++) {
      const r = await meter.call({ op: "drivers" });
      if (i < 3) continue; // the ROM search and the first conversions
      if (r.garbage !== null) drivers.garbage.push(r.garbage);
      drivers.compute.push(r.compute);
    }
    out.push({ contributor: "of which the sensor drivers (SHT31, 2 DS18B20, tachometer) on buses that answer at once (firmware; the rest of sampling is the simulated chips)", garbage: median(drivers.garbage), garbageMax: Math.max(...drivers.garbage), compute: Math.round(mean(drivers.compute)), live: meter.liveSlots, per: "part", samples: drivers.garbage.length });
    await xs.call({ op: "connect", client: "python" });
    await stage("+ seed Python /ws client (sensors, state, alarms; ping every 20 s)");
    await xs.call({ op: "connect", client: "js" });
    await stage("+ seed JavaScript /ws client (sensors; JSON ping every 30 s)");
    await xs.call({ op: "connect", client: "rest" });
    for (const route of ["status", "history"] as const) {
      const s: Sample = { garbage: [], compute: [] };
      for (let i = 0; i < polls; i++) {
        const r = await meter.call({ op: "poll", route });
        if (r.garbage !== null) s.garbage.push(r.garbage);
        s.compute.push(r.compute);
        await ticks(meter, 5);
      }
      out.push({ contributor: `REST GET /api/${route === "status" ? "status" : "sensors/history"} (every 5 s: /5 per tick)`, garbage: median(s.garbage), garbageMax: Math.max(...s.garbage), compute: Math.round(mean(s.compute)), live: meter.liveSlots, per: "request", samples: s.garbage.length });
    }
    const page = await meter.call({ op: "poll", route: "page" });
    out.push({ contributor: "GET / (the page, once per browser load)", garbage: page.garbage ?? -1, garbageMax: page.garbage ?? -1, compute: page.compute, live: meter.liveSlots, per: "load", samples: 1 });
    await ticks(meter, 5);
    await xs.call({ op: "connect", client: "indigo" });
    await ticks(meter, 5);
    await stage("+ Indigo device-feed client (patches)");
    const status = (await xs.call<{ received: number[]; rest: number }>({ op: "status" })).results;
    if (status.received.some((b) => b <= 0) || status.rest <= 0) throw new Error(`a client was closed or got nothing: ${JSON.stringify(status)}`);
    return out;
  } finally {
    await xs.close();
  }
}

/** Checks `revision` out in a temporary worktree with this bench's entry copied in. */
function checkoutBefore(revision: string): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), "tick-alloc-before-"));
  execFileSync("git", ["-C", HERE, "worktree", "add", "--detach", root, revision], { stdio: "ignore" });
  // The same harness on both sides (it uses only the firmware's stable APIs).
  for (const file of BENCH_FILES) copyFileSync(join(HERE, file), join(root, file));
  return {
    root,
    remove: () => {
      execFileSync("git", ["-C", HERE, "worktree", "remove", "--force", root], { stdio: "ignore" });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function perTick(f: TickAllocFigures, value: number): number {
  return f.per === "request" ? value / 5 : value;
}

export function tickAllocRows(figures: readonly TickAllocFigures[]): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const f of figures) {
    const unit = f.per === "tick" || f.per === "part" ? "slots/tick" : f.per === "request" ? "slots/request" : "slots/load";
    rows.push({ metric: `XS garbage: ${f.contributor}`, value: f.garbage, unit, detail: `median of ${f.samples} (max ${f.garbageMax}); ${f.garbage * DEVICE_SLOT_BYTES} B at 16 B a slot${f.per === "request" ? `; ${perTick(f, f.garbage).toFixed(0)} slots a tick` : ""}; compute ${f.compute}${f.per === "request" ? ` (${Math.round(perTick(f, f.compute))} a tick)` : ""}; ${f.live} slots live after GC` });
  }
  const total = figures.reduce((sum, f) => sum + (f.per === "load" || f.per === "part" ? 0 : perTick(f, f.garbage)), 0);
  const compute = figures.reduce((sum, f) => sum + (f.per === "load" || f.per === "part" ? 0 : perTick(f, f.compute)), 0);
  rows.push({ metric: "XS garbage a tick with all four clients", value: Math.round(total), unit: "slots/tick", detail: `${Math.round(total) * DEVICE_SLOT_BYTES} B at 16 B a slot (chunks not counted); compute ${Math.round(compute)} a tick` });
  return rows;
}

export async function runTickAllocBench(options: TickAllocOptions = {}): Promise<BenchRow[]> {
  return tickAllocRows(await measureTickAlloc(options));
}

function printSideBySide(before: readonly TickAllocFigures[], after: readonly TickAllocFigures[], revision: string): void {
  console.log(`| contributor | per | garbage slots before (${revision}) | after | compute before | after | live slots before | after |`);
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (let i = 0; i < after.length; i++) {
    const a = after[i];
    const b = before[i];
    console.log(`| ${a.contributor} | ${a.per} | ${b.garbage} (max ${b.garbageMax}) | ${a.garbage} (max ${a.garbageMax}) | ${b.compute} | ${a.compute} | ${b.live} | ${a.live} |`);
  }
  const sum = (fs: readonly TickAllocFigures[], k: "garbage" | "compute") => Math.round(fs.reduce((s, f) => s + (f.per === "load" || f.per === "part" ? 0 : perTick(f, f[k])), 0));
  console.log(`| all four clients, per tick | tick | ${sum(before, "garbage")} | ${sum(after, "garbage")} | ${sum(before, "compute")} | ${sum(after, "compute")} | | |`);
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--before");
  if (at < 0) {
    for (const r of await runTickAllocBench()) console.log(`| ${r.metric} | ${r.value} | ${r.unit} | ${r.detail} |`);
    return;
  }
  const revision = process.argv[at + 1];
  if (!revision) throw new Error("--before needs a git revision");
  const checkout = checkoutBefore(revision);
  try {
    const before = await measureTickAlloc({ root: checkout.root });
    const after = await measureTickAlloc();
    printSideBySide(before, after, revision);
  } finally {
    checkout.remove();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
