import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { IncubatorEvent } from "../../src/core/api";
import { loadSettings, saveAlarmHistory, saveSettings } from "../../src/core/settings-codec";
import { FileSettingsStore } from "../../host-sim/file-store";
import { toyIncubator } from "../support/toy-incubator";
import { TEST_ORIGIN } from "../support/origin";

/** Boots an incubator the way host-sim and the device do: load, then persist every change. */
function boot(file: string) {
  const store = new FileSettingsStore(file);
  const loaded = loadSettings(store);
  const toy = toyIncubator({
    settings: loaded.settings,
    persist: (s) => saveSettings(store, s),
    alarmHistory: loaded.settings.alarmHistory,
    persistAlarmHistory: (encoded) => saveAlarmHistory(store, encoded),
  });
  const events: IncubatorEvent[] = [];
  toy.incubator.subscribe((e) => events.push(e));
  return { ...toy, loaded, events };
}

describe("reboot with therapy active", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "incunest-reboot-")); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it("resumes the saved therapy within one tick, with the saved setpoints and mode", async () => {
    const file = path.join(dir, "settings.json");
    const first = boot(file);
    first.incubator.start();
    assert.equal((await first.incubator.execute("set_temperature", { setpoint: 35.5 }, TEST_ORIGIN)).success, true);
    assert.equal((await first.incubator.execute("set_humidity", { setpoint: 65 }, TEST_ORIGIN)).success, true);
    assert.equal((await first.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN)).success, true);
    first.run(1800);
    assert.equal(first.incubator.snapshot().state, "OPERATING");
    // Power cut: nothing is stopped or flushed; the next boot sees only the file.
    const second = boot(file);
    assert.equal(second.loaded.settings.therapyActive, true, "the stored fact: therapy was active");
    assert.equal(second.incubator.resumedAfterReboot, true);
    second.incubator.start();
    second.run(1);
    const s = second.incubator.snapshot();
    assert.equal(s.state, "PREHEATING");
    assert.equal(s.setpoints.air, 35.5);
    assert.equal(s.setpoints.humidity, 65);
    assert.ok(s.heaterPercent > 0, "heating again at the first tick after the reboot");
    assert.ok(second.events.some((e) => e.type === "state_change" && e.next === "PREHEATING" && /reboot/.test(e.reason)));
    assert.ok(s.alarms.some((a) => a.code === "POWER_FAILURE" && a.active), `POWER_FAILURE raised: ${s.alarms.map((a) => a.code).join(",")}`);
    // The POWER_FAILURE occurrence is in the saved history: a third boot still lists it.
    const third = boot(file);
    assert.ok(third.incubator.alarmHistory().some((a) => a.code === "POWER_FAILURE"));
  });

  it("stays in STANDBY after a reboot when therapy had been stopped", async () => {
    const file = path.join(dir, "settings.json");
    const first = boot(file);
    first.incubator.start();
    first.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
    first.run(10);
    first.incubator.execute("set_state", { state: "standby" }, TEST_ORIGIN);
    const second = boot(file);
    assert.equal(second.incubator.resumedAfterReboot, false);
    second.incubator.start();
    second.run(5);
    assert.equal(second.incubator.snapshot().state, "STANDBY");
    assert.equal(second.incubator.snapshot().heaterPercent, 0);
    assert.ok(!second.incubator.snapshot().alarms.some((a) => a.code === "POWER_FAILURE"));
  });

  it("boots safely in STANDBY from a corrupt settings file", async () => {
    const file = path.join(dir, "settings.json");
    fs.writeFileSync(file, "\u0000\u0000garbage");
    const b = boot(file);
    assert.equal(b.incubator.resumedAfterReboot, false);
    assert.ok(b.loaded.problems.length > 0);
    b.incubator.start();
    b.run(3);
    assert.equal(b.incubator.snapshot().state, "STANDBY");
  });
});
