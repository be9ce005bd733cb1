// The device feed's publisher (objects kept and patched in place, patches encoded by
// concatenation) against the implementation it replaced (every object built afresh each
// tick, diffed dictdiffer-style, JSON.stringify'd; host-sim/bench/baseline): the same
// messages byte for byte, and the same refresh list, every tick of long runs.
import assert from "node:assert/strict";
import type { CommandResult, IncubatorApi, Snapshot } from "../../src/core/api";
import { DevicePublisher } from "../../src/protocol/indigo/device-publisher";
import { pathJson, writeLeaf } from "../../src/protocol/indigo/patch-writer";
import { JsonText } from "../../src/protocol/json-text";
import { BaselinePublisher } from "../../host-sim/bench/baseline/indigo-publisher";
import { buildBaselineDevices } from "../../host-sim/bench/baseline/indigo-devices";
import { toyIncubator } from "../support/toy-incubator";
import { TEST_ORIGIN } from "../support/origin";
import { FakeIncubator, mulberry32 } from "./fake-incubator";

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Both publishers on the same snapshots; counts what the messages covered. */
class Differential {
  readonly current = new DevicePublisher();
  readonly baseline = new BaselinePublisher({ objectType: "indigo.Device", build: buildBaselineDevices, stampChanges: true });
  messages = 0;
  stampless = 0;
  readonly seen = new Set<string>();

  check(s: Snapshot, label: string): void {
    const expected = this.baseline.update(s);
    const actual = this.current.update(s).slice();
    assert.deepEqual(actual, expected, `${label}: patch messages`);
    assert.equal(this.current.refreshMessage(undefined), JSON.stringify({ message: "refresh", objectType: "indigo.Device", list: this.baseline.list() }), `${label}: refresh reply`);
    // A second update on the same snapshot sends nothing.
    assert.deepEqual(this.current.update(s).slice(), this.baseline.update(s), `${label}: same snapshot again`);
    for (const m of expected) {
      this.messages++;
      if (!m.includes('"lastChanged"')) this.stampless++;
      for (const [, path, [, value]] of JSON.parse(m).patch) this.seen.add(`${JSON.stringify(path)}=${value === null ? "null" : typeof value}`);
    }
  }
}

describe("device publisher against the build-and-diff baseline", () => {
  it("encodes dictdiffer paths as diff.ts does", () => {
    assert.equal(pathJson(null, "heatSetpoint"), '"heatSetpoint"');
    assert.equal(pathJson(null, "a.b"), '["a.b"]');
    assert.equal(pathJson("states", "setpointHeat"), '"states.setpointHeat"');
    assert.equal(pathJson("states", "sensorValue.ui"), '["states","sensorValue.ui"]');
    assert.equal(pathJson("temperatures", 2), '["temperatures",2]');
    assert.equal(pathJson("a.b", "c"), '["a.b","c"]');
    assert.equal(pathJson(null, 'q"'), JSON.stringify('q"'));
    assert.equal(pathJson("states", "é"), '"states.é"');
  });

  it("writes primitive leaves exactly as JSON.stringify does", () => {
    const values = [null, true, false, 0, -0, 1, -1.5, 36.57, 1e21, 1e-7, 2 ** 53, NaN, Infinity, -Infinity, "", "36.50 °C", 'a"b', "back\\slash", "tab\t", "\u0001", "\ud800", "\ud83d\ude00", "é€"];
    const leaf = (v: (typeof values)[number]): string => {
      const t = new JsonText(64).start();
      writeLeaf(t, v);
      return t.text();
    };
    for (const v of values) assert.equal(leaf(v), JSON.stringify(v), String(v));
  });

  it("sends the same bytes on the fake core: random readings, dropouts, alarms, FAULT, modes, setpoints, sub-second ticks", function () {
    // 18,000 ticks against the baseline: 5-25 s alone, over mocha's 60 s on a loaded host.
    this.timeout(300_000);
    const seed = Number(process.env.INDIGO_DIFF_SEED ?? (Date.now() % 2 ** 30));
    console.log(`      device publisher differential seed ${seed} (INDIGO_DIFF_SEED=${seed} to repeat)`);
    for (const s of [1, 7, seed]) runFake(s, 6000);
  });

  it("sends the same bytes on the real core: warm-up, operating, sensor faults, alarms, setpoint, mode and state changes", async () => {
    const toy = toyIncubator();
    const api: IncubatorApi = toy.incubator;
    const d = new Differential();
    toy.incubator.start();
    const tick = (seconds: number, label: string) => {
      for (let i = 0; i < seconds; i++) {
        toy.run(1);
        d.check(api.snapshot(), `${label} +${i + 1}s`);
      }
    };
    // A command's answer may wait for the settings store, which runs on simulated time: tick until it comes.
    const command = async (action: Parameters<IncubatorApi["execute"]>[0], data: unknown) => {
      let result: CommandResult | null = null;
      void api.execute(action, data, TEST_ORIGIN).then((r) => (result = r));
      for (let i = 0; i < 10; i++) {
        await settled();
        if (result !== null) break;
        tick(1, action);
      }
      const answer = result as CommandResult | null;
      assert.ok(answer?.success, `${action}: ${answer?.message ?? "no answer"}`);
    };
    d.check(api.snapshot(), "boot");
    tick(30, "standby");
    await command("set_state", { state: "start" });
    tick(1800, "warm-up");
    await command("set_temperature", { setpoint: 36.8 });
    tick(300, "operating");
    toy.plant.faults.skin = () => ({ value: null, atMs: null, fault: "absent", detail: "no presence pulse" });
    tick(60, "skin probe absent");
    delete toy.plant.faults.skin;
    tick(60, "skin probe back");
    await command("set_mode", { mode: "skin" });
    await command("set_temperature", { setpoint: 36.2 });
    tick(300, "skin mode");
    toy.plant.faults.skin = () => ({ value: null, atMs: null, fault: "crc", detail: "CRC mismatch" });
    tick(60, "skin mode, probe fault (falls back to air)");
    delete toy.plant.faults.skin;
    await command("set_mode", { mode: "air" });
    await command("set_humidity", { setpoint: 70 });
    tick(120, "air mode again");
    // Overheat: TEMP_HIGH and friends raised, acknowledged, cleared.
    toy.plant.roomC = 45;
    tick(900, "hot room");
    await command("acknowledge_all", {});
    tick(60, "acknowledged");
    toy.plant.roomC = 25;
    tick(1200, "room back");
    toy.plant.faults.air = () => ({ value: null, atMs: null, fault: "crc", detail: "CRC mismatch" });
    toy.plant.faults.probeAir = () => ({ value: null, atMs: null, fault: "crc", detail: "CRC mismatch" });
    tick(120, "air sensors lost");
    delete toy.plant.faults.air;
    delete toy.plant.faults.probeAir;
    tick(120, "air sensors back");
    const state = api.snapshot().state;
    if (state === "FAULT") await command("set_state", { state: "reset" });
    tick(30, "after reset");
    await command("set_state", { state: "standby" });
    tick(600, "standby, cooling");
    assert.ok(d.messages > 3000, `patches sent (${d.messages})`);
    for (const leaf of ['"errorState"=string', '"sensorValue"=null', '"states.activeAlarms"=string', '"states.controlMode"=string', '"states.setpointHumidity"=number', '"hvacMode"=string']) {
      assert.ok(d.seen.has(leaf), `the run changed ${leaf}`);
    }
  });
});

function runFake(seed: number, ticks: number): void {
  const core = new FakeIncubator(seed);
  const random = mulberry32(seed ^ 0x1d160);
  const d = new Differential();
  d.check(core.snapshot(), `seed ${seed} boot`);
  for (let t = 0; t < ticks; t++) {
    const r = random();
    const origin = TEST_ORIGIN;
    if (r < 0.01) void core.execute("set_state", { state: "start" }, origin);
    else if (r < 0.015) void core.execute("set_state", { state: "standby" }, origin);
    else if (r < 0.02) void core.execute("set_mode", { mode: random() < 0.5 ? "air" : "skin" }, origin);
    else if (r < 0.025) void core.execute("set_humidity", { setpoint: Math.round(30 + random() * 55) }, origin);
    else if (r < 0.03) void core.execute("set_temperature", { setpoint: 35 + Math.round(random() * 20) / 10, override: random() < 0.3 }, origin);
    else if (r < 0.035) void core.execute("acknowledge_all", {}, origin);
    else if (r < 0.038) core.forceState("FAULT");
    else if (r < 0.04) void core.execute("set_state", { state: "reset" }, origin);
    // Ticks of a quarter to two seconds: some land in the second of the previous stamp.
    const ms = 250 * (1 + Math.floor(random() * 8));
    const churn = t % 1000 < 500 ? 0.01 : 0.1;
    d.check(core.step(ms, churn), `seed ${seed} tick ${t}`);
  }
  assert.ok(d.messages > ticks, `seed ${seed}: patches sent (${d.messages})`);
  assert.ok(d.stampless > 0, `seed ${seed}: some patches fell in the same second as the previous stamp`);
  for (const leaf of ['"errorState"=string', '"displayStateValRaw"=null', '["states","sensorValue.ui"]=string', '["temperatures",1]=null', '"states.activeAlarms"=string']) {
    assert.ok(d.seen.has(leaf), `seed ${seed}: the run changed ${leaf}`);
  }
}
