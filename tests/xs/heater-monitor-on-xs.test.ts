import { strict as assert } from "node:assert";
import { startXS, type XSSession } from "../../host-sim/xs/run-on-xs";
import { run as runOnNode, type HeaterMonitorInput, type HeaterScript } from "./entries/heater-monitor";

const ENTRY = "tests/xs/entries/heater-monitor.ts";
const SCRIPTS: readonly HeaterScript[] = ["operating", "warm-up", "dead", "off"];

describe("the heater monitor on Moddable's XS engine", function () {
  this.timeout(120_000);
  let xs: XSSession;
  before(async () => { xs = await startXS(ENTRY); });
  after(async () => { await xs.close(); });
  const call = (input: HeaterMonitorInput) => xs.call(input);

  it("judges as on Node, sample by sample", async () => {
    for (const script of SCRIPTS) {
      await call({ op: "make", impl: "ring" });
      runOnNode({ op: "make", impl: "ring" });
      let faults = 0;
      for (let s = 0; s < 200; s++) {
        const input: HeaterMonitorInput = { op: "updates", script, count: 10 };
        faults = runOnNode(input) as number;
        assert.equal((await call(input)).results, faults, `${script}, sample ${s}: faults`);
        assert.deepEqual((await call({ op: "verdict" })).results, JSON.parse(JSON.stringify(runOnNode({ op: "verdict" }))), `${script}, sample ${s}: verdict`);
      }
      assert.equal(faults > 0, script === "dead", `${script}: faults judged`);
    }
  });

  it("allocates nothing per update once its history is full, and holds the same live heap", async () => {
    for (const script of SCRIPTS) {
      await call({ op: "make", impl: "ring" });
      // An empty call of the same shape: what the harness and the input allocate.
      const a = await call({ op: "updates", script, count: 0 });
      const b = await call({ op: "updates", script, count: 0 });
      const empty = b.slotsBeforeCollection - a.heapSlots;
      const full = (await call({ op: "updates", script, count: 1000 })).heapSlots;
      let live = full;
      for (let s = 0; s < 30; s++) {
        const r = await call({ op: "updates", script, count: 10 });
        assert.equal(r.slotsBeforeCollection - live - empty, 0, `${script}, sample ${s}: slots allocated by 10 updates`);
        live = r.heapSlots;
      }
      assert.equal(live, full, `${script}: live slots after 1000 s and after 1300 s`);
    }
  });
});
