import assert from "node:assert/strict";
import { Pid } from "../src/core/pid";

const config = { gains: { kp: 2, ki: 0.5, kd: 4 }, limits: { min: 0, max: 10 }, derivativeFilterS: 0 };

describe("Pid", () => {
  it("acts proportionally, integrates, and differentiates the measurement", () => {
    const pid = new Pid({ ...config, limits: { min: -10, max: 10 } });
    assert.equal(pid.update(5, 4, 1), 2 * 1 + 0.5); // P + I after one second of error 1
    // Measurement rises 0.5/s: D = −4·0.5 = −2; error 0.5 → P 1; I 0.5 + 0.25.
    assert.equal(pid.update(5, 4.5, 1), 1 + 0.75 - 2);
  });

  it("does not kick on a setpoint change (derivative on measurement)", () => {
    const pid = new Pid(config);
    pid.update(5, 4, 1);
    const before = pid.integralTerm;
    const out = pid.update(7, 4, 1);
    // Only P and I move: P = 2·3, I grows by 0.5·3.
    assert.equal(out, 6 + before + 1.5);
  });

  it("clamps the output and stops integrating into saturation (anti-windup)", () => {
    const pid = new Pid({ ...config, gains: { kp: 1, ki: 1, kd: 0 } });
    for (let i = 0; i < 100; i++) assert.ok(pid.update(100, 0, 1) <= 10);
    assert.equal(pid.output, 10);
    // The integral never exceeds the output span, so recovery is quick when the error flips.
    assert.ok(pid.integralTerm <= 10);
    let steps = 0;
    while (pid.update(0, 1, 1) > 0 && steps < 50) steps++;
    assert.ok(steps < 15, `took ${steps} steps to unwind`);
  });

  it("takes over bumplessly from an applied output", () => {
    const pid = new Pid(config);
    pid.track(3.7, 36, 35.5);
    // Same setpoint and measurement one second later: output moves only by the integral of the error.
    const out = pid.update(36, 35.5, 1);
    assert.ok(Math.abs(out - (3.7 + 0.5 * 0.5)) < 1e-12, `output ${out}`);
  });

  it("uses the measured elapsed time", () => {
    const a = new Pid({ ...config, gains: { kp: 0, ki: 1, kd: 0 } });
    const b = new Pid({ ...config, gains: { kp: 0, ki: 1, kd: 0 } });
    a.update(1, 0, 1);
    b.update(1, 0, 2.5);
    assert.equal(a.output, 1);
    assert.equal(b.output, 2.5);
  });
});
