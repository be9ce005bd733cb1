// A repeating timer fires at the same times, in the same order among other timers, as the
// chain of `after` calls it replaces (the annunciator's 50 ms step), on SimTime and through
// the fallback for timers without `every`.
import { strict as assert } from "node:assert";
import { everyMs, type Timers } from "../../src/core/types";
import { SimTime } from "../../host-sim/sim-time";

/** Runs a 50 ms job beside a 1 s chain and a 20 ms one-shot for 2.1 s; what fired, in order. */
function trace(periodic: (t: SimTime, job: () => void) => { cancel(): void }): string[] {
  const t = new SimTime();
  const seen: string[] = [];
  const tick = () => {
    seen.push(`tick@${t.now()}`);
    t.after(1000, tick);
  };
  t.after(1000, tick);
  let n = 0;
  const handle = periodic(t, () => {
    seen.push(`step@${t.now()}`);
    if (++n === 30) t.after(0, () => seen.push(`zero@${t.now()}`));
  });
  t.after(20, () => seen.push(`once@${t.now()}`));
  t.advance(1600);
  handle.cancel();
  t.advance(500);
  return seen;
}

function chain(t: Timers, ms: number, job: () => void): { cancel(): void } {
  let h = t.after(ms, function step() {
    job();
    h = t.after(ms, step);
  });
  return { cancel: () => h.cancel() };
}

describe("repeating timers", () => {
  it("SimTime.every matches a chain of after calls, ties and cancel included", () => {
    const expected = trace((t, job) => chain(t, 50, job));
    assert.equal(expected.filter((s) => s.startsWith("step")).length, 32);
    assert.deepEqual(trace((t, job) => t.every(50, job)), expected);
  });

  it("everyMs falls back to a chain where the timers have no every", () => {
    const expected = trace((t, job) => chain(t, 50, job));
    const withoutEvery = (t: SimTime): Timers => ({ after: (ms, cb) => t.after(ms, cb) });
    assert.deepEqual(trace((t, job) => everyMs(withoutEvery(t), 50, job)), expected);
    assert.deepEqual(trace((t, job) => everyMs(t, 50, job)), expected);
  });
});
