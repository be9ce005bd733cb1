// Home Assistant MQTT discovery with controls allowed: every entity's templates rendered by
// Jinja2 (Home Assistant's template engine, Debian's python3-jinja2) on the payloads the
// firmware really published, and every control pressed as Home Assistant would press it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { applyFault, clearFaults } from "../../host-sim/faults";
import { DEVICE, mqttRig, type MqttRig } from "./support/mqtt-rig";

const T = (path: string) => `incunest/${DEVICE}/${path}`;
const RENDER = fileURLToPath(new URL("./support/render_ha.py", import.meta.url));

function render(requests: object[]): Array<{ ok: boolean; text?: string; error?: string }> {
  const r = spawnSync("/usr/bin/python3", [RENDER], { input: requests.map((q) => JSON.stringify(q)).join("\n") + "\n", encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split("\n").map((l) => JSON.parse(l));
}

describe("Home Assistant discovery (controls allowed) against a real mosquitto", () => {
  let rig: MqttRig;
  before(async () => {
    rig = await mqttRig({ config: { ha_controls: true } });
    await rig.until(() => rig.sub.on(T("sensors")).length >= 2, "sensor messages");
  });
  after(async () => rig.close());

  const configs = () => new Map(rig.sub.messages.filter((m) => m.topic.startsWith("homeassistant/") && m.text !== "").map((m) => [m.topic, JSON.parse(m.text)]));
  const latest = (topic: string) => rig.sub.json(topic).at(-1);

  it("announces sensors, alarm binary sensors and controls, each config retained under homeassistant/<component>/<unique_id>/config", () => {
    const c = configs();
    assert.equal(c.size, 16);
    for (const [topic, config] of c) {
      const [prefix, component, objectId, last] = topic.split("/");
      assert.deepEqual([prefix, last, objectId], ["homeassistant", "config", config.unique_id]);
      assert.ok(["sensor", "binary_sensor", "number", "select", "button"].includes(component), topic);
      assert.equal(typeof config.name, "string");
      if (component !== "button") assert.ok(config.state_topic.startsWith(`incunest/${DEVICE}/`), topic);
      if (["number", "select", "button"].includes(component)) assert.ok(config.command_topic.startsWith(`incunest/${DEVICE}/`), topic);
    }
  });

  it("renders every value and availability template with Jinja2 on the payloads really published", async () => {
    applyFault(rig.sim.board!, { target: "fan", fault: "stop" });
    await rig.sim.incubator.execute("set_state", { state: "start" }, { via: "local", client: "test" });
    await rig.until(() => latest(T("alarms/active")).high > 0, "a high-priority alarm");
    const c = [...configs()].filter(([, v]) => v.value_template);
    const requests = c.flatMap(([, v]) => [
      { template: v.value_template, value_json: latest(v.state_topic) },
      { template: v.availability_template, value_json: latest(v.availability_topic) },
    ]);
    const answers = render(requests);
    c.forEach(([topic, v], i) => {
      const value = answers[2 * i];
      const availability = answers[2 * i + 1];
      assert.ok(value.ok, `${topic}: ${value.error}`);
      assert.deepEqual(availability, { ok: true, text: "online" }, topic);
      const component = topic.split("/")[1];
      if (component === "binary_sensor") assert.ok(value.text === "ON" || value.text === "OFF", `${topic} → ${value.text}`);
      else if (v.device_class === "enum" || v.options) assert.ok(v.options.includes(value.text), `${topic} → ${value.text}`);
      else if (topic.includes("skin_temp") && value.text === "None") { /* no valid skin reading: HA shows unknown */ }
      else assert.ok(Number.isFinite(Number(value.text)), `${topic} → ${value.text}`);
    });
    const high = answers[2 * c.findIndex(([t]) => t.includes("alarm_high"))];
    assert.equal(high.text, "ON", "the fan failure is a high-priority alarm");
    const offline = render([{ template: c[0][1].availability_template, value_json: { online: false, timestamp: "x" } }]);
    assert.equal(offline[0].text, "offline");
  });

  it("every control, pressed as Home Assistant sends it, is answered with success and takes effect", async () => {
    const c = configs();
    const number = c.get("homeassistant/number/incunest_001_temp_setpoint/config");
    const humidity = c.get("homeassistant/number/incunest_001_humidity_setpoint/config");
    const mode = c.get("homeassistant/select/incunest_001_mode/config");
    const [temperaturePayload, humidityPayload, modePayload] = render([
      { template: number.command_template, value: 34.5 },
      { template: humidity.command_template, value: 50 },
      { template: mode.command_template, value: "skin" },
    ]).map((r) => r.text!);
    const presses: Array<[string, string, (s: ReturnType<typeof rig.sim.incubator.snapshot>) => boolean]> = [
      [number.command_topic, temperaturePayload, (s) => s.setpoints.air === 34.5],
      [humidity.command_topic, humidityPayload, (s) => s.setpoints.humidity === 50],
      [mode.command_topic, modePayload, (s) => s.mode === "skin"],
      [c.get("homeassistant/button/incunest_001_ack_all/config").command_topic, c.get("homeassistant/button/incunest_001_ack_all/config").payload_press, (s) => s.alarms.every((a) => a.acknowledged)],
      // The fan failure left FAULT: once the fan turns again, a reset (PRODUCT.md's addition) leaves it.
      [c.get("homeassistant/button/incunest_001_stop/config").command_topic, '{"action":"reset"}', (s) => s.state !== "FAULT"],
      [c.get("homeassistant/button/incunest_001_standby/config").command_topic, c.get("homeassistant/button/incunest_001_standby/config").payload_press, (s) => s.state === "STANDBY"],
      [c.get("homeassistant/button/incunest_001_start/config").command_topic, c.get("homeassistant/button/incunest_001_start/config").payload_press, (s) => s.state === "PREHEATING"],
      [c.get("homeassistant/button/incunest_001_stop/config").command_topic, c.get("homeassistant/button/incunest_001_stop/config").payload_press, (s) => s.state === "STANDBY"],
    ];
    clearFaults(rig.sim.board!, "fan");
    await rig.run(5000);
    for (const [topic, payload, effect] of presses) {
      const from = rig.sub.messages.length;
      await rig.sub.publish(topic, payload);
      const response = topic.replace(/\/set$/, "/response").replace(/acknowledge$/, "acknowledge/response");
      await rig.until(() => rig.sub.messages.slice(from).some((m) => m.topic === response), `the answer to ${payload} on ${topic}`);
      const answer = JSON.parse(rig.sub.messages.slice(from).find((m) => m.topic === response)!.text);
      assert.equal(answer.success, true, `${topic} ${payload}: ${answer.message}`);
      assert.ok(effect(rig.sim.incubator.snapshot()), `${topic} ${payload} had no effect`);
    }
  });
});
