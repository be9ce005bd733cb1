import assert from "node:assert/strict";
import { Backoff } from "../../src/protocol/mqtt/backoff";
import { loadMqttConfig, saveMqttConfig } from "../../src/protocol/mqtt/config-record";
import { DEFAULT_MQTT_CONFIG, mergeMqttConfig, parseMqttUrl, validateMqttConfig } from "../../src/protocol/mqtt/mqtt-config";
import { MemoryRecordStore } from "../support/memory-record-store";

describe("MQTT reconnection back-off", () => {
  it("doubles from 1 s up to the cap, each delay between half and all of its step, and starts over after a connection", () => {
    const draws = [0, 0.999, 0.5, 0, 0.999, 0, 0.999, 0.3];
    let i = 0;
    const b = new Backoff(() => draws[i++ % draws.length], 1000, 20_000);
    const delays = Array.from({ length: 8 }, () => b.next());
    const steps = [1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000];
    delays.forEach((d, k) => assert.ok(d >= steps[k] / 2 && d < steps[k], `delay ${k} = ${d} outside [${steps[k] / 2}, ${steps[k]})`));
    b.reset();
    assert.ok(b.next() < 1000);
  });

  it("spreads a ward that lost its broker at the same moment (jitter)", () => {
    let s = 1;
    const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const third = Array.from({ length: 100 }, () => {
      const b = new Backoff(random);
      b.next();
      b.next();
      return b.next();
    });
    const spread = Math.max(...third) - Math.min(...third);
    assert.ok(spread > 1500, `third attempts within ${spread} ms of each other`);
  });
});

describe("MQTT configuration", () => {
  it("takes the docs' configuration object as it is", () => {
    const docs = { enabled: true, broker: "mqtt.example.com", port: 1883, username: "incunest", password: "secreto", client_id: "incunest_001", use_tls: false, keepalive: 60, qos: 1, retain: true };
    const r = validateMqttConfig(docs);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.config.broker, "mqtt.example.com");
    assert.equal(r.config.discovery, true);
    assert.equal(r.config.ha_controls, false);
  });

  it("refuses bad fields naming each one, and changes nothing", () => {
    const r = mergeMqttConfig(DEFAULT_MQTT_CONFIG, { port: 70000, broker: "mqtt://x", qos: 2, colour: "red", client_id: "x".repeat(30) });
    assert.equal(r.ok, false);
    if (r.ok) return;
    const text = r.errors.join("\n");
    for (const field of ["mqtt.port", "mqtt.broker", "mqtt.qos", "mqtt.colour", "mqtt.client_id"]) assert.match(text, new RegExp(field.replace(".", "\\.")));
    assert.equal(mergeMqttConfig(DEFAULT_MQTT_CONFIG, { enabled: true }).ok, false, "enabled without a broker");
    assert.equal(validateMqttConfig("mqtt://x").ok, false);
  });

  it("parses the command line's broker URL", () => {
    assert.deepEqual(parseMqttUrl("mqtt://user:p%40ss@broker.local:1884"), { ok: true, patch: { enabled: true, broker: "broker.local", port: 1884, username: "user", password: "p@ss", use_tls: false } });
    const tls = parseMqttUrl("mqtts://10.0.0.5");
    assert.ok(tls.ok && tls.patch.port === 8883 && tls.patch.use_tls === true && tls.patch.username === "");
    for (const bad of ["http://x", "mqtt://", "mqtt://h:99999", "broker:1883"]) assert.equal(parseMqttUrl(bad).ok, false, bad);
  });

  it("survives a reboot through the RecordStore; a stored record that no longer validates is reported and not used", async () => {
    const store = new MemoryRecordStore();
    assert.deepEqual(loadMqttConfig(store), { config: DEFAULT_MQTT_CONFIG, problems: [], stored: false });
    const r = mergeMqttConfig(DEFAULT_MQTT_CONFIG, { enabled: true, broker: "10.1.2.3", ha_controls: true });
    assert.ok(r.ok);
    await saveMqttConfig(store, r.config);
    assert.deepEqual(loadMqttConfig(store).config, r.config);
    store.records.set("mqtt", '{"port": "eighty"}');
    const broken = loadMqttConfig(store);
    assert.equal(broken.config, DEFAULT_MQTT_CONFIG);
    assert.match(broken.problems.join(), /mqtt\.port/);
    store.failWith = "flash worn out";
    await assert.rejects(saveMqttConfig(store, r.config), /flash worn out/);
  });
});
