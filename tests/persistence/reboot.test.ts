// Reboots of the firmware on the host's store, the way `npm start` boots it (host-storage.ts:
// A/B record files beside the state file), for each way issue 11 found settings lost: a power
// cut inside a save, a failed write reported as success, a corrupt store.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CommandResult, IncubatorEvent } from "../../src/core/api";
import { API_KEY_RECORD, persistAlarmHistoryTo, persistSettingsTo } from "../../src/core/boot-records";
import { SETTINGS_RETRY_MS } from "../../src/core/settings-keeper";
import { StorageHealth } from "../../src/core/storage-health";
import { NODE_FILE_OPS, type FileOps } from "../../host-sim/file-store";
import { openHostStorage } from "../../host-sim/host-storage";
import { PowerCutFiles } from "../support/power-cut-files";
import { toyIncubator } from "../support/toy-incubator";
import { TEST_ORIGIN } from "../support/origin";

const tick = () => new Promise((r) => setImmediate(r));
/** Lets the store's queued writes run (one slot write per turn). */
const settled = async () => { for (let i = 0; i < 8; i++) await tick(); };

/** Boots the firmware on `file` the way host-sim does. */
function boot(file: string, ops: FileOps = NODE_FILE_OPS) {
  const health = new StorageHealth();
  const storage = openHostStorage({ stateFile: file, health, ops });
  const toy = toyIncubator({
    settings: storage.boot.settings,
    settingsLost: storage.boot.settingsLost,
    storage: health,
    persist: persistSettingsTo(storage.records),
    alarmHistory: storage.boot.alarmHistory,
    persistAlarmHistory: (encoded) => persistAlarmHistoryTo(storage.records, { after: () => ({ cancel() {} }) })(encoded),
  });
  const events: IncubatorEvent[] = [];
  toy.incubator.subscribe((e) => events.push(e));
  toy.incubator.start();
  const cmd = async (action: string, data: unknown): Promise<CommandResult> => toy.incubator.execute(action, data, TEST_ORIGIN);
  return { ...toy, storage, health, events, cmd };
}

describe("reboots on the host store", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "incunest-reboot-"));
    file = path.join(dir, "state.json");
  });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it("resumes the saved therapy within one tick, with the saved setpoints and mode; POWER_FAILURE", async () => {
    const first = boot(file);
    assert.equal((await first.cmd("set_temperature", { setpoint: 35.5 })).success, true);
    assert.equal((await first.cmd("set_humidity", { setpoint: 65 })).success, true);
    assert.equal((await first.cmd("set_state", { state: "start" })).success, true);
    first.run(1800);
    assert.equal(first.incubator.snapshot().state, "OPERATING");
    await settled();
    // Power cut: nothing is stopped or flushed; the next boot sees only the files.
    const second = boot(file);
    assert.equal(second.storage.boot.settings?.therapyActive, true);
    assert.equal(second.incubator.resumedAfterReboot, true);
    second.run(3);
    const s = second.incubator.snapshot();
    assert.equal(s.state, "PREHEATING");
    assert.equal(s.setpoints.air, 35.5);
    assert.equal(s.setpoints.humidity, 65);
    assert.ok(s.heaterPercent > 0, "heating again within seconds of the reboot (once the fan is proven)");
    assert.ok(s.alarms.some((a) => a.code === "POWER_FAILURE" && a.active));
    await settled();
    assert.ok(boot(file).incubator.alarmHistory().some((a) => a.code === "POWER_FAILURE"), "in the saved history");
  });

  it("a power cut at any step of a setpoint change resumes the acknowledged setpoint, never a mix (issue: 36.0 °C resumed after 35.0 °C was acknowledged)", async () => {
    const base = boot(file);
    assert.equal((await base.cmd("set_temperature", { setpoint: 36.0 })).success, true);
    assert.equal((await base.cmd("set_state", { state: "start" })).success, true);
    const seen = new Set<string>();
    for (let cutAt = 1; cutAt < 60; cutAt++) {
      const sub = path.join(dir, `cut-${cutAt}`);
      fs.mkdirSync(sub);
      for (const f of fs.readdirSync(dir)) if (f.startsWith("state.")) fs.copyFileSync(path.join(dir, f), path.join(sub, f));
      const ops = new PowerCutFiles(cutAt);
      const dying = boot(path.join(sub, "state.json"), ops);
      const steps = ops.steps;
      const reply = await dying.cmd("set_temperature", { setpoint: 35.0 });
      const after = boot(path.join(sub, "state.json")).incubator.snapshot().setpoints;
      if (reply.success) assert.equal(after.air, 35.0, `cut at ${cutAt}: acknowledged 35.0, resumed ${after.air}`);
      else {
        assert.equal(reply.code, 5000);
        assert.ok(after.air === 36.0 || after.air === 35.0, `cut at ${cutAt}: ${after.air}`);
      }
      assert.equal(after.override, false, "never the raised cut-out limit at 36 °C");
      seen.add(reply.success ? "acknowledged" : `refused, resumed ${after.air}`);
      if (!ops.dead) {
        assert.ok(cutAt > steps, "the sweep reached past the save");
        break;
      }
    }
    assert.ok(seen.has("acknowledged") && seen.has("refused, resumed 36"), [...seen].join(", "));
  });

  it("a failed write answers an error with the reason, keeps the previous value and raises STORAGE_FAULT until the store writes again (issue: success reported, nothing saved)", async () => {
    let exhausted = false;
    const ops: FileOps = {
      ...NODE_FILE_OPS,
      openSync: (f, flags, mode) => {
        if (exhausted && flags !== "r") throw Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" });
        return fs.openSync(f, flags, mode);
      },
    };
    const b = boot(file, ops);
    await settled();
    exhausted = true;
    const reply = await b.cmd("set_temperature", { setpoint: 34.0 });
    assert.equal(reply.success, false);
    assert.equal(reply.success === false && reply.code, 5000);
    assert.match(reply.message, /not stored \(could not write file state\.settings\.b: EMFILE: too many open files\); the air setpoint stays 36\.0 °C/);
    assert.equal(b.incubator.snapshot().setpoints.air, 36.0, "the previous value stays in force");
    b.run(1);
    const alarm = b.incubator.snapshot().alarms.find((a) => a.code === "STORAGE_FAULT");
    assert.ok(alarm?.active, "STORAGE_FAULT raised");
    assert.match(alarm.message, /Storage fault: settings cannot be written/);
    assert.ok(b.events.some((e) => e.type === "log" && /storage: settings failing: could not write .*EMFILE/.test(e.text)), "the reason is in the log");
    assert.equal(boot(file).incubator.snapshot().setpoints.air, 36.0);
    exhausted = false;
    b.run(SETTINGS_RETRY_MS / 1000); // the keeper writes the settings in force again
    await settled();
    b.run(1);
    assert.equal(b.incubator.snapshot().alarms.find((a) => a.code === "STORAGE_FAULT"), undefined, "cleared once the store writes again");
    assert.equal((await b.cmd("set_temperature", { setpoint: 34.0 })).success, true);
    assert.equal(boot(file).incubator.snapshot().setpoints.air, 34.0);
  });

  it("corrupt settings: STANDBY with safe defaults, the same API key, every corrupt copy kept, SETTINGS_LOST until acknowledged (issue: silent loss of therapy)", async () => {
    const first = boot(file);
    await first.storage.records.save(API_KEY_RECORD, "the-key-0123");
    assert.equal((await first.cmd("set_temperature", { setpoint: 34.5 })).success, true);
    assert.equal((await first.cmd("set_state", { state: "start" })).success, true);
    for (const slot of ["a", "b"]) fs.writeFileSync(path.join(dir, `state.settings.${slot}`), "\u0000\u0000garbage");
    const b = boot(file);
    assert.equal(b.storage.boot.settingsLost, "corrupt");
    assert.equal(b.storage.boot.apiKey, "the-key-0123", "the API key lives in a record of its own");
    b.run(3);
    const s = b.incubator.snapshot();
    assert.equal(s.state, "STANDBY");
    assert.equal(s.heaterPercent, 0);
    assert.equal(s.setpoints.air, 36.0);
    const lost = s.alarms.find((a) => a.code === "SETTINGS_LOST");
    assert.ok(lost?.active && lost.level === "WARNING" && lost.priority === "medium", "SETTINGS_LOST raised");
    assert.match(lost.message, /unreadable at start; STANDBY with safe defaults/);
    assert.ok(fs.existsSync(path.join(dir, "state.settings.a.corrupt-1")) && fs.existsSync(path.join(dir, "state.settings.b.corrupt-1")));
    await settled();
    // Not acknowledged, and the power goes again: still shown.
    const again = boot(file);
    assert.equal(again.storage.boot.settingsLost, null, "the safe defaults were stored");
    again.run(2);
    const still = again.incubator.snapshot().alarms.find((a) => a.code === "SETTINGS_LOST");
    assert.ok(still?.active, "SETTINGS_LOST survives a reboot until acknowledged");
    assert.equal((await again.cmd("acknowledge_alarm", { alarm_id: still.id })).success, true);
    assert.equal(again.incubator.snapshot().alarms.find((a) => a.code === "SETTINGS_LOST"), undefined);
    // A second corruption keeps a second copy; the first is never replaced.
    await settled();
    fs.writeFileSync(path.join(dir, "state.settings.a"), "second garbage");
    fs.writeFileSync(path.join(dir, "state.settings.b"), "second garbage b");
    assert.equal(boot(file).storage.boot.settingsLost, "corrupt");
    assert.equal(fs.readFileSync(path.join(dir, "state.settings.a.corrupt-1"), "latin1"), "\u0000\u0000garbage");
    assert.equal(fs.readFileSync(path.join(dir, "state.settings.a.corrupt-2"), "utf8"), "second garbage");
  });

  it("settings gone while other records remain: SETTINGS_LOST (missing); a first start has none", async () => {
    const first = boot(file);
    await first.storage.records.save(API_KEY_RECORD, "the-key-0123");
    await settled();
    assert.equal(first.storage.boot.settingsLost, null, "first start: no alarm");
    assert.ok(!first.incubator.snapshot().alarms.some((a) => a.code === "SETTINGS_LOST"));
    for (const slot of ["a", "b"]) fs.rmSync(path.join(dir, `state.settings.${slot}`), { force: true });
    const b = boot(file);
    assert.equal(b.storage.boot.settingsLost, "missing");
    b.run(1);
    assert.match(b.incubator.snapshot().alarms.find((a) => a.code === "SETTINGS_LOST")?.message ?? "", /were missing at start/);
  });

  it("a UTF-8 byte order mark in front of a record or the state file is not corruption", async () => {
    const first = boot(file);
    assert.equal((await first.cmd("set_temperature", { setpoint: 33.3 })).success, true);
    await settled();
    const slotFile = ["a", "b"].map((s) => path.join(dir, `state.settings.${s}`)).find((f) => fs.readFileSync(f, "utf8").includes("3330"))!;
    fs.writeFileSync(slotFile, `\ufeff${fs.readFileSync(slotFile, "utf8")}`);
    fs.writeFileSync(file, `\ufeff${JSON.stringify({ kind: "incunest-host-state", version: 1, stoppedAtMs: Date.now(), simEpochMs: Date.now(), plant: {} })}`);
    const b = boot(file);
    assert.equal(b.storage.boot.settingsLost, null);
    assert.equal(b.incubator.snapshot().setpoints.air, 33.3);
    assert.ok(!b.storage.notes.some((n) => /corrupt|set aside/.test(n)), b.storage.notes.join("|"));
  });

  it("an upgrade from the flat key-value state file keeps the settings, the key and the history; override follows the setpoint", async () => {
    fs.writeFileSync(file, JSON.stringify({ v: 1, air: 3600, skin: 3650, humidity: 5500, override: 1, mode: 0, therapy: 1, apiKey: "old-key-4567" }));
    const b = boot(file);
    assert.equal(b.storage.boot.apiKey, "old-key-4567");
    assert.equal(b.storage.boot.settings?.setpoints.humidity, 55);
    assert.equal(b.storage.boot.settings?.setpoints.override, false, "override: 1 at 36.0 °C is not taken");
    assert.equal(b.storage.boot.settings?.therapyActive, true);
    assert.ok(fs.existsSync(`${file}.legacy-1`), "the old file is kept");
    await settled();
    assert.match(fs.readFileSync(path.join(dir, "state.settings.a"), "utf8"), /"humidity":5500/);
  });
});
