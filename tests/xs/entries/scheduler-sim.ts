// XS entry for tests/xs/run-on-xs.test.ts: the deadline scheduler on simulated time,
// with ticks that sometimes take longer than the period (overruns and skipped deadlines).
import { DeadlineScheduler } from "../../../src/core/scheduler";
import { SimTime } from "../../../host-sim/sim-time";

export interface SchedulerRunInput {
  readonly periodMs: number;
  readonly ticks: number;
  /** Every n-th tick spends `slowMs` of simulated time. */
  readonly slowEvery: number;
  readonly slowMs: number;
}

export function run(input: SchedulerRunInput) {
  const time = new SimTime();
  const starts: number[] = [];
  let acc = 0;
  const scheduler = new DeadlineScheduler(time, time, input.periodMs, (tick) => {
    starts.push(tick.startMs);
    // Some floating-point work whose exact bits must agree between engines.
    acc += Math.sin(tick.index / 7) * Math.exp(-tick.elapsedMs / 1000) + Math.sqrt(tick.dueMs + 1) / 3;
    if (tick.index % input.slowEvery === input.slowEvery - 1) time.spend(input.slowMs);
  });
  scheduler.start();
  while (scheduler.stats.ticks < input.ticks) time.advance(input.periodMs);
  scheduler.stop();
  return { starts, acc, stats: scheduler.stats, engineHasConsole: typeof (globalThis as { console?: unknown }).console !== "undefined" };
}
