import { strict as assert } from "node:assert";
import { mqttConfigure } from "../../src/protocol/rest/config-routes";
import { TEST_ORIGIN } from "../support/origin";
import { OpenApiContract } from "../support/openapi-contract";
import { restRig, type Answer, type RequestOptions } from "./rest-fixture";

const contract = new OpenApiContract();

function rig() {
  const r = restRig({ mqtt: true });
  const call = async (method: string, target: string, o?: RequestOptions): Promise<Answer> => {
    const answer = await r.call(method, target, o);
    contract.check(method, target, answer);
    return answer;
  };
  return { ...r, call };
}

describe("the MQTT configuration over REST (GET/POST /api/config mqtt) and MQTT config/set", () => {
  it("shows it without the password, stores a change before it takes effect, keeps a password sent back as ********", async () => {
    const r = rig();
    const first = (await r.call("GET", "/api/config")).json.data;
    assert.equal(first.mqtt.enabled, false);
    assert.equal(first.network.mqtt_enabled, false);
    const answer = await r.call("POST", "/api/config", { body: { mqtt: { enabled: true, broker: "broker.ward", port: 1884, username: "bed3", password: "s3cret", device_id: "BED_3" } } });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json.data.changed, ["mqtt.enabled", "mqtt.broker", "mqtt.port", "mqtt.username", "mqtt.password (not shown)", "mqtt.device_id"]);
    assert.equal(answer.json.data.config.mqtt.password, "********");
    assert.equal(answer.json.data.config.network.mqtt_enabled, true);
    assert.ok(!answer.text.includes("s3cret"), "the password never leaves");
    const stored = JSON.parse(r.records.records.get("mqtt")!);
    assert.equal(stored.password, "s3cret");
    assert.equal(r.mqttApplied.length, 1);
    assert.equal(r.mqttApplied[0].broker, "broker.ward");

    // A saved document sent back whole changes nothing, the password included.
    const saved = (await r.call("GET", "/api/config")).json.data;
    const back = await r.call("POST", "/api/config", { body: saved });
    assert.equal(back.status, 200, back.text);
    assert.deepEqual(back.json.data.changed, []);
    assert.equal(JSON.parse(r.records.records.get("mqtt")!).password, "s3cret");
    assert.equal(r.mqttApplied.length, 1, "nothing changed: the link is not rebuilt");
    r.stop();
  });

  it("refuses a wrong configuration naming every wrong field, and changes nothing else in the same update", async () => {
    const r = rig();
    const answer = await r.call("POST", "/api/config", { body: { device: { name: "Bed 9" }, mqtt: { enabled: true, port: 0, qos: 2, surprise: 1 } } });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.field, "mqtt");
    for (const part of [/mqtt\.port must be an integer 1\.\.65535, got 0/, /mqtt\.qos is fixed at 1/, /mqtt\.surprise: unknown field/]) assert.match(answer.json.error.message, part);
    const lonePassword = await r.call("POST", "/api/config", { body: { mqtt: { enabled: true, broker: "b", password: "x" } } });
    assert.equal(lonePassword.status, 400);
    assert.match(lonePassword.json.error.message, /password needs an mqtt\.username/);
    assert.equal(r.settings.name, "IncuNest");
    assert.equal(r.records.records.get("mqtt"), undefined);
    assert.equal(r.mqttApplied.length, 0);
    r.stop();
  });

  it("answers 500 STORAGE_ERROR when the record cannot be stored, and keeps the configuration in force", async () => {
    const r = rig();
    r.records.failWith = "flash write failed";
    const answer = await r.call("POST", "/api/config", { body: { mqtt: { enabled: true, broker: "b", username: "u" } } });
    assert.equal(answer.status, 500);
    assert.equal(answer.json.error.code, "STORAGE_ERROR");
    assert.match(answer.json.error.message, /flash write failed/);
    assert.equal(r.mqtt!.config.enabled, false);
    assert.equal(r.mqttApplied.length, 0);
    r.stop();
  });

  it("config/set over MQTT takes the same partial JSON, but not the mqtt section", async () => {
    const r = rig();
    const configure = mqttConfigure(r.rest.config);
    const named = await configure({ device: { name: "Bed 4" }, calibration: { temp_skin_offset: 0.25 } }, { ...TEST_ORIGIN, via: "mqtt" });
    assert.deepEqual(named, { success: true, message: "updated device.name, calibration.temp_skin_offset" });
    assert.equal(r.settings.name, "Bed 4");
    const self = await configure({ mqtt: { port: 1885 } }, { ...TEST_ORIGIN, via: "mqtt" });
    assert.equal(self.success, false);
    assert.equal(!self.success && self.code, 4002);
    assert.match(self.message, /^mqtt: the MQTT connection is configured over REST/);
    const wrong = await configure({ calibration: { temp_skin_offset: 5 } }, { ...TEST_ORIGIN, via: "mqtt" });
    assert.equal(!wrong.success && wrong.code, 4002);
    assert.match(wrong.message, /^calibration\.temp_skin_offset: .*±2 °C/);
    r.records.failWith = "disk full";
    const stored = await configure({ device: { name: "Bed 5" } }, { ...TEST_ORIGIN, via: "mqtt" });
    assert.equal(!stored.success && stored.code, 5000);
    assert.match(stored.message, /disk full/);
    assert.equal(r.settings.name, "Bed 4");
    r.stop();
  });
});
