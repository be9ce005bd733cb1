// npm run bench [-- --plant file.json] [--out file.json] [--only warmup,step,…]
// The control benchmark: every controller on the same plant, the same sensors (same noise
// seed) and the same disturbances, on simulated time; metrics on the model's true values.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadPlantParams } from "../plant/load-plant-params";
import { PlantParamsError } from "../plant/params";
import { FirmwareController } from "./firmware-controller";
import { IncuNestPidV1Controller, OnOffController, TimeOptimalController } from "./references";
import type { ControllerEntry } from "./rig";
import { runScenario, SCENARIOS, type ScenarioId, type ScenarioRun } from "./scenarios";
import { evaluateTargets, formatTables } from "./report";
import { formatRows, type BenchRow } from "./bench-row";
import { runIndigoBench } from "./indigo-bench";
import { runLogsBench } from "./logs-bench";
import { runNetBench } from "./net-bench";
import { runWebBench } from "./web-bench";
import { runWsBench } from "./ws-bench";
import { xsBench } from "./xs-bench";
import { runTickAllocBench } from "./tick-alloc-bench";
import { runConstructionBench } from "./construction-bench";
import { runHeaterMonitorBench } from "./heater-monitor-bench";

export const CONTROLLERS: readonly ControllerEntry[] = Object.freeze([
  { name: "time-optimal", create: () => new TimeOptimalController() },
  { name: "PID_v1 IncuNest", create: () => new IncuNestPidV1Controller() },
  { name: "on/off 0.2", create: () => new OnOffController() },
  { name: "ours", create: () => new FirmwareController() },
]);

interface Args {
  plant?: string;
  out: string;
  only: ScenarioId[] | null;
  /** Run only the control benchmark (no protocol and XS measurements). */
  controlOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { out: "bench-results/control.json", only: null, controlOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === "--plant") args.plant = need();
    else if (flag === "--out") args.out = need();
    else if (flag === "--only") {
      const ids = need().split(",");
      const known = SCENARIOS.map((s) => s.id as string);
      const unknown = ids.filter((id) => !known.includes(id));
      if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")} (known: ${known.join(", ")})`);
      args.only = ids as ScenarioId[];
    } else if (flag === "--control-only") args.controlOnly = true;
    else if (flag === "--help" || flag === "-h") {
      console.log("usage: npm run bench -- [--plant plant.json] [--out results.json] [--only warmup,step,porthole,skin,humidity] [--control-only]");
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

async function main(): Promise<void> {
  // The ward bench (MQTT, issue 14) runs on its own: npm run bench -- --ward
  if (process.argv.includes("--ward")) return (await import("../ward/ward-bench")).wardBenchMain(process.argv.slice(2));
  let args: Args;
  let params;
  try {
    args = parseArgs(process.argv.slice(2));
    params = loadPlantParams(args.plant);
  } catch (err) {
    console.error(err instanceof PlantParamsError ? err.message : `bench: ${(err as Error).message}`);
    process.exit(2);
  }
  const specs = SCENARIOS.filter((s) => args.only === null || args.only.includes(s.id));
  const runs: ScenarioRun[] = [];
  for (const spec of specs) for (const entry of CONTROLLERS) runs.push(runScenario(spec, params, entry));

  console.log(`Control benchmark - plant ${args.plant ?? "defaults (host-sim/plant/params.ts)"}; metrics on the model's true values\n`);
  console.log(formatTables(specs, CONTROLLERS.map((c) => c.name), runs));
  const targets = evaluateTargets(runs);
  console.log("\nTargets for ours:");
  for (const t of targets) console.log(`  ${t.pass ? "PASS" : "FAIL"}  ${t.text}`);

  const system: Record<string, BenchRow[]> = {};
  if (!args.controlOnly) {
    system.ws = await runWsBench();
    console.log(`\n${formatRows("IncuNest API /ws (real sockets on 127.0.0.1; XS compute meter via xsnap)", system.ws)}`);
    system.net = await runNetBench();
    console.log(`\n${formatRows("The HTTP/WebSocket server itself (XS compute meter and heap via xsnap; Node on loopback)", system.net)}`);
    system.indigo = await runIndigoBench();
    console.log(`\n${formatRows("Indigo device feed (patches vs full re-fetch; XS compute meter via xsnap)", system.indigo)}`);
    system.web = await runWebBench();
    console.log(`\n${formatRows("Bedside app (web/): sizes and load time on loopback", system.web)}`);
    system.logs = await runLogsBench();
    console.log(`\n${formatRows("Trend log and REST data endpoints (7 days of records; Node and XS via xsnap side by side)", system.logs)}`);
    system.xs = await xsBench();
    console.log(`\n${formatRows("The whole firmware on XS (xsnap): one control tick, heap after 1 h and 24 h, heap under alarm churn", system.xs)}`);
    system.ticks = await runTickAllocBench();
    console.log(`\n${formatRows("Garbage and compute per control tick on XS (xsnap), by client: the whole firmware once operating, the issue's four clients added one at a time", system.ticks)}`);
    system.construction = await runConstructionBench();
    console.log(`\n${formatRows("What constructing the REST API and the firmware server leaves live on XS (xsnap; live slots after a collection, and snapshot bytes)", system.construction)}`);
    system.heaterMonitor = await runHeaterMonitorBench();
    console.log(`\n${formatRows("The heater monitor alone on XS (xsnap), full history: the ring of typed arrays beside the original (objects and slices)", system.heaterMonitor)}`);
  }

  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify({ plant: { file: args.plant ?? null, params }, scenarios: specs, runs, targets, system }, null, 2) + "\n");
  console.log(`\nwritten ${args.out}`);
}

await main();
