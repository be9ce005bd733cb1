// npm run bench [-- --plant file.json | --family [dir]] [--control-only] [--only warmup,step,…] [--quick] [--out file.json]
// The control benchmark: every controller on the same plant, the same sensors (same noise
// seeds), the same disturbances and the same saved plant state at each event, on simulated
// time; metrics on the model's true values; bounds from the model itself. Then (unless
// --control-only) the protocol and XS benchmarks.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PlantParamsError } from "../plant/params";
import { formatRows, type BenchRow } from "./bench-row";
import { FAMILY_DIR, loadPlants, type BenchPlant } from "./family";
import { humidityFrontierTable } from "./humidity-frontier-table";
import { commission, FirmwareController } from "./firmware-controller";
import { runIndigoBench } from "./indigo-bench";
import { runLogsBench } from "./logs-bench";
import { runNetBench } from "./net-bench";
import { runWebBench } from "./web-bench";
import { IncuNestPidV1Controller, OnOffController } from "./references";
import { BEAT, evaluateTargets, FIRST_WARMUP, formatScenario, OURS, TABLE_NOTES, toleranceText, TUNED, type TargetCheck } from "./report";
import type { ControllerEntry } from "./rig";
import { runScenario, type ScenarioResult } from "./run-scenario";
import { SCENARIO_IDS, SCENARIOS, type ScenarioSpec } from "./scenarios";
import { tunePlant, TunedPidController } from "./tuned-pid";
import { runWsBench } from "./ws-bench";
import { xsBench } from "./xs-bench";
import { xsControlBench } from "./xs-control-bench";
import { runTickAllocBench } from "./tick-alloc-bench";
import { runConstructionBench } from "./construction-bench";
import { runHeaterMonitorBench } from "./heater-monitor-bench";

interface Args {
  plant?: string;
  family?: string;
  out: string;
  only: string[] | null;
  controlOnly: boolean;
  quick: boolean;
}

const USAGE = "usage: npm run bench -- [--plant plant.json | --family [dir]] [--control-only] [--only " + SCENARIO_IDS.join(",") + "] [--quick] [--out results.json]";

function parseArgs(argv: string[]): Args {
  const args: Args = { out: "bench-results/control.json", only: null, controlOnly: false, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === "--plant") args.plant = need();
    else if (flag === "--family") {
      args.family = value !== undefined && !value.startsWith("--") ? need() : FAMILY_DIR;
    } else if (flag === "--out") args.out = need();
    else if (flag === "--only") {
      const ids = need().split(",");
      const unknown = ids.filter((id) => !SCENARIO_IDS.includes(id));
      if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")} (known: ${SCENARIO_IDS.join(", ")})`);
      args.only = ids;
    } else if (flag === "--control-only") args.controlOnly = true;
    else if (flag === "--quick") args.quick = true;
    else if (flag === "--help" || flag === "-h") {
      console.log(`${USAGE}\n  --family runs every plant of ${FAMILY_DIR} (or of the given folder); --quick: 3 phases and 1 seed per disturbance (for iterating).`);
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
  }
  if (args.plant && args.family) throw new Error("--plant and --family exclude each other");
  return args;
}

function entriesFor(plant: BenchPlant): { entries: ControllerEntry[]; first: ControllerEntry; tuned: ControllerEntry } {
  const gains = tunePlant(plant.params);
  const learned = commission(plant.params);
  const tuned: ControllerEntry = { name: TUNED, create: () => new TunedPidController(gains) };
  return {
    entries: [
      { name: BEAT[0], create: () => new IncuNestPidV1Controller() },
      { name: BEAT[1], create: () => new OnOffController() },
      tuned,
      { name: OURS, create: () => new FirmwareController(learned.copy()) },
    ],
    first: { name: FIRST_WARMUP, create: () => new FirmwareController() },
    tuned,
  };
}

interface PlantOutcome {
  readonly plant: BenchPlant;
  readonly results: ScenarioResult[];
  readonly checks: TargetCheck[];
  readonly tunedCompared: number;
  readonly tunedNoWorse: number;
}

function runPlant(plant: BenchPlant, specs: readonly ScenarioSpec[]): PlantOutcome {
  console.log(`\n=== Plant ${plant.name}${plant.note ? `: ${plant.note}` : ""}`);
  const { entries, first, tuned } = entriesFor(plant);
  const results: ScenarioResult[] = [];
  for (const spec of specs) {
    const list = spec.id === "warmup" ? [...entries, first] : entries;
    const result = runScenario(spec, plant.params, list, tuned);
    results.push(result);
    console.log(`\n${formatScenario(result)}`);
  }
  const { checks, tunedCompared, tunedNoWorse } = evaluateTargets(results);
  console.log(`\nTargets for ours on ${plant.name}:`);
  for (const t of checks) console.log(`  ${t.info ? "INFO" : t.pass ? "PASS" : "FAIL"}  ${t.text}`);
  return { plant, results, checks, tunedCompared, tunedNoWorse };
}

function totals(outcomes: readonly PlantOutcome[]): string {
  const rows = outcomes.map((o) => {
    const targets = o.checks.filter((c) => !c.info);
    const failed = targets.filter((c) => !c.pass).length;
    const infeasible = targets.filter((c) => !c.pass && c.infeasible).length;
    return [o.plant.name, String(targets.length), String(targets.length - failed), String(failed), String(infeasible), `${o.tunedNoWorse}/${o.tunedCompared}`];
  });
  const sum = (i: number) => rows.reduce((a, r) => a + Number(r[i]), 0);
  const tc = outcomes.reduce((a, o) => a + o.tunedCompared, 0);
  const tn = outcomes.reduce((a, o) => a + o.tunedNoWorse, 0);
  rows.push(["total", String(sum(1)), String(sum(2)), String(sum(3)), String(sum(4)), `${tn}/${tc}`]);
  const header = ["plant", "targets", "PASS", "FAIL", "of them infeasible", `no worse than ${TUNED}`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function systemBenches(): Promise<{ rows: Record<string, BenchRow[]>; failed: boolean }> {
  const rows: Record<string, BenchRow[]> = {};
  let failed = false;
  const section = async (key: string, title: string, bench: () => Promise<BenchRow[]>) => {
    try {
      rows[key] = await bench();
      console.log(`\n${formatRows(title, rows[key])}`);
    } catch (error) {
      failed = true;
      console.log(`\n${title}: FAILED - ${(error as Error).message}`);
    }
  };
  await section("ws", "IncuNest API /ws (real sockets on 127.0.0.1; XS compute meter via xsnap)", () => runWsBench());
  await section("net", "The HTTP/WebSocket server itself (XS compute meter and heap via xsnap; Node on loopback)", () => runNetBench());
  await section("indigo", "Indigo device feed (patches vs full re-fetch; XS compute meter via xsnap)", () => runIndigoBench());
  await section("web", "Bedside app (web/): sizes and load time on loopback", () => runWebBench());
  await section("logs", "Trend log and REST data endpoints (7 days of records; Node and XS via xsnap side by side)", () => runLogsBench());
  await section("xsControl", "The controllers alone on XS (xsnap): heat, humidity and fan per tick, before issue 15 and now", () => xsControlBench());
  if (rows.xsControl?.some((r) => r.detail.includes("FAIL"))) failed = true;
  await section("xs", "The whole firmware on XS (xsnap): one control tick, heap after 1 h and 24 h, heap under alarm churn", () => xsBench());
  await section("ticks", "Garbage and compute per control tick on XS (xsnap), by client: the whole firmware once operating, the issue's four clients added one at a time", () => runTickAllocBench());
  await section("construction", "What constructing the alarm system, the REST API and the firmware server leaves live on XS (xsnap; live slots after a collection, and snapshot bytes)", () => runConstructionBench());
  await section("heaterMonitor", "The heater monitor alone on XS (xsnap), full history: the ring of typed arrays beside the original (objects and slices)", () => runHeaterMonitorBench());
  return { rows, failed };
}

async function main(): Promise<void> {
  // The ward bench (MQTT, issue 14) runs on its own: npm run bench -- --ward
  if (process.argv.includes("--ward")) return (await import("../ward/ward-bench")).wardBenchMain(process.argv.slice(2));
  let args: Args;
  let plants: BenchPlant[];
  try {
    args = parseArgs(process.argv.slice(2));
    plants = loadPlants(args.plant, args.family);
  } catch (err) {
    console.error(err instanceof PlantParamsError ? err.message : `bench: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const specs = SCENARIOS.filter((s) => args.only === null || args.only.includes(s.id)).map((s) =>
    args.quick && s.phases * s.seeds > 1 && s.id !== "nursing" ? { ...s, phases: Math.min(s.phases, 3), seeds: 1 } : s,
  );
  console.log(`Control benchmark - ${plants.length} plant${plants.length > 1 ? "s" : ""}; metrics on the model's true values${args.quick ? "; QUICK (3 phases, 1 seed)" : ""}`);
  console.log(toleranceText());
  console.log(TABLE_NOTES);
  const outcomes = plants.map((p) => runPlant(p, specs));
  const failures = outcomes.reduce((a, o) => a + o.checks.filter((c) => !c.info && !c.pass).length, 0);
  console.log(`\nTotals (targets for ours; PASS = met within the tie tolerance; "infeasible": FAILs that no on/off humidifier can pass without failing\nanother, by the humidity frontier below: they stay FAILs)\n${totals(outcomes)}`);
  if (outcomes.some((o) => o.results.some((r) => r.spec.quantity === "rh"))) {
    console.log(`\n${humidityFrontierTable(outcomes.map((o) => ({ name: o.plant.name, results: o.results })))}`);
  }

  let system: Record<string, BenchRow[]> = {};
  let systemFailed = false;
  if (!args.controlOnly) ({ rows: system, failed: systemFailed } = await systemBenches());

  mkdirSync(dirname(args.out), { recursive: true });
  const json = { plants: outcomes.map((o) => ({ name: o.plant.name, file: o.plant.file, params: o.plant.params, results: o.results, checks: o.checks })), system };
  writeFileSync(args.out, JSON.stringify(json, null, 1) + "\n");
  console.log(`\nwritten ${args.out}`);
  if (failures > 0 || systemFailed) {
    console.log(`${failures} target${failures === 1 ? "" : "s"} FAILED${systemFailed ? "; a system benchmark failed" : ""}`);
    process.exitCode = 1;
  }
}

await main();
