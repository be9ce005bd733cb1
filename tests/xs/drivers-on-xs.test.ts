import { strict as assert } from "node:assert";
import { runOnXS } from "../../host-sim/xs/run-on-xs";
import { run as runDrivers, type DriversRunInput } from "./entries/drivers-sim";

const ENTRY = "tests/xs/entries/drivers-sim.ts";

describe("drivers on XS (Moddable XS through xsnap) against the simulated buses", () => {
  it("read the same values and report the same faults as on Node", async () => {
    const input: DriversRunInput = {
      ticks: 60,
      seed: 42,
      faults: [
        { atTick: 10, spec: "air-probe:crc=0.4" },
        { atTick: 20, spec: "skin:power-on-85" },
        { atTick: 30, spec: "sht31:nack" },
        { atTick: 45, spec: "fan:stop" },
      ],
    };
    const xs = await runOnXS<ReturnType<typeof runDrivers>>(ENTRY, { input });
    const node = JSON.parse(JSON.stringify(runDrivers(input))) as ReturnType<typeof runDrivers>;
    assert.equal(xs.results.frames.length, 60);
    for (let i = 0; i < node.frames.length; i++) assert.deepEqual(xs.results.frames[i], node.frames[i], `tick ${i}`);
    assert.deepEqual(xs.results.outputs, node.outputs);
    assert.deepEqual(xs.results.inventory, node.inventory);
    assert.deepEqual(xs.results.counters, node.counters);
    // The run really exercised what it claims: negatives, each fault kind.
    const flat = node.frames.flat().join(" ");
    assert.match(node.frames[3][2], /^-/, "a negative skin temperature");
    for (const kind of ["crc:", "implausible:", "absent:"]) assert.ok(flat.includes(kind), kind);
    assert.equal(node.frames[47][4].startsWith("0@"), true, "fan stopped");
  });
});
