import { strict as assert } from "node:assert";
import { performance } from "node:perf_hooks";
import { RealTime } from "../../host-sim/real-time";

function busy(realMs: number): void {
  const end = performance.now() + realMs;
  while (performance.now() < end) {
    /* a stalled event loop */
  }
}

describe("host-sim's real-time clock (npm start, the ward)", function () {
  this.timeout(20_000);

  it("fires timers in due order, each reading its own due time; a cancelled one never fires", async () => {
    const time = new RealTime(100);
    const fired: Array<[string, number]> = [];
    let start = 0;
    // Scheduled from inside a timer, where the clock stands still, so a loaded host cannot
    // reorder them by letting time pass between the calls.
    time.after(0, () => {
      start = time.now();
      time.after(300, () => {
        fired.push(["c", time.now()]);
        last();
      });
      time.after(100, () => fired.push(["a", time.now()]));
      time.after(150, () => fired.push(["x", time.now()])).cancel();
      time.after(200, () => fired.push(["b", time.now()]));
    });
    let last = () => {};
    await new Promise<void>((done) => (last = done));
    assert.deepEqual(fired, [["a", start + 100], ["b", start + 200], ["c", start + 300]]);
  });

  it("never lets a stalled event loop show the firmware a time jump: 1 s ticks stay 1 s apart, the rest slips", async () => {
    const speed = 50;
    const time = new RealTime(speed);
    const ticks: number[] = [];
    let stalled = false;
    await new Promise<void>((done) => {
      const tick = () => {
        ticks.push(time.now());
        // At the 3rd tick the host stalls for 200 ms real (10 s simulated at 50×).
        if (ticks.length === 3 && !stalled) {
          stalled = true;
          busy(200);
        }
        if (ticks.length < 30) time.after(1000, tick);
        else done();
      };
      time.after(1000, tick);
    });
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]);
    assert.deepEqual([...new Set(gaps)], [1000], `tick gaps ${gaps.join(", ")}`);
    // The clock fell 10 s behind, less than a second of real time (50 s here): all of it is
    // caught up, nothing slips; a longer stall slips the excess (next test).
    assert.equal(time.slipped, 0);
  });

  it("slips what it cannot catch up, rather than racing through a backlog", async () => {
    const time = new RealTime(100);
    const seen: number[] = [];
    await new Promise<void>((done) => {
      const tick = () => {
        seen.push(time.now());
        if (seen.length === 2) busy(1500); // 150 s simulated behind: more than 1 s of real time
        if (seen.length < 10) time.after(1000, tick);
        else done();
      };
      time.after(1000, tick);
    });
    const gaps = seen.slice(1).map((t, i) => t - seen[i]);
    assert.deepEqual([...new Set(gaps)], [1000]);
    assert.ok(time.slipped > 40_000, `slipped ${time.slipped} ms (about 150 s - 100 s, more on a loaded host)`);
  });

  it("keeps the wall clock with the simulated one, from the start epoch it was given", async () => {
    const time = new RealTime(10, Date.UTC(2026, 11, 1, 12, 0, 0));
    const [epoch, now] = await new Promise<[number, number]>((done) => time.after(500, () => done([time.epochMs(), time.now()])));
    assert.equal(epoch, Date.UTC(2026, 11, 1, 12, 0, 0) + now);
    assert.ok(now >= 500);
  });

  it("reports a throwing timer and goes on with the others", async () => {
    const errors: unknown[] = [];
    const time = new RealTime(100, undefined, (e) => errors.push(e));
    const fired: number[] = [];
    let due = 0;
    time.after(0, () => {
      time.after(100, () => {
        throw new Error("boom");
      });
      due = time.now() + 200;
      time.after(200, () => fired.push(time.now()));
    });
    while (fired.length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(errors.length, 1);
    assert.deepEqual(fired, [due]);
  });
});
