// The variable feed's publisher (values kept, objects written by concatenation, alarm
// variables added and deleted as alarms come and go) against the implementation it
// replaced (every variable object built afresh each tick, diffed dictdiffer-style,
// JSON.stringify'd; host-sim/bench/baseline): the same messages byte for byte, and the
// same refresh replies, every tick of long runs.
import assert from "node:assert/strict";
import type { AlarmInfo, CommandResult, IncubatorApi, Snapshot } from "../../src/core/api";
import { VariablePublisher } from "../../src/protocol/indigo/variable-publisher";
import { BaselinePublisher } from "../../host-sim/bench/baseline/indigo-publisher";
import { buildBaselineVariables } from "../../host-sim/bench/baseline/indigo-variables";
import { toyIncubator } from "../support/toy-incubator";
import { TEST_ORIGIN } from "../support/origin";
import { FakeIncubator, mulberry32 } from "./fake-incubator";

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Both publishers on the same snapshots; counts what the messages covered. */
class Differential {
  readonly current = new VariablePublisher();
  readonly baseline = new BaselinePublisher({ objectType: "indigo.Variable", build: buildBaselineVariables, stampChanges: false });
  readonly seen = new Map<string, number>();

  check(s: Snapshot, label: string): void {
    const expected = this.baseline.update(s);
    const actual = this.current.update(s).slice();
    assert.deepEqual(actual, expected, `${label}: messages`);
    const list = this.baseline.list();
    assert.equal(this.current.refreshMessage(undefined), JSON.stringify({ message: "refresh", objectType: "indigo.Variable", list }), `${label}: refresh`);
    // A second update on the same snapshot sends nothing.
    assert.deepEqual(this.current.update(s).slice(), this.baseline.update(s), `${label}: same snapshot again`);
    for (const m of expected) {
      const parsed = JSON.parse(m);
      if (parsed.message !== "patch") this.count(parsed.message);
      else for (const [, path] of parsed.patch) this.count(`patch ${path}${String(list.find((o) => o.id === parsed.objectId)?.name).startsWith("alarm_") ? " (alarm)" : ""}`);
    }
    const codes = s.alarms.filter((a) => a.active).map((a) => a.code);
    if (new Set(codes).size < codes.length) this.count("a code active twice");
    if (expected.length > 1 && expected.some((m) => m.includes('"message":"add"')) && expected.some((m) => m.includes('"message":"delete"'))) this.count("add and delete in one tick");
  }

  /** Single-object replies and the tracking id, for one fixed and (when there is one) one alarm variable. */
  checkObjects(label: string): void {
    const list = this.baseline.list();
    const picks = [list[0], list[list.length - 1]];
    for (const id of [undefined, null, "t-1", 7, { a: [1, "x"] }]) {
      const body: Record<string, unknown> = { message: "refresh", objectType: "indigo.Variable", list };
      if (id !== undefined) body.id = id;
      assert.equal(this.current.refreshMessage(id), JSON.stringify(body), `${label}: refresh with id ${JSON.stringify(id)}`);
      for (const obj of picks) {
        // As the feed's refresh by id did: the first object of that id (a code active twice is one id).
        const one: Record<string, unknown> = { message: "refresh", objectType: "indigo.Variable", objectDict: list.find((o) => o.id === obj.id)! };
        if (id !== undefined) one.id = id;
        assert.equal(this.current.objectMessage(obj.id as number, id), JSON.stringify(one), `${label}: object ${obj.name}`);
      }
    }
    assert.equal(this.current.objectMessage(12345, undefined), null);
  }

  private count(what: string): void {
    this.seen.set(what, (this.seen.get(what) ?? 0) + 1);
  }

  expectSeen(label: string, whats: readonly string[]): void {
    for (const what of whats) assert.ok((this.seen.get(what) ?? 0) > 0, `${label}: the run had ${what} (${JSON.stringify([...this.seen])})`);
  }
}

/** The fake's snapshot with its alarms stirred: order shuffled, messages reworded, inactive entries mixed in. */
function stirred(s: Snapshot, random: () => number): Snapshot {
  if (random() > 0.3 && (s.seq >> 6) % 3 !== 0) return s;
  const alarms: AlarmInfo[] = s.alarms.map((a) => (random() < 0.2 ? { ...a, message: `${a.code} at ${Math.round(random() * 100)}` } : a));
  for (let i = alarms.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [alarms[i], alarms[j]] = [alarms[j], alarms[i]];
  }
  if (alarms.length > 0 && random() < 0.3) alarms.splice(Math.floor(random() * alarms.length), 0, { ...alarms[0], code: "OVERTEMP", active: false });
  // A code active twice (the core raises SENSOR_FAULT once per sensor), for a while.
  if (alarms.length > 0 && (s.seq >> 6) % 3 === 0) alarms.splice(Math.floor(random() * alarms.length), 0, { ...alarms[0], id: alarms[0].id + 500, message: `${alarms[0].code} again` });
  if (alarms.length > 0 && random() < 0.1) alarms[0] = { ...alarms[0], id: alarms[0].id + 1000, level: "CRITICAL", priority: "high" };
  return Object.freeze({ ...s, alarms: Object.freeze(alarms) });
}

function runFake(seed: number, ticks: number): void {
  const core = new FakeIncubator(seed);
  const random = mulberry32(seed ^ 0x7a71);
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
    else if (r < 0.04) void core.execute("acknowledge_all", {}, origin);
    else if (r < 0.043) core.forceState("FAULT");
    else if (r < 0.045) void core.execute("set_state", { state: "reset" }, origin);
    const churn = t % 1000 < 500 ? 0.02 : 0.2;
    d.check(stirred(core.step(250 * (1 + Math.floor(random() * 8)), churn), random), `seed ${seed} tick ${t}`);
    if (t % 97 === 0) d.checkObjects(`seed ${seed} tick ${t}`);
  }
  d.expectSeen(`seed ${seed}`, ["add", "delete", "add and delete in one tick", "patch value", "patch value (alarm)", "patch description (alarm)", "a code active twice"]);
}

describe("variable publisher against the build-and-diff baseline", () => {
  it("sends the same bytes on the fake core: alarms raised, cleared, reordered, reworded, acknowledged; readings, dropouts, modes, setpoints", () => {
    const seed = Number(process.env.INDIGO_DIFF_SEED ?? (Date.now() % 2 ** 30));
    console.log(`      variable publisher differential seed ${seed} (INDIGO_DIFF_SEED=${seed} to repeat)`);
    for (const s of [1, 7, seed]) runFake(s, 6000);
  });

  it("sends the same bytes on the real core: warm-up, operating, sensor faults, alarms raised, acknowledged and cleared, setpoints, modes", async () => {
    const toy = toyIncubator();
    const api: IncubatorApi = toy.incubator;
    const d = new Differential();
    toy.incubator.start();
    const tick = (seconds: number, label: string) => {
      for (let i = 0; i < seconds; i++) {
        toy.run(1);
        d.check(api.snapshot(), `${label} +${i + 1}s`);
      }
      d.checkObjects(label);
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
    if (api.snapshot().state === "FAULT") await command("set_state", { state: "reset" });
    tick(30, "after reset");
    await command("set_state", { state: "standby" });
    tick(600, "standby, cooling");
    d.expectSeen("real core", ["add", "delete", "patch value", "patch description (alarm)", "a code active twice"]);
  });
});
