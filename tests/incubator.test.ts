import assert from "node:assert/strict";
import type { IncubatorEvent } from "../src/core/api";
import type { PersistedSettings } from "../src/core/incubator";
import { toyIncubator } from "./support/toy-incubator";
import { TEST_ORIGIN } from "./support/origin";

describe("Incubator core", () => {
  it("stays in STANDBY with the heater and humidifier off, monitoring on", async () => {
    const { incubator, run } = toyIncubator();
    incubator.start();
    run(30);
    const s = incubator.snapshot();
    assert.equal(s.state, "STANDBY");
    assert.equal(s.heaterPercent, 0);
    assert.equal(s.humidifierOn, false);
    assert.equal(s.air !== null && Math.abs(s.air - 25) < 0.01, true);
    assert.equal(s.seq, 31); // ticks at 0 s … 30 s
    assert.ok(Object.isFrozen(s));
  });

  it("warms up, reaches OPERATING and holds the air setpoint", async () => {
    const { incubator, run, plant } = toyIncubator();
    const changes: string[] = [];
    incubator.subscribe((e) => { if (e.type === "state_change") changes.push(`${e.previous}->${e.next}`); });
    incubator.start();
    assert.equal((await incubator.execute("set_state", { state: "start" }, TEST_ORIGIN)).success, true);
    run(3 * 3600);
    assert.deepEqual(changes, ["STANDBY->PREHEATING", "PREHEATING->OPERATING"]);
    assert.ok(Math.abs(plant.air - 36) < 0.2, `air ${plant.air}`);
  });

  it("validates commands and changes nothing when refusing", async () => {
    const { incubator } = toyIncubator();
    incubator.start();
    const before = incubator.snapshot().setpoints;
    const cases: Array<[string, unknown, number, RegExp]> = [
      ["set_temperature", { setpoint: 37.5 }, 4002, /override/],
      ["set_temperature", { setpoint: 39.5, override: true }, 4002, /20–39/],
      ["set_temperature", { setpoint: "36" }, 4002, /must be a number/],
      ["set_temperature", {}, 4002, /missing/],
      ["set_humidity", { setpoint: 90 }, 4002, /30–85/],
      ["set_mode", { mode: "auto" }, 4002, /"air" or "skin"/],
      ["set_state", { state: "go" }, 4002, /start, stop, standby, reset/],
      ["make_coffee", {}, 4001, /unknown action/],
    ];
    for (const [action, data, code, message] of cases) {
      const r = await incubator.execute(action, data, TEST_ORIGIN);
      assert.equal(r.success, false, action);
      if (!r.success) {
        assert.equal(r.code, code, `${action} ${JSON.stringify(data)}`);
        assert.match(r.message, message);
      }
    }
    assert.deepEqual(incubator.snapshot().setpoints, before);
  });

  it("accepts the override range and sets the skin setpoint in skin mode", async () => {
    const { incubator } = toyIncubator();
    assert.equal((await incubator.execute("set_temperature", { setpoint: 38.5, override: true }, TEST_ORIGIN)).success, true);
    assert.equal((await incubator.execute("set_mode", { mode: "skin" }, TEST_ORIGIN)).success, true);
    assert.equal((await incubator.execute("set_temperature", { setpoint: 36.9 }, TEST_ORIGIN)).success, true);
    assert.equal((await incubator.execute("set_temperature", { setpoint: 34 }, TEST_ORIGIN)).success, false);
    incubator.start();
    const s = incubator.snapshot();
    assert.deepEqual(s.setpoints, { air: 38.5, skin: 36.9, humidity: 60, override: true });
  });

  it("persists every accepted setting and resumes therapy after a reboot", async () => {
    let saved: PersistedSettings | undefined;
    const first = toyIncubator({ persist: (s) => { saved = s; } });
    first.incubator.start();
    first.incubator.execute("set_temperature", { setpoint: 35.5 }, TEST_ORIGIN);
    first.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
    assert.deepEqual(saved, { setpoints: { air: 35.5, skin: 36.5, humidity: 60, override: false }, mode: "air", therapyActive: true });

    const events: IncubatorEvent[] = [];
    const second = toyIncubator({ settings: saved });
    second.incubator.subscribe((e) => events.push(e));
    second.incubator.start();
    second.run(1);
    assert.equal(second.incubator.resumedAfterReboot, true);
    assert.equal(second.incubator.snapshot().state, "PREHEATING");
    assert.ok(second.incubator.snapshot().heaterPercent > 0);
    assert.equal(events.find((e) => e.type === "state_change")?.type, "state_change");
  });

  it("falls back to air control at 36.0 °C when the skin probe fails in skin mode", async () => {
    const { incubator, run, plant } = toyIncubator();
    incubator.execute("set_mode", { mode: "skin" }, TEST_ORIGIN);
    incubator.start();
    incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
    run(600);
    plant.faults.skin = () => ({ value: null, atMs: null, fault: "absent", detail: "no presence pulse" });
    run(2 * 3600);
    const s = incubator.snapshot();
    assert.equal(s.mode, "skin");
    assert.equal(s.effectiveMode, "air");
    assert.equal(s.skin, null);
    assert.ok(Math.abs(plant.air - 36.0) < 0.3, `air ${plant.air}`);
  });

  it("keeps the heater off without a valid air or cut-out reading", async () => {
    for (const channel of ["air", "probeAir"] as const) {
      const { incubator, run, plant } = toyIncubator();
      incubator.start();
      incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
      run(60);
      assert.ok(incubator.snapshot().heaterPercent > 0);
      plant.faults[channel] = () => ({ value: null, atMs: null, fault: "crc", detail: "CRC mismatch" });
      run(1);
      assert.equal(incubator.snapshot().heaterPercent, 0, channel);
    }
  });

  it("a listener that throws does not stop the tick", async () => {
    const errors: unknown[] = [];
    const { incubator, run } = toyIncubator({ onError: (e) => errors.push(e) });
    incubator.subscribe(() => { throw new Error("bad listener"); });
    incubator.start();
    run(5);
    assert.equal(incubator.snapshot().seq, 6);
    assert.equal(errors.length, 6);
  });
});
