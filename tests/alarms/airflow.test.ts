// The airflow interlock and the reset proof on the physical model: no heat until the
// tachometer shows the fan turning since therapy started (or FAULT was reset), and a reset
// leaves FAULT only after driving the fan and reading it (issue 11: a reset with a dead fan
// was accepted and the heater ran 10 s without airflow).
import assert from "node:assert/strict";
import type { Snapshot } from "../../src/core/api";
import { applyFault, clearFaults } from "../../host-sim/faults";
import { SimulatedIncubator } from "../../host-sim/simulated-incubator";
import { SimTime } from "../../host-sim/sim-time";
import { TEST_ORIGIN } from "../support/origin";
import { makeRig, type Rig } from "./rig";

/** Every tick's snapshot from now on. */
function record(rig: Rig): Snapshot[] {
  const ticks: Snapshot[] = [];
  rig.incubator.subscribe((e) => { if (e.type === "tick") ticks.push(e.snapshot); });
  return ticks;
}

/** Index of the first tick whose tachometer reading (≥ 300 rpm) followed a tick that drove the fan. */
function firstProof(ticks: readonly Snapshot[], from = 0): number {
  for (let i = Math.max(1, from); i < ticks.length; i++) if (ticks[i - 1].fanPercent >= 10 && (ticks[i].fanRpm ?? 0) >= 300) return i;
  return -1;
}

async function operating(rig: Rig): Promise<void> {
  rig.incubator.start();
  assert.equal((await rig.cmd("set_state", { state: "start" })).success, true);
  rig.run(4 * 3600, (s) => s.state === "OPERATING");
  assert.equal(rig.incubator.snapshot().state, "OPERATING");
}

describe("Airflow interlock and reset proof (physical model)", () => {
  it("after start the heater stays off until the tachometer has shown the fan turning", async () => {
    const rig = makeRig();
    const ticks = record(rig);
    rig.incubator.start();
    rig.run(5);
    const startAt = ticks.length;
    assert.equal((await rig.cmd("set_state", { state: "start" })).success, true);
    rig.run(30);
    const firstHeat = ticks.findIndex((s, i) => i >= startAt && s.heaterPercent > 0);
    const proof = firstProof(ticks, startAt);
    assert.ok(proof >= startAt, "the fan proved itself");
    assert.ok(firstHeat >= proof, `first heat at tick ${firstHeat}, proof at tick ${proof}`);
    assert.ok(firstHeat - startAt <= 4, `heat follows within seconds (${firstHeat - startAt} ticks)`);
  });

  it("with the fan dead from the start, the heater never runs: FAN_FAILURE, FAULT", async () => {
    const rig = makeRig();
    const ticks = record(rig);
    rig.faults.fanStalled = true;
    rig.incubator.start();
    assert.equal((await rig.cmd("set_state", { state: "start" })).success, true);
    rig.run(120);
    assert.equal(Math.max(...ticks.map((s) => s.heaterPercent)), 0, "no heat without proven airflow");
    assert.ok(ticks.some((s) => s.fanPercent > 0), "the fan was driven");
    assert.ok(rig.active("FAN_FAILURE"));
    assert.equal(rig.incubator.snapshot().state, "FAULT");
  });

  it("a reset with the fan still dead spins it, reads the tachometer and refuses with the reason", async () => {
    const rig = makeRig();
    await operating(rig);
    rig.faults.fanStalled = true;
    rig.run(60);
    assert.equal(rig.incubator.snapshot().state, "FAULT");
    rig.run(300); // the run-on is over: in FAULT the fan is no longer driven
    assert.equal(rig.incubator.snapshot().fanPercent, 0);
    const ticks = record(rig);
    const t0 = rig.time.now();
    const reset = await rig.settle(rig.cmd("set_state", { state: "reset" }));
    assert.equal(reset.success, false);
    assert.match(reset.message, /cannot reset: the fan did not turn: tachometer 0 rpm after 10 s driven at 50 %/);
    assert.ok((rig.time.now() - t0) / 1000 <= 12, "the reply waited for the proof, not longer");
    assert.ok(ticks.some((s) => s.fanPercent >= 50), "the reset drove the fan");
    assert.equal(rig.incubator.snapshot().state, "FAULT");
    assert.ok(rig.active("FAN_FAILURE"), "FAN_FAILURE stays active");
    assert.equal((await rig.cmd("set_state", { state: "start" })).success, false, "no start from FAULT");
    rig.run(60);
    assert.equal(Math.max(...ticks.map((s) => s.heaterPercent)), 0, "the heater never ran");
  });

  it("a reset after the fan turns again proves it, leaves FAULT, and the next start proves it again", async () => {
    const rig = makeRig();
    await operating(rig);
    rig.faults.fanStalled = true;
    rig.run(400);
    assert.equal(rig.incubator.snapshot().state, "FAULT");
    rig.faults.fanStalled = false;
    const ticks = record(rig);
    const reset = await rig.settle(rig.cmd("set_state", { state: "reset" }));
    assert.equal(reset.success, true, reset.message);
    assert.match(reset.message, /fault reset, fan proven turning at \d+ rpm/);
    assert.equal(rig.incubator.snapshot().state, "STANDBY");
    assert.equal(rig.active("FAN_FAILURE"), undefined);
    assert.ok(firstProof(ticks) >= 0, "spun and read before leaving FAULT");
    const startAt = ticks.length;
    assert.equal((await rig.cmd("set_state", { state: "start" })).success, true);
    rig.run(20);
    const firstHeat = ticks.findIndex((s, i) => i >= startAt && s.heaterPercent > 0);
    assert.ok(firstHeat >= firstProof(ticks, startAt) && firstHeat > startAt, "heat waited for a fresh proof after the start");
  });

  it("a reset is refused at once while another cause is still present (no fan spin needed to say so)", async () => {
    const rig = makeRig();
    await operating(rig);
    rig.faults.sensors = { air: "absent" };
    rig.run(30);
    assert.equal(rig.incubator.snapshot().state, "FAULT");
    const reset = await rig.cmd("set_state", { state: "reset" });
    assert.equal(reset.success, false);
    assert.match(reset.message, /SENSOR_FAULT:air still present/);
  });

  it("on the simulated board (--fault fan:stop): reset refused, heater never runs without airflow", async () => {
    const time = new SimTime();
    const sim = new SimulatedIncubator({ time, seed: 7 });
    const board = sim.board!;
    const { incubator } = sim;
    const ticks: Snapshot[] = [];
    incubator.subscribe((e) => { if (e.type === "tick") ticks.push(e.snapshot); });
    incubator.start();
    assert.equal((await incubator.execute("set_state", { state: "start" }, TEST_ORIGIN)).success, true);
    time.advance(120_000);
    assert.ok(ticks.at(-1)!.heaterPercent > 0, "heating with a working fan");
    applyFault(board, { target: "fan", fault: "stop" });
    time.advance(30_000);
    assert.equal(incubator.snapshot().state, "FAULT");
    assert.ok(incubator.snapshot().alarms.some((a) => a.code === "FAN_FAILURE"));
    time.advance(300_000);
    const mark = ticks.length;
    const pending = incubator.execute("set_state", { state: "reset" }, TEST_ORIGIN);
    let result = null as Awaited<typeof pending> | null;
    void pending.then((r) => { result = r; });
    for (let i = 0; i < 15 && result === null; i++) { time.advance(1000); await new Promise((r) => setImmediate(r)); }
    assert.ok(result !== null, "answered within 15 s");
    assert.equal(result!.success, false);
    assert.match(result!.message, /the fan did not turn/);
    assert.equal((await incubator.execute("set_state", { state: "start" }, TEST_ORIGIN)).success, false);
    time.advance(60_000);
    assert.equal(Math.max(...ticks.slice(mark).map((s) => s.heaterPercent)), 0, "no heat after the refused reset");
    assert.equal(incubator.snapshot().state, "FAULT");
    clearFaults(board, "fan");
    const again = incubator.execute("set_state", { state: "reset" }, TEST_ORIGIN);
    let second = null as Awaited<typeof again> | null;
    void again.then((r) => { second = r; });
    for (let i = 0; i < 15 && second === null; i++) { time.advance(1000); await new Promise((r) => setImmediate(r)); }
    assert.equal(second?.success, true, second?.message);
    assert.equal(incubator.snapshot().state, "STANDBY");
  });
});
