import assert from "node:assert/strict";
import { FAN } from "../../src/core/control-config";
import { FanPolicy } from "../../src/core/fan-policy";

describe("fan policy", () => {
  it("runs at its floor with the heater alone, up to its ceiling on a boost, and runs on after heating stops", () => {
    const fan = new FanPolicy();
    assert.equal(fan.duty(0, true, 0), FAN.floor);
    assert.equal(fan.duty(1, true, 1), FAN.ceiling);
    assert.ok(Math.abs(fan.duty(2, true, 0.5) - (FAN.floor + FAN.ceiling) / 2) < 1e-12);
    assert.equal(fan.duty(3, true, 7), FAN.ceiling);
    assert.equal(fan.duty(4, true, -1), FAN.floor);
    assert.equal(fan.duty(5, false, 1), FAN.floor, "run-on");
    assert.equal(fan.duty(5 + FAN.runOnS, false, 1), 0);
    assert.equal(new FanPolicy().duty(0, false, 0), 0, "never heated: off");
  });
});
