import { strict as assert } from "node:assert";
import { runOnXS } from "../../host-sim/xs/run-on-xs";
import { run } from "./entries/firmware-run";

const ENTRY = "tests/xs/entries/firmware-run.ts";

interface HourResult {
  prints: string[];
  state: string;
  air: number | null;
  seq: number;
  alarms: string[];
  wsFrames: number;
  wsBytes: number;
  stored: { setpoints: { air: number; humidity: number }; therapyActive: boolean } | null;
  slots: string[];
}

describe("the firmware on Moddable's XS engine", function () {
  this.timeout(600_000);

  it("runs a simulated hour of warm-up and operation tick for tick like Node", async () => {
    const seconds = 3600;
    const node = JSON.parse(JSON.stringify(run({ op: "run", seconds }))) as HourResult;
    const xs = (await runOnXS<HourResult>(ENTRY, { input: { op: "run", seconds } })).results;
    assert.equal(node.prints.length, seconds);
    const first = node.prints.findIndex((p, i) => p !== xs.prints[i]);
    if (first >= 0) {
      // Name the first tick that differs, with both snapshots.
      const at = first + 1;
      const nodeSnap = JSON.parse(JSON.stringify(run({ op: "snapshotAt", seconds: at })));
      const xsSnap = (await runOnXS(ENTRY, { input: { op: "snapshotAt", seconds: at } })).results;
      assert.deepEqual(xsSnap, nodeSnap, `snapshots differ first after ${at} simulated seconds`);
      assert.fail(`tick ${at}: fingerprints differ (${xs.prints[first]} on XS, ${node.prints[first]} on Node)`);
    }
    assert.deepEqual(xs, node);
    // The hour did what the scenario says, so the comparison covered real work.
    assert.equal(node.state, "OPERATING", `state after an hour: ${node.state}`);
    assert.ok(node.wsFrames > seconds, `the /ws client got every tick's sensor_update (${node.wsFrames} frames)`);
    assert.equal(node.stored?.setpoints.air, 35.5, "the setpoint change was stored as one settings record");
    assert.equal(node.stored?.setpoints.humidity, 65);
    assert.equal(node.stored?.therapyActive, true);
    assert.deepEqual(node.slots, ["settings.a", "settings.b"], "the settings record in its two preference slots");
  });
});
