import { strict as assert } from "node:assert";
import { runOnXS, startXS } from "../../host-sim/xs/run-on-xs";
import { run as runScheduler, type SchedulerRunInput } from "./entries/scheduler-sim";

const ENTRY = "tests/xs/entries/scheduler-sim.ts";

describe("XS harness (Moddable XS through xsnap)", () => {
  const input: SchedulerRunInput = { periodMs: 1000, ticks: 300, slowEvery: 37, slowMs: 2500 };

  it("runs the deadline scheduler on simulated time on XS with the same results as Node", async () => {
    const xs = await runOnXS<ReturnType<typeof runScheduler>>(ENTRY, { input });
    const node = JSON.parse(JSON.stringify(runScheduler(input)));
    // The engines differ (XS has no console; Node does) - proves it really ran on XS.
    assert.equal(xs.results.engineHasConsole, false);
    assert.equal(node.engineHasConsole, true);
    assert.deepEqual({ ...xs.results, engineHasConsole: null }, { ...node, engineHasConsole: null });
    assert.ok(xs.results.stats.overruns > 0 && xs.results.stats.skipped > 0, "the scenario exercises overruns and skips");
    assert.ok(xs.meterCompute > 0 && xs.heapBytes > 0);
  });

  it("meters deterministically and keeps state across calls in one session", async () => {
    const xs = await startXS(ENTRY);
    try {
      const a = await xs.call({ ...input, ticks: 50 });
      const b = await xs.call({ ...input, ticks: 50 });
      const c = await xs.call({ ...input, ticks: 100 });
      assert.equal(a.meterCompute, b.meterCompute, "same code, same input: same compute");
      assert.ok(c.meterCompute > a.meterCompute * 1.5, `twice the ticks costs more: ${a.meterCompute} vs ${c.meterCompute}`);
    } finally {
      await xs.close();
    }
  });

  it("measures the heap without growing it: calls that keep no state leave the live slots as they were", async () => {
    // Each measurement used to evaluate a script ("gc()"), and XS keeps a slot for every
    // evaluated script: one slot per call that looked like the firmware's heap growing.
    const xs = await startXS(ENTRY);
    try {
      const first = await xs.call({ ...input, ticks: 10 });
      const slots: number[] = [];
      for (let i = 0; i < 5; i++) slots.push((await xs.call({ ...input, ticks: 10 })).heapSlots);
      assert.deepEqual(slots, slots.map(() => first.heapSlots));
      const snapshots = [await xs.snapshotBytes(), await xs.snapshotBytes()];
      assert.equal(snapshots[1], snapshots[0], "writing a snapshot leaves nothing behind");
      assert.equal((await xs.call({ ...input, ticks: 10 })).heapSlots, first.heapSlots);
      assert.ok(snapshots[0] > first.heapSlots * 16, `a snapshot holds every live slot and chunk: ${snapshots[0]} B`);
    } finally {
      await xs.close();
    }
  });

  it("reports a throw on XS as an error naming it", async () => {
    await assert.rejects(runOnXS(ENTRY, { input: { periodMs: 0, ticks: 1, slowEvery: 1, slowMs: 0 } }), /scheduler period must be > 0 ms/);
  });
});
