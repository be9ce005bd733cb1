// SETTINGS_LOST and STORAGE_FAULT as clients see them: on /ws (alarm messages, the command's
// refusal with code 5000) and on the Indigo feeds (a variable per active alarm, the log),
// from the simulated incubator booted on a corrupt host store, over real sockets.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WebSocket } from "ws";
import { persistAlarmHistoryTo, persistSettingsTo } from "../../src/core/boot-records";
import { StorageHealth } from "../../src/core/storage-health";
import { NODE_FILE_OPS, type FileOps } from "../../host-sim/file-store";
import { openHostStorage } from "../../host-sim/host-storage";
import { SimTime } from "../../host-sim/sim-time";
import { SimulatedIncubator } from "../../host-sim/simulated-incubator";
import { startServer } from "../../host-sim/server";
import { TestClient } from "../support/ws-fixture";

const KEY = "storage-alarm-key-1";

async function feedMessages(url: string, first: unknown, count: number): Promise<any[]> {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${KEY}` } });
  const got: any[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on("open", () => { if (first) ws.send(JSON.stringify(first)); });
    ws.on("message", (d) => { got.push(JSON.parse(d.toString())); if (got.length >= count) resolve(); });
    ws.on("error", reject);
    setTimeout(resolve, 3000).unref();
  });
  ws.close();
  return got;
}

describe("storage alarms on every interface", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "incunest-ifaces-")); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it("SETTINGS_LOST after a corrupt store and STORAGE_FAULT while writes fail reach /ws and the Indigo feeds", async function () {
    this.timeout(60_000);
    const file = path.join(dir, "state.json");
    // A store whose settings record is garbage in both slots.
    for (const s of ["a", "b"]) fs.writeFileSync(path.join(dir, `state.settings.${s}`), `garbage ${s}`);
    fs.writeFileSync(path.join(dir, "state.apikey.a"), "");
    let failing = false;
    const ops: FileOps = { ...NODE_FILE_OPS, openSync: (f, flags, mode) => { if (failing && flags !== "r") throw new Error("EROFS: read-only file system"); return fs.openSync(f, flags, mode); } };
    const health = new StorageHealth();
    const storage = openHostStorage({ stateFile: file, health, ops });
    assert.equal(storage.boot.settingsLost, "corrupt");
    const time = new SimTime();
    const sim = new SimulatedIncubator({
      time,
      settings: storage.boot.settings,
      settingsLost: storage.boot.settingsLost,
      storage: health,
      persist: persistSettingsTo(storage.records),
      alarmHistory: storage.boot.alarmHistory,
      persistAlarmHistory: persistAlarmHistoryTo(storage.records, time),
    });
    // As npm start does: the server (with the Indigo log ring) is up before the core starts.
    const server = await startServer({ api: sim.incubator, host: "127.0.0.1", port: 0, apiKey: KEY, clock: time, timers: time, wall: time, closeGraceMs: 200, log: () => {} });
    sim.incubator.start();
    const base = `ws://127.0.0.1:${server.port}`;
    try {
      time.advance(2000);
      const ws = await TestClient.connect(`${base}/ws?api-key=${KEY}`);
      ws.send({ type: "subscribe", channel: "all" });
      const lost = await ws.next((m) => m.type === "alarm" && m.data?.code === "SETTINGS_LOST");
      assert.equal(lost.data.active, true);
      assert.equal(lost.data.level, "WARNING");
      assert.match(lost.data.message, /Settings lost: the stored therapy settings were unreadable at start; STANDBY with safe defaults/);
      const state = await ws.next((m) => m.type === "state_change");
      assert.equal(state.data.new_state, "STANDBY", "safe defaults: not heating");

      // The store fails: the command says so with the reason, the previous value stays, STORAGE_FAULT.
      failing = true;
      const mark = ws.messages.length;
      ws.send({ type: "command", command_id: "c1", action: "set_temperature", data: { setpoint: 34 } });
      const reply = await ws.next((m) => m.type === "command_response", mark);
      assert.equal(reply.data.success, false);
      assert.equal(reply.data.code, 5000);
      assert.match(reply.data.message, /not stored \(could not write file state\.settings\.[ab]: EROFS: read-only file system\); the air setpoint stays 36\.0 °C/);
      time.advance(1000);
      const fault = await ws.next((m) => m.type === "alarm" && m.data?.code === "STORAGE_FAULT", mark);
      assert.equal(fault.data.active, true);
      assert.match(fault.data.message, /Storage fault: settings cannot be written/);

      // Indigo: one variable per active alarm, and the log replays both.
      const vars = await feedMessages(`${base}/v2/api/ws/variable-feed`, { message: "refresh", objectType: "indigo.Variable", id: "v" }, 1);
      const names = vars[0].list.map((v: { name: string }) => v.name);
      assert.ok(names.includes("alarm_SETTINGS_LOST") && names.includes("alarm_STORAGE_FAULT"), names.join(", "));
      const log = await feedMessages(`${base}/v2/api/ws/log-feed`, null, 25);
      const text = log.map((m) => m.objectDict?.message ?? "").join("\n");
      assert.match(text, /SETTINGS_LOST/);
      assert.match(text, /STORAGE_FAULT/);
      assert.match(text, /storage: settings failing: could not write file state\.settings\.[ab]: EROFS/);

      // Writes work again: the retry stores the settings in force and the fault clears on both.
      failing = false;
      const clearMark = ws.messages.length;
      time.advance(31_000);
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
      time.advance(1000);
      const cleared = await ws.next((m) => m.type === "alarm" && m.data?.code === "STORAGE_FAULT" && m.data.active === false, clearMark);
      assert.ok(cleared);
      ws.close();
    } finally {
      await server.close();
      sim.incubator.stop();
    }
  });
});
