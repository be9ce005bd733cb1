import { fileURLToPath } from "node:url";

/** One measured figure of the system benchmarks (protocols, XS cost), printed as a table row. */
export interface BenchRow {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly detail: string;
}

export function formatRows(title: string, rows: readonly BenchRow[]): string {
  const value = (r: BenchRow) => (Number.isInteger(r.value) ? String(r.value) : r.value.toPrecision(4));
  const w0 = Math.max(6, ...rows.map((r) => r.metric.length));
  const w1 = Math.max(5, ...rows.map((r) => value(r).length));
  const w2 = Math.max(4, ...rows.map((r) => r.unit.length));
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padEnd(w2)}  ${d}`;
  return [title, line("metric", "value", "unit", "detail"), ...rows.map((r) => line(r.metric, value(r), r.unit, r.detail))].join("\n");
}

/** Runs a bench module's rows and prints them when the module is invoked directly
 *  (`npx tsx host-sim/bench/<name>.ts`); does nothing when it is imported. */
export function runIfMain(moduleUrl: string, bench: () => Promise<readonly BenchRow[]>, print: (rows: readonly BenchRow[]) => void = (rows) => console.table(rows)): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  bench().then(print, (error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
