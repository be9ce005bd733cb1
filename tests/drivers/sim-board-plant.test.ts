import assert from "node:assert/strict";
import { SwitchedHeatPermit } from "../../drivers/heater";
import { applyFault, parseFaultSpec } from "../../host-sim/faults";
import { IncubatorPlant } from "../../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../host-sim/plant/params";
import { SimBoard } from "../../host-sim/sim-board";
import { SimTime } from "../../host-sim/sim-time";

describe("the simulated board on the incubator model", () => {
  it("reads the plant through the chips while its outputs drive the plant", () => {
    const time = new SimTime();
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const permit = new SwitchedHeatPermit();
    permit.set(true);
    const board = new SimBoard({ plant, clock: time, heatPermit: permit, seed: 9 });
    const start = plant.state.airC;
    let frame = board.sensors.sample(time.now());
    for (let s = 0; s < 600; s++) {
      board.actuators.apply({ heaterDuty: 0.6, fanDuty: 0.6, humidifierOn: true }, time.now());
      plant.step(1, board.outputs);
      time.advance(1000);
      frame = board.sensors.sample(time.now());
    }
    const st = plant.state;
    assert.ok(st.airC > start + 2, `the heater warmed the air: ${start} -> ${st.airC}`);
    // Readings lag the plant by one tick (converted then, read now); the model moves slowly.
    assert.ok(Math.abs((frame.air.value ?? NaN) - st.airC) < 0.15, `air ${frame.air.value} vs ${st.airC}`);
    assert.ok(Math.abs((frame.probeAir.value ?? NaN) - st.outletAirC) < 0.2, `probe ${frame.probeAir.value} vs ${st.outletAirC}`);
    assert.ok(Math.abs((frame.skin.value ?? NaN) - st.skinC) < 0.15, `skin ${frame.skin.value} vs ${st.skinC}`);
    assert.ok(Math.abs((frame.humidity.value ?? NaN) - st.rh) < 1, `rh ${frame.humidity.value} vs ${st.rh}`);
    assert.ok(Math.abs((frame.fanRpm.value ?? NaN) - st.fanRpm) < 0.03 * st.fanRpm + 60, `rpm ${frame.fanRpm.value} vs ${st.fanRpm}`);

    const stop = parseFaultSpec("fan:stop");
    assert.ok(stop.ok);
    applyFault(board, stop.spec);
    board.actuators.apply({ heaterDuty: 0.6, fanDuty: 0.6, humidifierOn: true }, time.now());
    plant.step(1, board.outputs);
    time.advance(1000);
    assert.equal(board.sensors.sample(time.now()).fanRpm.value, 0);
    assert.equal(plant.state.fanRpm, 0);
  });
});
