// The seed's own JavaScript client class, unmodified, against host-sim's /ws server.
// Node 20 has no WebSocket global: the class gets the `ws` package's WebSocket, and
// presents the key as a Node script would (a subclass adding `Authorization: Bearer`),
// or as a browser must (the query form, appended to the client's `url` property).
import { strict as assert } from "node:assert";
import { WebSocket } from "ws";
import { loadSeedJsClient, type SeedGlobals } from "./support/seed-clients";
import { TEST_KEY, until, wsFixture, type WsFixture } from "./support/ws-fixture";

function globalsFor(WebSocketClass: unknown, logs: string[]): SeedGlobals {
  const unref = <T extends { unref(): void }>(h: T) => (h.unref(), h);
  return {
    WebSocket: WebSocketClass,
    console: { log: (...a: unknown[]) => logs.push(a.join(" ")), warn: (...a: unknown[]) => logs.push(a.join(" ")), error: (...a: unknown[]) => logs.push(a.join(" ")) },
    // The client's 10 s command timeouts and 30 s pings must not keep mocha alive.
    setTimeout: (fn, ms) => unref(setTimeout(fn, ms)),
    clearTimeout: (h) => clearTimeout(h),
    setInterval: (fn, ms) => unref(setInterval(fn, ms)),
    clearInterval: (h) => clearInterval(h),
  };
}

class BearerWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
  }
}

describe("the seed's JavaScript client (IncuNestWebSocket, verbatim)", () => {
  let f: WsFixture;
  let clients: any[] = [];
  const logs: string[] = [];

  beforeEach(async () => {
    f = await wsFixture();
    clients = [];
  });
  afterEach(async () => {
    for (const c of clients) {
      c.maxReconnectAttempts = 0; // its onclose would otherwise reconnect after 3 s
      c.disconnect();
    }
    await f.close();
  });

  it("connects with a Bearer key, subscribes, streams updates, sets setpoints, starts and sees promises resolve", async () => {
    const IncuNestWebSocket = loadSeedJsClient(globalsFor(BearerWebSocket, logs));
    const client = new IncuNestWebSocket(`127.0.0.1:${f.server.port}`);
    clients.push(client);
    await client.connect();
    assert.ok(logs.includes("Conectado a IncuNest"));

    const updates: any[] = [];
    const stamps: string[] = [];
    client.on("sensor_update", (data: any, timestamp: string) => {
      updates.push(data);
      stamps.push(timestamp);
    });
    f.run(1); // the incubator has measured (no sensor_update goes out before its first readings)
    client.subscribe("sensors");
    await until(() => updates.length === 1, "the subscription's sensor_update");
    f.run(5);
    await until(() => updates.length >= 6, "a sensor_update per tick");
    assert.equal(typeof updates[5].temperature.ambient, "number");
    assert.equal(typeof updates[5].humidity, "number");
    assert.ok(stamps.every((s) => /\.\d{3}Z$/.test(s)));

    const reply = await client.setTemperature(36.5);
    assert.deepEqual({ id: reply.command_id, ok: reply.success }, { id: "cmd_1", ok: true });
    assert.equal(f.toy.incubator.snapshot().setpoints.air, 36.5);
    const humidity = await client.setHumidity(65);
    assert.equal(humidity.success, true);
    const states: any[] = [];
    client.on("state_change", (data: any) => states.push(data));
    client.subscribe("state");
    const started = await client.start();
    assert.equal(started.success, true);
    await until(() => states.some((s) => s.previous_state === "STANDBY" && s.new_state === "PREHEATING"), "the STANDBY → PREHEATING state_change");

    const seen = updates.length;
    f.run(1);
    await until(() => updates.length > seen, "an update after the change");
    const last = updates[updates.length - 1];
    assert.deepEqual(last.setpoint, { temperature: 36.5, humidity: 65 });
    assert.equal(last.state, "PREHEATING");

    await assert.rejects(client.setTemperature(50), /50.*outside|outside.*50|range/i);
    assert.equal(f.toy.incubator.snapshot().setpoints.air, 36.5);
    const stopped = await client.stop();
    assert.equal(stopped.success, true);
    assert.equal(f.toy.incubator.snapshot().state, "STANDBY");
  });

  it("works with the key in the query (the browser form) and acknowledges an alarm", async () => {
    const IncuNestWebSocket = loadSeedJsClient(globalsFor(WebSocket, logs));
    const client = new IncuNestWebSocket(`127.0.0.1:${f.server.port}`);
    client.url += `?api-key=${encodeURIComponent(TEST_KEY)}`;
    clients.push(client);
    await client.connect();
    const alarms: any[] = [];
    client.on("alarm", (data: any) => alarms.push(data));
    client.subscribe("alarms");
    const raised = (await f.raiseTempHigh());
    await until(() => alarms.length === 1, "the alarm event");
    assert.equal(alarms[0].id, raised.id);
    const ack = await client.acknowledgeAlarm(raised.id);
    assert.equal(ack.success, true);
    await until(() => alarms.length === 2, "the acknowledged alarm event");
    assert.deepEqual({ id: alarms[1].id, acknowledged: alarms[1].acknowledged, active: alarms[1].active }, { id: raised.id, acknowledged: true, active: true });
    await assert.rejects(client.acknowledgeAlarm(raised.id + 100), new RegExp(`${raised.id + 100}`));
    assert.equal(f.toy.incubator.snapshot().alarms[0].acknowledged, true);
  });

  it("is closed with 4000 without the key", async () => {
    const IncuNestWebSocket = loadSeedJsClient(globalsFor(WebSocket, logs));
    const client = new IncuNestWebSocket(`127.0.0.1:${f.server.port}`);
    clients.push(client);
    client.maxReconnectAttempts = 0;
    await client.connect();
    const code = await new Promise<number>((resolve) => client.ws.addEventListener("close", (e: { code: number }) => resolve(e.code)));
    assert.equal(code, 4000);
  });
});
