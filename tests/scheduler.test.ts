import assert from "node:assert/strict";
import { DeadlineScheduler, type TickInfo } from "../src/core/scheduler";
import { SimTime } from "../host-sim/sim-time";

describe("DeadlineScheduler", () => {
  it("runs tick n at t0 + n·T without drift, whatever each tick costs", () => {
    const time = new SimTime();
    time.advance(123);
    const ticks: TickInfo[] = [];
    const s = new DeadlineScheduler(time, time, 1000, (t) => {
      ticks.push(t);
      time.spend(370); // work inside the tick
    });
    s.start();
    time.advance(9_999);
    assert.deepEqual(ticks.map((t) => t.startMs), [123, 1123, 2123, 3123, 4123, 5123, 6123, 7123, 8123, 9123]);
    assert.deepEqual(ticks.map((t) => t.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(s.stats.overruns, 0);
    assert.equal(s.stats.skipped, 0);
    assert.ok(ticks.slice(1).every((t) => t.elapsedMs === 1000));
  });

  it("counts an overrun and skips the missed deadlines instead of bunching them", () => {
    const time = new SimTime();
    const starts: number[] = [];
    const s = new DeadlineScheduler(time, time, 1000, (t) => {
      starts.push(t.startMs);
      if (t.index === 2) time.spend(2500); // tick 2 runs until 4500: deadlines 3000 and 4000 pass
    });
    s.start();
    time.advance(8000);
    assert.deepEqual(starts, [0, 1000, 2000, 5000, 6000, 7000, 8000]);
    assert.equal(s.stats.overruns, 1);
    assert.equal(s.stats.skipped, 2);
  });

  it("reports the measured elapsed time after a skip", () => {
    const time = new SimTime();
    const elapsed: number[] = [];
    const s = new DeadlineScheduler(time, time, 1000, (t) => {
      elapsed.push(t.elapsedMs);
      if (t.index === 1) time.spend(1200);
    });
    s.start();
    time.advance(4000);
    assert.deepEqual(elapsed, [1000, 1000, 2000, 1000]);
  });

  it("stops", () => {
    const time = new SimTime();
    let n = 0;
    const s = new DeadlineScheduler(time, time, 1000, () => n++);
    s.start();
    time.advance(2500);
    s.stop();
    time.advance(5000);
    assert.equal(n, 3);
  });
});
