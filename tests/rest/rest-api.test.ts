import { strict as assert } from "node:assert";
import { ALARM_BITS } from "../../src/logs/alarm-bits";
import { TrendCursor } from "../../src/logs/trend-cursor";
import { MAX_BODY_BYTES } from "../../src/protocol/rest/request-input";
import { OpenApiContract } from "../support/openapi-contract";
import { restRig, type Answer, type RequestOptions } from "./rest-fixture";

const contract = new OpenApiContract();

/** The rig's call, with every answer checked against docs/openapi.yaml. */
function checkedRig(options?: Parameters<typeof restRig>[0]) {
  const rig = restRig(options);
  const unchecked = rig.call;
  const call = async (method: string, target: string, o?: RequestOptions): Promise<Answer> => {
    const answer = await unchecked(method, target, o);
    contract.check(method, target.split("?")[0], answer);
    return answer;
  };
  // Object.assign keeps the rig's getters live (a spread would copy their values).
  return Object.assign(rig, { call, unchecked });
}

describe("the REST API (HttpRoute.handle, every answer checked against docs/openapi.yaml)", function () {
  this.timeout(60_000);

  it("has an OpenAPI 3.1 document that is valid by the OpenAPI schema", async () => {
    const result = await OpenApiContract.validateDocument();
    assert.equal(result.version, "3.1");
    assert.ok(result.valid, JSON.stringify(result.errors, null, 1));
  });

  it("catches an answer the document does not describe (the check itself can fail)", async () => {
    const rig = checkedRig();
    const good = await rig.unchecked("GET", "/api/status");
    const tamper = (f: (data: any) => void) => {
      const json = JSON.parse(good.text);
      f(json.data);
      return { ...good, text: JSON.stringify(json) };
    };
    assert.throws(() => contract.check("GET", "/api/status", tamper((d) => (d.surprise = 1))), /must NOT have additional properties/);
    assert.throws(() => contract.check("GET", "/api/status", tamper((d) => (d.uptime = "1h"))), /must be integer/);
    assert.throws(() => contract.check("GET", "/api/status", tamper((d) => delete d.memory.heap_free)), /must have required property 'heap_free'/);
    assert.throws(() => contract.check("GET", "/api/status", { ...good, status: 418 }), /does not list/);
    assert.throws(() => contract.check("GET", "/api/status", { ...good, headers: { "Content-Type": "text/plain" } }), /content type/);
    rig.stop();
  });

  it("answers only paths under /api, and refuses a request without the key with 401 and a Basic challenge", async () => {
    const rig = checkedRig();
    assert.equal(rig.rest.handle({ method: "GET", path: "/ws", query: {}, headers: {}, body: "", remote: "x:1", authorized: true }), null);
    const denied = await rig.call("GET", "/api/status", { authorized: false });
    assert.equal(denied.status, 401);
    assert.equal(denied.json.success, false);
    assert.equal(denied.json.error.code, "UNAUTHORIZED");
    assert.match(denied.headers["WWW-Authenticate"], /^Basic realm="IncuNest"/);
    // Not under a documented path: only the error envelope can be checked.
    const unknown = await rig.unchecked("GET", "/api/nothing/here");
    assert.equal(unknown.status, 404);
    contract.checkError(unknown);
    const wrongMethod = await rig.unchecked("DELETE", "/api/config");
    assert.equal(wrongMethod.status, 405);
    contract.checkError(wrongMethod);
    assert.equal(wrongMethod.headers.Allow, "GET, POST");
    rig.stop();
  });

  it("serves the status with real memory figures and a growing uptime", async () => {
    const rig = checkedRig();
    rig.run(5);
    const first = (await rig.call("GET", "/api/status")).json.data;
    assert.equal(first.device_id, "INCUNEST_SIM");
    assert.equal(first.state, "STANDBY");
    assert.equal(first.memory.source, "node");
    assert.ok(first.memory.heap_free > 0 && first.memory.heap_total > first.memory.heap_free);
    rig.run(10);
    const second = (await rig.call("GET", "/api/status")).json.data;
    assert.equal(second.uptime - first.uptime, 10);
    rig.stop();
  });

  it("serves the latest readings, a missing one as value null and valid false", async () => {
    const rig = checkedRig();
    rig.run(5);
    let data = (await rig.call("GET", "/api/sensors")).json.data;
    const s = rig.sim.incubator.snapshot();
    assert.equal(data.temperature.ambient.value, Math.round(s.air! * 100) / 100);
    assert.deepEqual({ ...data.temperature.ambient, value: 0 }, { value: 0, unit: "celsius", sensor: "SHT31", valid: true });
    assert.equal(data.humidity.unit, "percent");
    rig.sim.board!.skinChip.faults.unplugged = true;
    rig.run(3);
    data = (await rig.call("GET", "/api/sensors")).json.data;
    assert.deepEqual(data.temperature.skin, { value: null, unit: "celsius", sensor: "DS18B20", valid: false });
    rig.stop();
  });

  it("sets the setpoints through the core, refusing bad values by field and changing nothing", async () => {
    const rig = checkedRig();
    const ok = await rig.call("POST", "/api/control/temperature", { body: { setpoint: 36.5 }, remote: "10.1.2.3:4567" });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json.data, { setpoint: 36.5, mode: "auto", control_mode: "air", override: false });
    assert.equal(rig.sim.incubator.snapshot().setpoints.air, 36.5);
    const refusals: Array<[string, unknown, number, string, RegExp]> = [
      ["/api/control/temperature", { setpoint: 38 }, 400, "setpoint", /outside 20–37 °C \(up to 39 °C needs "override": true\)/],
      ["/api/control/temperature", { setpoint: 19.9 }, 400, "setpoint", /outside/],
      ["/api/control/temperature", { setpoint: "36" }, 400, "setpoint", /setpoint must be a number, got the string "36"/],
      ["/api/control/temperature", {}, 400, "setpoint", /setpoint must be a number, got nothing/],
      ["/api/control/temperature", { setpoint: 36, mode: "manual", manual_power: 40 }, 400, "mode", /"manual" is not supported/],
      ["/api/control/temperature", { setpoint: 36, manual_power: 40 }, 400, "manual_power", /manual_power cannot be set/],
      ["/api/control/temperature", { setpoint: 36, override: "yes" }, 400, "override", /true or false/],
      ["/api/control/temperature", { setpoint: 36, setPoint: 36 }, 400, "setPoint", /unknown field "setPoint"/],
      ["/api/control/temperature", "{not json", 400, "body", /not JSON/],
      ["/api/control/temperature", "[36]", 400, "body", /must be a JSON object/],
      ["/api/control/temperature", JSON.stringify({ setpoint: 36, pad: "x".repeat(MAX_BODY_BYTES) }), 413, "body", /larger than 4096 bytes/],
      ["/api/control/humidity", { setpoint: 90 }, 400, "setpoint", /outside 30–85 %RH/],
      ["/api/control/humidity", { setpoint: 60, mode: "manual" }, 400, "mode", /"manual" is not supported/],
      ["/api/control/fan", { speed: 80 }, 400, "speed", /cannot be set/],
      ["/api/control/mode", { mode: "auto" }, 400, "mode", /must be one of "air", "skin"/],
      ["/api/control/state", { action: "boil" }, 400, "action", /must be one of/],
    ];
    for (const [path, body, status, field, message] of refusals) {
      const answer = await rig.call("POST", path, { body });
      assert.equal(answer.status, status, `${path} ${JSON.stringify(body).slice(0, 60)}: ${answer.text}`);
      assert.equal(answer.json.error.field, field);
      assert.match(answer.json.error.message, message);
      assert.equal(answer.json.error.code, status === 413 ? "PAYLOAD_TOO_LARGE" : "INVALID_PARAMETER");
    }
    const s = rig.sim.incubator.snapshot();
    assert.deepEqual([s.setpoints.air, s.setpoints.humidity, s.mode, s.state], [36.5, 60, "air", "STANDBY"], "nothing changed");
    assert.equal((await rig.call("POST", "/api/control/temperature", { body: { setpoint: 38.5, override: true } })).status, 200);
    assert.equal((await rig.call("POST", "/api/control/humidity", { body: { setpoint: 65, mode: "auto" } })).json.data.setpoint, 65);
    assert.equal((await rig.call("POST", "/api/control/fan", { body: { mode: "auto" } })).status, 200);
    assert.equal((await rig.call("POST", "/api/control/mode", { body: { mode: "skin" } })).json.data.mode, "skin");
    const skin = await rig.call("POST", "/api/control/temperature", { body: { setpoint: 36.8 } });
    assert.deepEqual([skin.json.data.setpoint, skin.json.data.control_mode], [36.8, "skin"], "the active mode's setpoint, as on /ws");
    assert.equal((await rig.call("POST", "/api/control/state", { body: { action: "start" } })).json.data.state, "PREHEATING");
    rig.run(2);
    const control = (await rig.call("GET", "/api/control")).json.data;
    assert.deepEqual([control.temperature.setpoint, control.temperature.control_mode, control.humidity.setpoint, control.state], [36.8, "skin", 65, "PREHEATING"]);
    const setpoints = rig.events.newestFirst(50).filter((e) => e.kind === "setpoint").reverse();
    assert.equal(setpoints[0].message, "air setpoint 36.0 → 36.5 °C");
    assert.deepEqual(setpoints[0].origin, { via: "rest", client: "10.1.2.3:4567" });
    rig.stop();
  });

  it("lists, acknowledges and keeps the history of alarms", async () => {
    const rig = checkedRig();
    await rig.call("POST", "/api/control/state", { body: { action: "start" } });
    rig.sim.board!.probeAirChip.faults.unplugged = true;
    rig.run(10);
    const active = (await rig.call("GET", "/api/alarms")).json.data;
    assert.equal(active.active_count, 1);
    const [alarm] = active.alarms;
    assert.equal(alarm.code, "SENSOR_FAULT");
    assert.equal(alarm.acknowledged, false);
    const ack = await rig.call("POST", `/api/alarms/${alarm.id}/acknowledge`, { remote: "10.9.9.9:1" });
    assert.equal(ack.status, 200);
    assert.equal(ack.json.data.acknowledged, true);
    assert.equal((await rig.call("POST", "/api/alarms/9999/acknowledge")).status, 404);
    const bad = await rig.call("POST", "/api/alarms/abc/acknowledge");
    assert.deepEqual([bad.status, bad.json.error.field], [400, "id"]);
    rig.sim.board!.probeAirChip.faults.unplugged = false;
    rig.run(10);
    const history = (await rig.call("GET", "/api/alarms/history?hours=1&limit=10")).json.data;
    assert.ok(history.alarms.some((a: { id: number; active: boolean }) => a.id === alarm.id && !a.active));
    assert.equal((await rig.call("GET", "/api/alarms/history?hours=0")).status, 400);
    const logged = rig.events.newestFirst(50).find((e) => e.kind === "alarm_acknowledged");
    assert.deepEqual(logged?.origin, { via: "rest", client: "10.9.9.9:1" });
    rig.stop();
  });

  it("applies calibration offsets in the drivers, bounded, stored and logged; the rest of the config is read-only", async () => {
    const rig = checkedRig();
    rig.run(30);
    const config = (await rig.call("GET", "/api/config")).json.data;
    assert.deepEqual(config.calibration, { temp_ambient_offset: 0, temp_skin_offset: 0, humidity_offset: 0 });
    assert.equal(config.alarms.temp_high_warning, 39);
    const before = rig.sim.incubator.snapshot();
    const truth = () => rig.sim.plant.state;
    const offsetOf = (s = rig.sim.incubator.snapshot()) => ({ air: s.air! - truth().airC, skin: s.skin! - truth().skinC, rh: s.humidity! - truth().rh, probe: s.probeAir! - truth().outletAirC });
    const beforeOffsets = offsetOf(before);
    const answer = await rig.call("POST", "/api/config", { body: { calibration: { temp_ambient_offset: -1.5, temp_skin_offset: 0.75, humidity_offset: 8 }, device: { name: "Ward 3 bed 2" } }, remote: "10.0.0.7:999" });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json.data.changed.sort(), ["calibration.humidity_offset", "calibration.temp_ambient_offset", "calibration.temp_skin_offset", "device.name"]);
    rig.run(5);
    const after = offsetOf();
    assert.ok(Math.abs(after.air - beforeOffsets.air + 1.5) < 0.15, `air reads ${after.air - beforeOffsets.air} °C off`);
    assert.ok(Math.abs(after.skin - beforeOffsets.skin - 0.75) < 0.15, `skin reads ${after.skin - beforeOffsets.skin} °C off`);
    assert.ok(Math.abs(after.rh - beforeOffsets.rh - 8) < 1, `humidity reads ${after.rh - beforeOffsets.rh} %RH off`);
    assert.ok(Math.abs(after.probe - beforeOffsets.probe) < 0.15, "the outlet probe (cut-out channel) is never offset");
    assert.deepEqual(JSON.parse(rig.records.records.get("devconf")!), { v: 1, name: "Ward 3 bed 2", temp_ambient_offset: -1.5, temp_skin_offset: 0.75, humidity_offset: 8 });
    const logged = rig.events.newestFirst(20).filter((e) => e.kind === "calibration").map((e) => e.message).reverse();
    assert.deepEqual(logged, ["calibration temp_ambient_offset 0.00 → -1.50 °C", "calibration temp_skin_offset 0.00 → +0.75 °C", "calibration humidity_offset 0.00 → +8.00 %RH"]);
    assert.ok(rig.events.newestFirst(20).every((e) => e.kind !== "calibration" || e.origin?.client === "10.0.0.7:999"));

    const refusals: Array<[unknown, string, RegExp]> = [
      [{ calibration: { temp_ambient_offset: 2.1 } }, "calibration.temp_ambient_offset", /outside ±2 °C/],
      [{ calibration: { humidity_offset: -10.5 } }, "calibration.humidity_offset", /outside ±10 %RH/],
      [{ calibration: { temp_skin_offset: "0.3" } }, "calibration.temp_skin_offset", /must be a number/],
      [{ calibration: { temp_skin_offset: 0.3, oops: 1 } }, "calibration.oops", /unknown field/],
      [{ control: { pid: { kp: 2.5 } } }, "control.pid.kp", /read-only: the PID gains/],
      [{ alarms: { temp_high_warning: 37.5 } }, "alarms.temp_high_warning", /read-only/],
      [{ device: { name: "" } }, "device.name", /must not be empty/],
      [{ device: "x" }, "device", /must be an object/],
    ];
    for (const [body, field, message] of refusals) {
      const refused = await rig.call("POST", "/api/config", { body });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.error.field, field);
      assert.match(refused.json.error.message, message);
    }
    const now = (await rig.call("GET", "/api/config")).json.data;
    assert.deepEqual(now.calibration, { temp_ambient_offset: -1.5, temp_skin_offset: 0.75, humidity_offset: 8 }, "the refusals changed nothing");
    // A saved configuration sent back whole is accepted: its read-only values are unchanged.
    const restored = await rig.call("POST", "/api/config", { body: now });
    assert.deepEqual([restored.status, restored.json.data.changed], [200, []]);
    rig.records.failWith = "flash full";
    const failed = await rig.call("POST", "/api/config", { body: { calibration: { temp_ambient_offset: 0 } } });
    assert.deepEqual([failed.status, failed.json.error.code], [500, "STORAGE_ERROR"]);
    assert.equal(rig.settings.offsets.temp_ambient_offset, -1.5, "a change that could not be stored is not applied");
    assert.equal(rig.settings.calibration.airOffsetC, -1.5);
    rig.stop();
  });

  it("serves the trend log as history, latest, range, CSV export and storage, streamed in pieces", async () => {
    const rig = checkedRig();
    await rig.call("POST", "/api/control/state", { body: { action: "start" } });
    rig.run(3 * 3600 + 30);
    const history = await rig.call("GET", "/api/sensors/history?hours=2&interval=10");
    assert.ok(history.pieces > 1, "streamed");
    const readings = history.json.data.readings;
    assert.equal(history.json.data.interval_minutes, 10);
    assert.ok(readings.length >= 12 && readings.length <= 13, `${readings.length} readings`);
    assert.ok(readings.every((r: { samples: number }) => r.samples <= 10));
    const latest = (await rig.call("GET", "/api/data/latest?count=30")).json;
    assert.equal(latest.length, 30);
    for (let i = 1; i < latest.length; i++) assert.equal(latest[i].ts - latest[i - 1].ts, 60);
    const start = latest[5].ts;
    const end = latest[14].ts;
    const range = (await rig.call("GET", `/api/data/range?start=${start}&end=${end}`)).json;
    assert.deepEqual(range, latest.slice(5, 15));
    assert.equal((await rig.call("GET", `/api/data/range?start=${end}&end=${start}`)).json.error.field, "start");
    const csv = await rig.call("GET", "/api/data/export");
    assert.equal(csv.headers["Content-Disposition"], "attachment; filename=incunest_data.csv");
    assert.ok(csv.pieces > 5, `streamed in ${csv.pieces} pieces`);
    const lines = csv.text.trimEnd().split("\n");
    assert.equal(lines[0], "timestamp,temperature,skin_temp,humidity,heater,fan,humidifier,alarms");
    const cursor = new TrendCursor(rig.trend);
    let n = 0;
    for (let r = cursor.next(); r; r = cursor.next(), n++) {
      const row = lines[n + 1].split(",");
      assert.equal(Number(row[0]), r.ts);
      assert.equal(row[1], r.air!.toFixed(2));
      assert.equal(row[3], r.humidity!.toFixed(1));
      assert.equal(Number(row[4]), Math.round(r.heater));
      assert.equal(Number(row[7]), r.alarms);
    }
    assert.equal(n, lines.length - 1);
    assert.ok(n >= 180, `${n} rows`);
    const storage = (await rig.call("GET", "/api/data/storage")).json;
    assert.equal(storage.records, n);
    assert.equal(storage.used, n * 32);
    assert.equal(storage.total, storage.used + storage.free);
    rig.stop();
  });

  it("marks the minutes an alarm was active in the data endpoints", async () => {
    const rig = checkedRig();
    await rig.call("POST", "/api/control/state", { body: { action: "start" } });
    rig.run(120);
    rig.sim.board!.probeAirChip.faults.unplugged = true;
    rig.run(180);
    const latest = (await rig.call("GET", "/api/data/latest?count=5")).json;
    assert.ok(latest.some((r: { alarms: number }) => r.alarms & ALARM_BITS.SENSOR_FAULT), JSON.stringify(latest.map((r: { alarms: number }) => r.alarms)));
    assert.equal(latest[latest.length - 1].probeTemp, null);
    rig.stop();
  });

  it("serves the event log newest first, filtered by level", async () => {
    const rig = checkedRig();
    await rig.call("POST", "/api/control/temperature", { body: { setpoint: 35 } });
    await rig.call("POST", "/api/control/state", { body: { action: "start" } });
    rig.sim.board!.probeAirChip.faults.unplugged = true;
    rig.run(10);
    const all = (await rig.call("GET", "/api/system/logs?lines=50")).json.data.logs;
    assert.deepEqual(all.slice(-1).map((e: { event: string }) => e.event), ["boot"]);
    assert.ok(all[0].id > all[all.length - 1].id, "newest first");
    const errors = (await rig.call("GET", "/api/system/logs?level=error")).json.data.logs;
    assert.ok(errors.length > 0 && errors.every((e: { level: string }) => e.level === "ERROR"));
    assert.equal((await rig.call("GET", "/api/system/logs?lines=2")).json.data.logs.length, 2);
    assert.equal((await rig.call("GET", "/api/system/logs?level=LOUD")).json.error.field, "level");
    rig.stop();
  });

  it("reboots 3 s after answering, with the logs written first; factory-resets only in STANDBY and with confirm", async () => {
    const rig = checkedRig();
    await rig.call("POST", "/api/control/temperature", { body: { setpoint: 35 } });
    await rig.call("POST", "/api/config", { body: { calibration: { temp_skin_offset: 1 } } });
    const refused = await rig.call("POST", "/api/system/factory-reset", { body: { confirm: "yes" } });
    assert.deepEqual([refused.status, refused.json.error.field], [400, "confirm"]);
    await rig.call("POST", "/api/control/state", { body: { action: "start" } });
    const busy = await rig.call("POST", "/api/system/factory-reset", { body: { confirm: true } });
    assert.deepEqual([busy.status, busy.json.error.code], [400, "INVALID_STATE"]);
    await rig.call("POST", "/api/control/state", { body: { action: "standby" } });
    const reset = await rig.call("POST", "/api/system/factory-reset", { body: { confirm: true } });
    assert.equal(reset.status, 200, reset.text);
    const s = rig.sim.incubator.snapshot();
    assert.deepEqual([s.setpoints.air, s.setpoints.skin, s.setpoints.humidity, s.mode], [36, 36.5, 60, "air"]);
    assert.equal(rig.settings.offsets.temp_skin_offset, 0);
    const reboot = await rig.call("POST", "/api/system/reboot");
    assert.equal(reboot.json.message, "Rebooting in 3 seconds...");
    rig.run(2);
    assert.equal(rig.reboots, 0);
    rig.run(2);
    assert.equal(rig.reboots, 1);
    const [last, requested] = rig.events.newestFirst(2);
    assert.deepEqual([last.kind, last.message], ["reboot", "restarting now"], "the last entry before the restart");
    assert.deepEqual([requested.kind, requested.origin?.via], ["reboot", "rest"]);
    assert.equal(rig.logStore.syncs > 0, true);
    rig.stop();
  });

  it("answers 429 above 60 requests a minute per client address, others unaffected", async () => {
    const rig = checkedRig();
    for (let i = 0; i < 60; i++) assert.equal((await rig.call("GET", "/api/status", { remote: `10.0.0.1:${1000 + i}` })).status, 200);
    const limited = await rig.call("GET", "/api/status", { remote: "10.0.0.1:5000" });
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, "RATE_LIMITED");
    assert.ok(Number(limited.headers["Retry-After"]) >= 1);
    assert.equal((await rig.call("GET", "/api/status", { remote: "10.0.0.2:1" })).status, 200);
    rig.run(61);
    assert.equal((await rig.call("GET", "/api/status", { remote: "10.0.0.1:5001" })).status, 200);
    rig.stop();
  });

  after(() => {
    // Every documented operation was answered with success at least once.
    const missing = contract.operations().filter((op) => ![...contract.seen].some((s) => s.startsWith(op + " 2")));
    assert.deepEqual(missing, [], "operations never answered with success");
  });
});


