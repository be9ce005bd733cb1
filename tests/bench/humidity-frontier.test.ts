// The humidity line of the bench that says what an on/off humidifier allows: fewer switches, more ripple.
import assert from "node:assert/strict";
import { rippleAtSwitches } from "../../host-sim/bench/humidity-frontier";
import { savedState } from "../../host-sim/bench/run-scenario";
import { SCENARIOS } from "../../host-sim/bench/scenarios";
import { tunePlant, TunedPidController } from "../../host-sim/bench/tuned-pid";
import { DEFAULT_PLANT_PARAMS } from "../../host-sim/plant/params";
import { FAN } from "../../src/core/control-config";

describe("bench: the humidity ripple at a switch count", () => {
  it("holds the setpoint on average and ripples more the fewer times the humidifier switches", function () {
    this.timeout(120_000);
    const spec = SCENARIOS.find((s) => s.id === "humidity");
    assert.ok(spec);
    const params = DEFAULT_PLANT_PARAMS;
    const state = savedState(spec, params, { name: "tuned", create: () => new TunedPidController(tunePlant(params)) });
    const often = rippleAtSwitches(params, state, 60, 36, FAN.floor, spec.observeS, 720);
    const seldom = rippleAtSwitches(params, state, 60, 36, FAN.floor, spec.observeS, 160);
    assert.ok(often && seldom);
    assert.equal(often.periodS, 30);
    assert.ok(often.duty > 0.1 && often.duty < 0.5, `duty ${often.duty}`);
    assert.ok(often.peakToPeak < 1, `720 switches: p-p ${often.peakToPeak}`);
    assert.ok(seldom.peakToPeak > 3 * often.peakToPeak && seldom.peakToPeak > 2, `160 switches: p-p ${seldom.peakToPeak} vs ${often.peakToPeak}`);
    assert.equal(rippleAtSwitches(params, state, 99, 36, FAN.floor, spec.observeS, 160), null, "99 %RH is out of the humidifier's reach");
  });
});
