import assert from "node:assert/strict";
import { StateMachine } from "../src/core/state-machine";

describe("StateMachine", () => {
  it("goes STANDBY → PREHEATING → OPERATING after 60 s within ±0.5 °C", () => {
    const m = new StateMachine();
    const start = m.request("start", true);
    assert.deepEqual(start, { ok: true, transition: { previous: "STANDBY", next: "PREHEATING", reason: "start requested" } });
    assert.equal(m.observe(0, 3), null);
    assert.equal(m.observe(10, 0.4), null);
    assert.equal(m.observe(69, -0.2), null);
    const t = m.observe(70, 0.1);
    assert.equal(t?.next, "OPERATING");
    assert.equal(m.steadyReached, true);
  });

  it("restarts the 60 s hold when the temperature leaves the band", () => {
    const m = new StateMachine();
    m.request("start", true);
    m.observe(0, 0.1);
    m.observe(50, 0.6); // out
    assert.equal(m.observe(51, 0.1), null);
    assert.equal(m.observe(110, 0.1), null);
    assert.equal(m.observe(111, 0.1)?.next, "OPERATING");
  });

  it("stop and standby both go to STANDBY; a repeated request changes nothing", () => {
    for (const req of ["stop", "standby"] as const) {
      const m = new StateMachine();
      m.request("start", true);
      assert.equal(m.request(req, true).ok, true);
      assert.equal(m.state, "STANDBY");
      assert.deepEqual(m.request(req, true), { ok: true, transition: null });
    }
  });

  it("leaves FAULT only by a reset once the cause is gone", () => {
    const m = new StateMachine();
    m.request("start", true);
    assert.equal(m.fault("cut-out")?.next, "FAULT");
    assert.equal(m.request("start", true).ok, false);
    assert.equal(m.request("stop", true).ok, false);
    const early = m.request("reset", false);
    assert.equal(early.ok, false);
    assert.equal(m.state, "FAULT");
    assert.equal(m.request("reset", true).ok, true);
    assert.equal(m.state, "STANDBY");
  });

  it("drops back to PREHEATING when the target is raised well above the temperature", () => {
    const m = new StateMachine();
    m.request("start", true);
    m.observe(0, 0);
    m.observe(60, 0);
    assert.equal(m.state, "OPERATING");
    assert.equal(m.retarget(0.3), null);
    assert.equal(m.state, "OPERATING");
    assert.equal(m.retarget(1.0)?.next, "PREHEATING");
    assert.equal(m.steadyReached, false);
  });
});
