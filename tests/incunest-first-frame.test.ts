// The first sensor_update after boot carries real readings: the drivers deliver one tick
// after they are first asked, so the first tick's snapshot has no reading at all and is
// not sent; the picture on subscribing waits for the first tick with readings.
import assert from "node:assert/strict";
import { WebSocket } from "ws";
import { startServer } from "../host-sim/server";
import type { Reading, SensorFrame } from "../src/core/types";
import { encodeSensorUpdate, sensorUpdateDue } from "../src/protocol/incunest/messages";
import { toyIncubator } from "./support/toy-incubator";

const NOTHING_YET: Reading = { value: null, atMs: null, fault: "stale", detail: "no measurement yet" };

/** The toy's sensors behind a one-tick pipeline, as SHT31 and DS18B20 drivers behave. */
function bootingIncubator() {
  let asked = 0;
  let failAll = false;
  const toy = toyIncubator({
    sensors: {
      sample: (nowMs): SensorFrame => {
        asked++;
        if (asked === 1 || failAll) return { air: NOTHING_YET, humidity: NOTHING_YET, skin: NOTHING_YET, probeAir: NOTHING_YET, fanRpm: NOTHING_YET };
        return toy.plant.frame(nowMs);
      },
    },
  });
  return { ...toy, failAll: () => void (failAll = true) };
}

async function collect(url: string, until: (messages: any[]) => boolean, step: () => void): Promise<any[]> {
  const ws = new WebSocket(url);
  const messages: any[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  ws.send(JSON.stringify({ type: "subscribe", channel: "all" }));
  for (let i = 0; i < 200 && !until(messages); i++) {
    await new Promise((r) => setTimeout(r, 10));
    step();
  }
  ws.close();
  return messages;
}

describe("/ws: the first sensor_update after boot", () => {
  it("is not sent before the sensors' first readings; a client subscribed at boot first gets real ones", async () => {
    const toy = bootingIncubator();
    toy.incubator.start();
    const server = await startServer({ api: toy.incubator, host: "127.0.0.1", port: 0, apiKey: null, clock: toy.time, timers: toy.time, wall: toy.time, log: () => {} });
    try {
      let ticks = 0;
      const messages = await collect(server.wsUrl, (m) => m.some((x) => x.type === "sensor_update"), () => {
        if (ticks++ < 3) toy.run(1);
      });
      const first = messages.find((x) => x.type === "sensor_update");
      assert.ok(first, `a sensor_update arrived: ${JSON.stringify(messages.map((x) => x.type))}`);
      assert.equal(typeof first.data.temperature.ambient, "number");
      assert.equal(typeof first.data.humidity, "number");
      assert.equal(typeof first.data.temperature.skin, "number");
      assert.equal(messages.filter((x) => x.type === "sensor_update" && x.data.temperature.ambient === null).length, 0);
      assert.ok(toy.incubator.snapshot().seq >= 2);
    } finally {
      await server.close();
    }
  });

  it("later, a tick whose sensors all fail is still sent, with nulls: no reading is then news", () => {
    const toy = bootingIncubator();
    toy.incubator.start();
    assert.equal(sensorUpdateDue(toy.incubator.snapshot()), false, "before the first tick");
    toy.time.advance(1); // the first tick, due at once
    assert.equal(toy.incubator.snapshot().seq, 1);
    assert.equal(sensorUpdateDue(toy.incubator.snapshot()), false, "the first tick: nothing measured yet");
    toy.run(1);
    assert.equal(sensorUpdateDue(toy.incubator.snapshot()), true);
    toy.failAll();
    toy.run(1);
    const s = toy.incubator.snapshot();
    assert.equal(s.air, null);
    assert.equal(sensorUpdateDue(s), true);
    assert.match(encodeSensorUpdate(s), /"ambient":null,"skin":null},"humidity":null/);
  });
});
