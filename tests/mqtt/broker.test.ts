// The firmware's MQTT interface against a real mosquitto (started per suite on free
// ports) and real MQTT.js subscribers; the firmware runs on simulated time.
import assert from "node:assert/strict";
import { applyFault, clearFaults } from "../../host-sim/faults";
import { startServer } from "../../host-sim/server";
import type { IncubatorEvent } from "../../src/core/api";
import { TEST_ORIGIN } from "../support/origin";
import { TestClient } from "../support/ws-fixture";
import { DOCS, matchesDocs } from "./support/docs-examples";
import { DEVICE, mqttRig, sleep, USERS, type MqttRig } from "./support/mqtt-rig";
import { Subscriber, type Received } from "./support/subscriber";

const T = (path: string) => `incunest/${DEVICE}/${path}`;

async function command(rig: MqttRig, path: string, payload: string, responsePath: string): Promise<any> {
  const from = rig.sub.messages.length;
  await rig.sub.publish(T(path), payload);
  let found: Received | undefined;
  await rig.until(() => (found = rig.sub.messages.slice(from).find((m) => m.topic === T(responsePath))) !== undefined, `an answer on ${responsePath}`, 20_000);
  return JSON.parse(found!.text);
}

describe("MQTT against a real mosquitto: topics, payloads, commands", function () {
  let rig: MqttRig;
  before(async () => {
    rig = await mqttRig();
    await rig.until(() => rig.sub.on(T("sensors")).length >= 3, "three sensor messages");
  });
  after(async () => rig.close());

  it("publishes status, sensors, state and the active-alarm summary with the docs' fields, QoS and retain rules", async () => {
    const status = rig.sub.json(T("status"))[0];
    matchesDocs(status, DOCS.status, "$", ["$.wifi_rssi", "$.heap_free"]);
    assert.equal(status.online, true);
    assert.equal(status.state, "STANDBY");
    assert.equal(typeof status.timestamp, "string");

    const sensors = rig.sub.json(T("sensors")).at(-1);
    matchesDocs(sensors, DOCS.sensors, "$", ["$.temperature.skin"]);
    assert.equal(sensors.temperature.setpoint, 36);
    assert.equal(sensors.humidity.setpoint, 60);
    assert.ok(Math.abs(sensors.temperature.ambient - rig.sim.plant.state.airC) < 1.5, `ambient ${sensors.temperature.ambient} vs plant ${rig.sim.plant.state.airC}`);
    assert.equal(sensors.mode, "air");
    // At 1 Hz: one reading per simulated second, each its own timestamp.
    const stamps = rig.sub.json(T("sensors")).map((s) => Date.parse(s.timestamp));
    for (let i = 2; i < stamps.length; i++) assert.equal(stamps[i] - stamps[i - 1], 1000);

    const state = rig.sub.json(T("state"))[0];
    matchesDocs(state, { ...DOCS.state, previous: null }, "$");
    assert.deepEqual([state.state, state.previous], ["STANDBY", null]);
    const active = rig.sub.json(T("alarms/active"))[0];
    assert.deepEqual([active.count, active.high, active.medium, active.low, active.alarms], [0, 0, 0, 0, []]);

    // QoS: sensors 0, the rest 1 (the subscriber asked for 1: it gets what was published).
    assert.ok(rig.sub.on(T("sensors")).every((m) => m.qos === 0));
    for (const path of ["status", "state", "alarms/active"]) assert.ok(rig.sub.on(T(path)).every((m) => m.qos === 1), path);
    // Retained: a subscriber that comes later gets status, state and the alarm summary at
    // once (flagged retained), never old sensor readings or alarm events.
    const late = await Subscriber.connect(rig.broker.url, [T("#")], { username: "nurse", password: USERS.nurse });
    await sleep(300);
    const retained = late.messages.filter((m) => m.retain).map((m) => m.topic).sort();
    await late.close();
    assert.deepEqual(retained, [T("alarms/active"), T("state"), T("status")]);
  });

  it("publishes status every 30 s", async () => {
    const before = rig.sub.on(T("status")).length;
    await rig.run(61_000);
    const after = rig.sub.json(T("status")).slice(before);
    assert.equal(after.length, 2);
    assert.ok(after[1].uptime - after[0].uptime === 30, JSON.stringify(after));
  });

  it("answers every command on its response topic: the docs' success fields, code and message on failure", async () => {
    const temperature = await command(rig, "control/temperature/set", '{"setpoint":36.5}', "control/temperature/response");
    matchesDocs(temperature, DOCS.temperatureResponse);
    assert.deepEqual([temperature.success, temperature.setpoint], [true, 36.5]);
    assert.equal(rig.sim.incubator.snapshot().setpoints.air, 36.5);

    const humidity = await command(rig, "control/humidity/set", '{"setpoint":55, "command_id":"h-1"}', "control/humidity/response");
    assert.deepEqual([humidity.success, humidity.setpoint, humidity.command_id], [true, 55, "h-1"]);

    const start = await command(rig, "control/state/set", '{"action":"start"}', "control/state/response");
    assert.deepEqual([start.success, start.action, start.state], [true, "start", "PREHEATING"]);
    await rig.until(() => rig.sub.json(T("state")).some((s) => s.state === "PREHEATING"), "the state message");
    const change = rig.sub.json(T("state")).find((s) => s.state === "PREHEATING");
    matchesDocs(change, DOCS.state);
    assert.equal(change.previous, "STANDBY");

    const mode = await command(rig, "control/mode/set", '{"mode":"skin"}', "control/mode/response");
    assert.deepEqual([mode.success, mode.mode], [true, "skin"]);
    await command(rig, "control/mode/set", '{"mode":"air"}', "control/mode/response");

    // Refusals: the same validation and codes as /ws, and nothing changes.
    const cases: Array<[string, string, string, number, RegExp]> = [
      ["control/temperature/set", '{"setpoint":45}', "control/temperature/response", 4002, /outside 20–37/],
      ["control/temperature/set", '{"setpoint":38}', "control/temperature/response", 4002, /override/],
      ["control/temperature/set", "36.5", "control/temperature/response", 4001, /JSON object/],
      ["control/humidity/set", "not json", "control/humidity/response", 4001, /not JSON/],
      ["control/humidity/set", '{"setpoint":"60"}', "control/humidity/response", 4002, /setpoint must be a number/],
      ["control/state/set", '{"action":"explode"}', "control/state/response", 4002, /start, stop, standby, reset/],
      ["alarms/acknowledge", '{"id":9999}', "alarms/acknowledge/response", 4002, /9999/],
      ["alarms/acknowledge", '{"id":"one"}', "alarms/acknowledge/response", 4002, /positive integer/],
      ["config/set", '{"control":{}}', "config/response", 4001, /not available/],
    ];
    for (const [path, payload, response, code, message] of cases) {
      const r = await command(rig, path, payload, response);
      assert.equal(r.success, false, `${path} ${payload}`);
      assert.equal(r.code, code, `${path} ${payload}: ${JSON.stringify(r)}`);
      assert.match(r.message, message);
      assert.equal("setpoint" in r, false);
    }
    const s = rig.sim.incubator.snapshot();
    assert.deepEqual([s.setpoints.air, s.setpoints.humidity], [36.5, 55]);
    const over = await command(rig, "control/temperature/set", '{"setpoint":38,"override":true}', "control/temperature/response");
    assert.deepEqual([over.success, over.setpoint], [true, 38]);
    await command(rig, "control/temperature/set", '{"setpoint":36.5}', "control/temperature/response");
  });

  it("sends a fault's alarm on raise, acknowledge and clear (QoS 1) and keeps the retained summary current", async () => {
    const from = rig.sub.messages.length;
    applyFault(rig.sim.board!, { target: "sht31", fault: "nack" });
    await rig.until(() => rig.sub.messages.slice(from).some((m) => m.topic === T("alarms")), "an alarm message", 30_000);
    const raised = JSON.parse(rig.sub.messages.slice(from).find((m) => m.topic === T("alarms"))!.text);
    matchesDocs(raised, DOCS.alarms);
    assert.deepEqual([raised.code, raised.level, raised.active, raised.change, raised.priority], ["SENSOR_FAULT", "CRITICAL", true, "raised", "high"]);
    assert.ok(rig.sub.messages.slice(from).filter((m) => m.topic === T("alarms")).every((m) => m.qos === 1));
    // The SHT31 carries air and humidity: one SENSOR_FAULT for each channel.
    await rig.until(() => rig.sub.json(T("alarms/active")).at(-1).high === 2, "the summary with both high-priority alarms");
    const ids = rig.sub.json(T("alarms")).filter((a) => a.change === "raised" && Date.parse(a.timestamp) >= Date.parse(raised.timestamp)).map((a) => a.id);
    assert.deepEqual(rig.sub.json(T("alarms/active")).at(-1).alarms.map((a: any) => a.id), ids);

    const ack = await command(rig, "alarms/acknowledge", JSON.stringify({ id: raised.id }), "alarms/acknowledge/response");
    assert.deepEqual([ack.success, ack.id], [true, raised.id]);
    await rig.until(() => rig.sub.json(T("alarms")).some((a) => a.id === raised.id && a.change === "acknowledged"), "the acknowledged event");
    const all = await command(rig, "alarms/acknowledge", '{"all":true}', "alarms/acknowledge/response");
    assert.deepEqual([all.success, all.all], [true, true]);
    await rig.until(() => rig.sub.json(T("alarms")).some((a) => a.id === ids[1] && a.change === "acknowledged"), "the second acknowledged event");

    clearFaults(rig.sim.board!, "sht31");
    await rig.until(() => ids.every((id) => rig.sub.json(T("alarms")).some((a) => a.id === id && a.change === "cleared")), "the cleared events", 60_000);
    const cleared = rig.sub.json(T("alarms")).find((a) => a.id === raised.id && a.change === "cleared");
    assert.equal(cleared.active, false);
    await rig.until(() => rig.sub.json(T("alarms/active")).at(-1).high === 0, "the summary without them");
  });

  it("a command over MQTT changes the setpoint seen on /ws", async () => {
    const server = await startServer({ api: rig.sim.incubator, port: 0, apiKey: null, clock: rig.time, timers: rig.time, wall: rig.time, log: () => {} });
    const ws = await TestClient.connect(server.wsUrl);
    try {
      ws.send({ type: "subscribe", channel: "all" });
      await ws.next((m) => m.type === "sensor_update");
      const from = ws.messages.length;
      const r = await command(rig, "control/temperature/set", '{"setpoint":35.2}', "control/temperature/response");
      assert.equal(r.success, true);
      await rig.run(1100);
      const update = await ws.next((m) => m.type === "sensor_update" && m.data.setpoint.temperature === 35.2, from);
      assert.equal(update.data.setpoint.temperature, 35.2);
    } finally {
      ws.close();
      await server.close();
    }
  });

  it("announces Home Assistant entities whose topics and value templates match what is published", async () => {
    const configs = rig.sub.messages.filter((m) => m.topic.startsWith("homeassistant/"));
    const live = configs.filter((m) => m.text !== "");
    const byTopic = new Map(live.map((m) => [m.topic, JSON.parse(m.text)]));
    const first = byTopic.get("homeassistant/sensor/incunest_001_temp/config");
    // The docs' example entity, field for field (our name differs: English, device name apart).
    matchesDocs(first, DOCS.haSensor);
    assert.deepEqual([first.unique_id, first.state_topic, first.value_template], [DOCS.haSensor.unique_id, DOCS.haSensor.state_topic, DOCS.haSensor.value_template]);
    const components = [...byTopic.keys()].map((t) => t.split("/").slice(1, 3).join("/")).sort();
    assert.deepEqual(components, [
      "binary_sensor/incunest_001_alarm_high", "binary_sensor/incunest_001_alarm_low", "binary_sensor/incunest_001_alarm_medium",
      "sensor/incunest_001_fan", "sensor/incunest_001_heater", "sensor/incunest_001_humidity", "sensor/incunest_001_skin_temp",
      "sensor/incunest_001_state", "sensor/incunest_001_temp",
    ]);
    // Controls are not allowed by default: their config topics are emptied (removed in HA).
    assert.ok(configs.some((m) => m.topic === "homeassistant/number/incunest_001_temp_setpoint/config" && m.text === ""));
    const published = new Set([T("sensors"), T("state"), T("alarms/active"), T("status")]);
    for (const [topic, c] of byTopic) {
      assert.ok(published.has(c.state_topic), `${topic}: state_topic ${c.state_topic}`);
      assert.equal(c.availability_topic, T("status"), topic);
      assert.equal(c.unique_id, topic.split("/")[2]);
      assert.deepEqual(c.device.identifiers, [DEVICE]);
    }
  });

  it("records the interface and broker of MQTT commands in the core's events", async () => {
    const events: IncubatorEvent[] = [];
    const off = rig.sim.incubator.subscribe((e) => events.push(e));
    await command(rig, "control/humidity/set", '{"setpoint":57}', "control/humidity/response");
    off();
    const settings = events.find((e) => e.type === "settings");
    assert.ok(settings && settings.type === "settings");
    assert.deepEqual(settings.origin, { via: "mqtt", client: `127.0.0.1:${rig.broker.port}` });
    await rig.sim.incubator.execute("set_humidity", { setpoint: 60 }, TEST_ORIGIN);
  });
});
