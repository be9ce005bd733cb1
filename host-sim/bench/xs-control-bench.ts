// XS cost of the controllers alone (heat, humidity, fan), per control tick, on the entry
// host-sim/bench/entries/control-tick.ts; beside the figure the same entry gave on main's code
// before issue 15 (commit 2cdf252), so the ratio is the controllers' growth.
import { fileURLToPath } from "node:url";
import { startXS } from "../xs/run-on-xs";
import { runIfMain, type BenchRow } from "./bench-row";

const ENTRY = fileURLToPath(new URL("./entries/control-tick.ts", import.meta.url));

/** Mean meter units per tick of the controllers before issue 15 (main at 2cdf252, this entry's
 *  calls on that code: air mode once operating; skin mode holding the air at its bound). */
export const BEFORE = Object.freeze({ air: 974, skin: 1367 });

export async function xsControlBench(ticks = 60): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const mode of ["air", "skin"] as const) {
    const xs = await startXS(ENTRY);
    try {
      await xs.call({ op: "setup", mode, warmupS: 3600 });
      const noop = await xs.call({ op: "noop" });
      const costs: number[] = [];
      for (let i = 0; i < ticks; i++) {
        await xs.call({ op: "sense" });
        costs.push((await xs.call({ op: "control" })).meterCompute - noop.meterCompute);
      }
      costs.sort((a, b) => a - b);
      const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
      const before = BEFORE[mode];
      rows.push({
        metric: `XS compute, controllers per tick (${mode} mode)`,
        value: Math.round(mean),
        unit: "meter units",
        detail: `mean of ${ticks} ticks after 1 h (min ${costs[0]}, max ${costs[costs.length - 1]}); ${((mean / before) * 100).toFixed(0)} % of the ${before} before issue 15`,
      });
    } finally {
      await xs.close();
    }
  }
  return rows;
}

runIfMain(import.meta.url, () => xsControlBench());
