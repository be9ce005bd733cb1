// XS cost of the controllers alone (heat, humidity, fan), per control tick, on the entry
// host-sim/bench/entries/control-tick.ts: today's controllers and, side by side in the same
// run on the same plant and sensors, the frozen copy of main's controllers before issue 15
// (commit 2cdf252, host-sim/bench/baseline/), so the ratio is the controllers' growth.
import { fileURLToPath } from "node:url";
import { startXS } from "../xs/run-on-xs";
import { runIfMain, type BenchRow } from "./bench-row";

const ENTRY = fileURLToPath(new URL("./entries/control-tick.ts", import.meta.url));

/** Issue 15's limit: today's controllers cost at most this fraction of those before it. */
export const XS_COST_LIMIT = 1.2;

interface Cost { readonly mean: number; readonly min: number; readonly max: number }

async function measure(mode: "air" | "skin", variant: "now" | "before", ticks: number): Promise<Cost> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "setup", mode, warmupS: 3600, variant });
    const noop = await xs.call({ op: "noop" });
    const costs: number[] = [];
    for (let i = 0; i < ticks; i++) {
      await xs.call({ op: "sense" });
      costs.push((await xs.call({ op: "control" })).meterCompute - noop.meterCompute);
    }
    costs.sort((a, b) => a - b);
    return { mean: costs.reduce((a, b) => a + b, 0) / costs.length, min: costs[0], max: costs[costs.length - 1] };
  } finally {
    await xs.close();
  }
}

export async function xsControlBench(ticks = 60): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const mode of ["air", "skin"] as const) {
    const before = await measure(mode, "before", ticks);
    const now = await measure(mode, "now", ticks);
    rows.push({
      metric: `XS compute, controllers per tick (${mode} mode), before issue 15`,
      value: Math.round(before.mean),
      unit: "meter units",
      detail: `main at 2cdf252 (frozen copy): mean of ${ticks} ticks after 1 h (min ${before.min}, max ${before.max})`,
    });
    const ratio = now.mean / before.mean;
    rows.push({
      metric: `XS compute, controllers per tick (${mode} mode)`,
      value: Math.round(now.mean),
      unit: "meter units",
      detail: `mean of ${ticks} ticks after 1 h (min ${now.min}, max ${now.max}); ${(ratio * 100).toFixed(0)} % of before issue 15, same run: ${ratio <= XS_COST_LIMIT ? "PASS" : "FAIL"} (<= ${XS_COST_LIMIT * 100} %)`,
    });
  }
  return rows;
}

runIfMain(import.meta.url, () => xsControlBench());
