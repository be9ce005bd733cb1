// The /ws protocol over a real server and real `ws` clients, driving the real Incubator
// on simulated time.
import { strict as assert } from "node:assert";
import { TEST_KEY, TestClient, until, wsFixture, type Envelope, type WsFixture } from "./support/ws-fixture";

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const byType = (type: string) => (m: Envelope) => m.type === type;

describe("/ws protocol (real server, real Incubator)", () => {
  let f: WsFixture;
  let clients: TestClient[] = [];
  const connect = async (query = `?api-key=${TEST_KEY}`, headers: Record<string, string> = {}) => {
    const c = await TestClient.connect(f.wsUrl + query, headers);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    f = await wsFixture();
    clients = [];
  });
  afterEach(async () => {
    for (const c of clients) c.close();
    await f.close();
  });

  it("refuses a missing or wrong key with 4000 after the handshake, accepts header and query", async () => {
    const none = await connect("");
    assert.deepEqual(await none.waitClosed(), { code: 4000, reason: "API key required: Authorization: Bearer <key> or ?api-key=<key>" });
    const wrong = await connect("?api-key=nope");
    assert.deepEqual(await wrong.waitClosed(), { code: 4000, reason: "wrong API key" });
    const wrongHeader = await connect("", { Authorization: "Bearer nope" });
    assert.equal((await wrongHeader.waitClosed()).code, 4000);
    const byHeader = await connect("", { Authorization: `Bearer ${TEST_KEY}` });
    const byQuery = await connect();
    for (const c of [byHeader, byQuery]) {
      c.send({ type: "ping" });
      const pong = await c.next(byType("pong"));
      assert.match(pong.timestamp, ISO_MS);
    }
    assert.equal(f.server.router.stats().refusedAuth, 3);
  });

  it("serves how to connect at / without the key, the status page and JSON only with it, 404 elsewhere", async () => {
    f.run(2);
    const open = await fetch(f.server.url);
    assert.equal(open.status, 200);
    const connect = await open.text();
    assert.match(connect, /ws:\/\/127\.0\.0\.1:\d+\/ws\?api-key=&lt;key&gt;/);
    assert.ok(!connect.includes("STANDBY") && !connect.includes(TEST_KEY), "the open page shows neither data nor the key");
    for (const path of ["/status", "/status.json"]) {
      const refused = await fetch(new URL(path, f.server.url));
      assert.equal(refused.status, 401, path);
      assert.match(refused.headers.get("www-authenticate") ?? "", path === "/status" ? /^Basic realm="IncuNest"/ : /^Bearer/);
      assert.ok(!(await refused.text()).includes("STANDBY"));
    }
    const page = await fetch(new URL(`/status?api-key=${TEST_KEY}`, f.server.url));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<th>State<\/th><td>STANDBY<\/td>/);
    assert.match(html, /<th>Temperature setpoint<\/th><td>36\.0 °C<\/td>/);
    assert.ok(!html.includes(TEST_KEY), "the page does not show the key");
    const basic = await fetch(new URL("/status", f.server.url), { headers: { Authorization: `Basic ${Buffer.from(`nurse:${TEST_KEY}`).toString("base64")}` } });
    assert.equal(basic.status, 200);
    await basic.text();
    const json = await fetch(new URL("/status.json", f.server.url), { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    assert.equal(json.status, 200);
    assert.equal(((await json.json()) as { state: string }).state, "STANDBY");
    const missing = await fetch(new URL("/nope", f.server.url));
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /nothing at \/nope/);
  });

  it("answers 404 to an upgrade on an unknown path", async () => {
    const { WebSocket } = await import("ws");
    const ws = new WebSocket(f.wsUrl.replace("/ws", "/nope"));
    ws.on("error", () => {});
    const status = await new Promise<number>((resolve) =>
      ws.on("unexpected-response", (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      }),
    );
    assert.equal(status, 404);
  });

  it("subscribing sends state, active alarms and the latest sensor data at once, then a sensor_update per tick", async () => {
    const alarm = (await f.raiseTempHigh());
    const c = await connect();
    c.send({ type: "subscribe", channel: "all" });
    const state = await c.next(byType("state_change"));
    assert.deepEqual(state.data, { previous_state: null, new_state: "PREHEATING", reason: "current state" });
    const a = await c.next(byType("alarm"));
    assert.equal(a.data.id, alarm.id);
    assert.equal(a.data.code, "TEMP_HIGH");
    assert.equal(a.data.active, true);
    assert.equal(a.data.message, alarm.message);
    const first = await c.next(byType("sensor_update"));
    assert.match(first.timestamp, ISO_MS);
    assert.deepEqual(Object.keys(first.data), ["temperature", "humidity", "heater_power", "fan_speed", "humidifier", "setpoint", "mode", "effective_mode", "state"]);
    assert.deepEqual(Object.keys(first.data.temperature), ["ambient", "skin"]);
    assert.deepEqual(first.data.setpoint, { temperature: 30, humidity: 60 });
    assert.equal(first.data.mode, "air");
    assert.equal(first.data.state, "PREHEATING");
    assert.equal(first.data.heater_power, 0, "TEMP_HIGH keeps the heater off");
    assert.equal(first.timestamp, new Date(f.toy.incubator.snapshot().epochMs).toISOString());

    const seen = c.messages.length;
    f.run(5);
    await until(() => c.messages.slice(seen).filter(byType("sensor_update")).length === 5, "5 sensor updates");
    const updates = c.messages.slice(seen).filter(byType("sensor_update"));
    const times = updates.map((u) => Date.parse(u.timestamp));
    assert.deepEqual(times.slice(1).map((t, i) => t - times[i]), [1000, 1000, 1000, 1000]);
  });

  it("sends sensor updates only to clients subscribed to sensors or all, and stops on unsubscribe", async () => {
    const sensors = await connect();
    const alarmsOnly = await connect();
    sensors.send({ type: "subscribe", channel: "sensors" });
    alarmsOnly.send({ type: "subscribe", channel: "alarms" });
    f.run(1); // nothing is measured before the first tick: the first sensor_update is its
    await sensors.next(byType("sensor_update"));
    f.run(2);
    await until(() => sensors.messages.filter(byType("sensor_update")).length >= 3, "sensor updates");
    await f.raiseTempHigh();
    await alarmsOnly.next(byType("alarm"));
    assert.equal(alarmsOnly.messages.filter(byType("sensor_update")).length, 0);
    assert.equal(sensors.messages.filter(byType("alarm")).length, 0);
    sensors.send({ type: "unsubscribe", channel: "sensors" });
    sensors.send({ type: "ping" });
    await sensors.next(byType("pong"));
    const before = sensors.messages.length;
    f.run(3);
    sensors.send({ type: "ping" });
    await sensors.next(byType("pong"), before);
    assert.equal(sensors.messages.slice(before).filter(byType("sensor_update")).length, 0);
  });

  it("runs commands and answers each with its command_response; state changes reach state subscribers", async () => {
    const c = await connect();
    c.send({ type: "subscribe", channel: "state" });
    await c.next(byType("state_change"));
    c.send({ type: "command", command_id: "cmd_1", action: "set_temperature", data: { setpoint: 35.5 } });
    const r1 = await c.next((m) => m.type === "command_response" && m.data.command_id === "cmd_1");
    assert.deepEqual(Object.keys(r1.data), ["command_id", "success", "message"]);
    assert.equal(r1.data.success, true);
    assert.equal(f.toy.incubator.snapshot().setpoints.air, 35.5);

    c.send({ type: "command", command_id: 7, action: "set_state", data: { state: "start" } });
    const r2 = await c.next((m) => m.type === "command_response" && m.data.command_id === 7);
    assert.equal(r2.data.success, true);
    const change = await c.next((m) => m.type === "state_change" && m.data.previous_state !== null);
    assert.deepEqual({ p: change.data.previous_state, n: change.data.new_state }, { p: "STANDBY", n: "PREHEATING" });

    c.send({ type: "command", command_id: "m", action: "set_mode", data: { mode: "skin" } });
    assert.equal((await c.next((m) => m.data?.command_id === "m")).data.success, true);
    assert.equal(f.toy.incubator.snapshot().mode, "skin");
    c.send({ type: "command", command_id: "h", action: "set_humidity", data: { setpoint: 70 } });
    assert.equal((await c.next((m) => m.data?.command_id === "h")).data.success, true);
    assert.equal(f.toy.incubator.snapshot().setpoints.humidity, 70);
  });

  it("refuses bad commands with 4001/4002 and changes nothing; bad frames get an error and keep the connection", async () => {
    const c = await connect();
    const before = f.toy.incubator.snapshot();
    const cases: [unknown, number][] = [
      [{ type: "command", command_id: "a", action: "self_destruct", data: {} }, 4001],
      [{ type: "command", command_id: "b", data: { setpoint: 36 } }, 4001],
      [{ type: "command", command_id: "c", action: "set_temperature", data: {} }, 4002],
      [{ type: "command", command_id: "d", action: "set_temperature", data: { setpoint: 45 } }, 4002],
      [{ type: "command", command_id: "e", action: "set_temperature", data: { setpoint: "36" } }, 4002],
      [{ type: "command", command_id: "f", action: "set_humidity", data: { setpoint: 95 } }, 4002],
      [{ type: "command", command_id: "g", action: "set_state", data: { state: "explode" } }, 4002],
      [{ type: "command", command_id: "h", action: "set_mode", data: { mode: "turbo" } }, 4002],
      [{ type: "command", command_id: "i", action: "acknowledge_alarm", data: { alarm_id: 999 } }, 4002],
      [{ type: "command", command_id: "j", action: "set_temperature", data: [36] }, 4002],
    ];
    for (const [message, code] of cases) {
      const from = c.messages.length;
      c.send(message);
      const id = (message as { command_id: string }).command_id;
      const r = await c.next((m) => m.type === "command_response" && m.data.command_id === id, from);
      assert.equal(r.data.success, false, id);
      assert.equal(r.data.code, code, `${id}: ${r.data.message}`);
      assert.ok(r.data.message.length > 0);
    }
    const errors: [string, RegExp][] = [
      ["not json at all", /not JSON/],
      ["[1,2]", /JSON object/],
      ['{"channel":"sensors"}', /no "type"/],
      ['{"type":"dance"}', /unknown message type "dance"/],
    ];
    for (const [frame, message] of errors) {
      const from = c.messages.length;
      c.send(frame);
      const e = await c.next(byType("error"), from);
      assert.equal(e.data.code, 4001);
      assert.match(e.data.message, message);
    }
    const from = c.messages.length;
    c.send({ type: "subscribe", channel: "everything" });
    const e = await c.next(byType("error"), from);
    assert.equal(e.data.code, 4002);
    assert.match(e.data.message, /unknown channel "everything"/);
    const missingFrom = c.messages.length;
    c.send({ type: "subscribe", data: { channels: ["sensors"] } });
    const missing = await c.next(byType("error"), missingFrom);
    assert.equal(missing.data.code, 4002);
    assert.match(missing.data.message, /no "channel" given, e\.g\. \{"type":"subscribe","channel":"sensors"\}/);
    c.send({ type: "ping" });
    await c.next(byType("pong"), from);
    const after = f.toy.incubator.snapshot();
    assert.deepEqual(after.setpoints, before.setpoints);
    assert.equal(after.state, before.state);
    assert.equal(after.mode, before.mode);
  });

  it("acknowledges an alarm and sends the alarm event to alarm subscribers", async () => {
    const watcher = await connect();
    watcher.send({ type: "subscribe", channel: "alarms" });
    const alarm = (await f.raiseTempHigh());
    const raised = await watcher.next(byType("alarm"));
    assert.deepEqual(
      { id: raised.data.id, code: raised.data.code, level: raised.data.level, message: raised.data.message, active: raised.data.active, acknowledged: raised.data.acknowledged, priority: raised.data.priority },
      { id: alarm.id, code: "TEMP_HIGH", level: "WARNING", message: alarm.message, active: true, acknowledged: false, priority: "medium" },
    );
    assert.equal(raised.data.value, 33.5);
    assert.equal(raised.data.limit, 33);
    const nurse = await connect();
    nurse.send({ type: "command", command_id: "ack", action: "acknowledge_alarm", data: { alarm_id: alarm.id } });
    assert.equal((await nurse.next(byType("command_response"))).data.success, true);
    const acked = await watcher.next((m) => m.type === "alarm" && m.data.acknowledged === true);
    assert.equal(acked.data.id, alarm.id);
    assert.match(acked.data.acknowledged_at, ISO_MS);
  });

  it("refuses a client beyond the connection cap with 1013 and a reason, and admits one once a slot is free", async () => {
    const four = [await connect(), await connect(), await connect(), await connect()];
    const fifth = await connect();
    assert.deepEqual(await fifth.waitClosed(), { code: 1013, reason: "server full: at most 4 connections, try again later" });
    for (const c of four) {
      const from = c.messages.length;
      c.send({ type: "ping" });
      await c.next(byType("pong"), from);
    }
    four[0].close();
    await until(() => f.server.router.connectionCount === 3, "a free slot");
    const again = await connect();
    again.send({ type: "ping" });
    await again.next(byType("pong"));
  });
});
