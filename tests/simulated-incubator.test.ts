import assert from "node:assert/strict";
import { SimulatedIncubator } from "../host-sim/simulated-incubator";
import { SimTime } from "../host-sim/sim-time";
import { TEST_ORIGIN } from "./support/origin";

describe("SimulatedIncubator (core + drivers + simulated chips + plant)", () => {
  it("warms the model to the setpoint through the wire-level drivers and reaches OPERATING", async () => {
    const time = new SimTime();
    const sim = new SimulatedIncubator({ time });
    sim.incubator.start();
    assert.equal((await sim.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN)).success, true);
    time.advance(2.5 * 3600 * 1000);
    const s = sim.incubator.snapshot();
    assert.equal(s.state, "OPERATING");
    assert.ok(Math.abs(sim.plant.state.airC - 36) < 0.3, `true air ${sim.plant.state.airC}`);
    assert.ok(s.air !== null && Math.abs(s.air - sim.plant.state.airC) < 0.5, `measured ${s.air}`);
    assert.ok(s.skin !== null && s.probeAir !== null && s.humidity !== null && s.fanRpm !== null);
    assert.ok(sim.board && sim.board.heaterPwm.duty > 0);
  });

  it("the heater output stays at zero in STANDBY, whatever is commanded", async () => {
    const time = new SimTime();
    const sim = new SimulatedIncubator({ time });
    sim.incubator.start();
    time.advance(60_000);
    // Drive the actuator bank directly, as a buggy controller might.
    sim.hardware.actuators.apply({ heaterDuty: 1, fanDuty: 1, humidifierOn: false }, time.now());
    assert.equal(sim.board?.heaterPwm.duty, 0);
    assert.equal(sim.incubator.heatAllowed(), false);
  });
});
