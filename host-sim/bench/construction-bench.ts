// What constructing the alarm system, the REST API and the firmware server leaves live on XS (xsnap), part by
// part (host-sim/bench/entries/construction.ts): live slots after a full collection and the
// snapshot size (live slots and chunks, this 64-bit host's layout) before and after each
// construction call. On the device modules are preloaded (their code and constants in
// flash), so only what construction makes at run time costs RAM: these deltas.
//
// Run alone: npx tsx host-sim/bench/construction-bench.ts [--before <git revision>]
// With --before, the same entry also runs on that revision (a temporary git worktree with
// this entry copied in) and both are printed side by side.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEVICE_SLOT_BYTES, startXS } from "../xs/run-on-xs";
import type { BenchRow } from "./bench-row";

const HERE = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = "host-sim/bench/entries/construction.ts";
const BENCH_FILES = [ENTRY, "host-sim/bench/bench-firmware.ts", "host-sim/bench/sink-socket.ts", "host-sim/bench/sim-device-config.ts"];

const PARTS = [
  ["alarms", "an alarm system (new AlarmSystem: its conditions, findings, debounce and channel tables, heater monitor)"],
  ["rest", "REST API (new RestApi, 21 routes)"],
  ["server", "firmware server (createFirmwareServer, with the REST API as a route)"],
  ["router", "of which: a WsRouter with its KeyGuard"],
  ["incunest", "of which: the /ws endpoint (IncuNestEndpoint)"],
  ["feeds", "of which: the Indigo feeds (IndigoFeeds)"],
  ["http", "of which: an HttpServer (with a WsRouter and KeyGuard)"],
] as const;

export interface ConstructionFigures {
  readonly part: string;
  readonly label: string;
  /** Live slots after a collection, after minus before. */
  readonly slots: number;
  /** Snapshot bytes (slots and chunks, 64-bit layout), after minus before. */
  readonly snapshotBytes: number;
}

export interface ConstructionCensus {
  readonly parts: readonly ConstructionFigures[];
  /** The bytes GET /api/status answered through what was built (a check that it works). */
  readonly statusBytes: number;
}

export async function measureConstruction(root = HERE): Promise<ConstructionCensus> {
  const xs = await startXS(join(root, ENTRY));
  try {
    await xs.call({ op: "noop" });
    let slots = (await xs.call({ op: "prepare" })).heapSlots;
    let bytes = await xs.snapshotBytes();
    const parts: ConstructionFigures[] = [];
    for (const [part, label] of PARTS) {
      const r = await xs.call({ op: part });
      const b = await xs.snapshotBytes();
      parts.push({ part, label, slots: r.heapSlots - slots, snapshotBytes: b - bytes });
      slots = r.heapSlots;
      bytes = b;
    }
    const statusBytes = (await xs.call<number>({ op: "request" })).results;
    return { parts, statusBytes };
  } finally {
    await xs.close();
  }
}

export function constructionRows(census: ConstructionCensus): BenchRow[] {
  return census.parts.map((f) => ({
    metric: `XS live after constructing: ${f.label}`,
    value: f.slots,
    unit: "slots",
    detail: `${f.slots * DEVICE_SLOT_BYTES} B at 16 B a slot; snapshot +${f.snapshotBytes} B (slots and chunks, 64-bit)`,
  }));
}

export async function runConstructionBench(): Promise<BenchRow[]> {
  return constructionRows(await measureConstruction());
}

function checkoutBefore(revision: string): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), "construction-before-"));
  execFileSync("git", ["-C", HERE, "worktree", "add", "--detach", root, revision], { stdio: "ignore" });
  // This revision's entry and its helpers, so both sides run the same parts.
  for (const file of BENCH_FILES) copyFileSync(join(HERE, file), join(root, file));
  return {
    root,
    remove: () => {
      execFileSync("git", ["-C", HERE, "worktree", "remove", "--force", root], { stdio: "ignore" });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--before");
  if (at < 0) {
    const census = await measureConstruction();
    for (const r of constructionRows(census)) console.log(`| ${r.metric} | ${r.value} | ${r.unit} | ${r.detail} |`);
    console.log(`GET /api/status answered ${census.statusBytes} bytes`);
    return;
  }
  const revision = process.argv[at + 1];
  if (!revision) throw new Error("--before needs a git revision");
  const checkout = checkoutBefore(revision);
  try {
    const before = await measureConstruction(checkout.root);
    const after = await measureConstruction();
    console.log(`| part | live slots before (${revision}) | after | snapshot bytes before | after |`);
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (let i = 0; i < after.parts.length; i++) {
      const a = after.parts[i];
      const b = before.parts[i];
      console.log(`| ${a.label} | ${b.slots} | ${a.slots} | ${b.snapshotBytes} | ${a.snapshotBytes} |`);
    }
    console.log(`GET /api/status answered ${before.statusBytes} bytes before, ${after.statusBytes} after`);
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
