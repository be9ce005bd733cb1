// The MQTT bridge (topics, payloads, discovery, commands, queueing across an outage) on
// Moddable's XS engine publishes exactly what it publishes on Node.
import { strict as assert } from "node:assert";
import { fileURLToPath } from "node:url";
import { startXS } from "../../host-sim/xs/run-on-xs";

const ENTRY = fileURLToPath(new URL("./entries/mqtt-bridge.ts", import.meta.url));
const BASE = "incunest/INCUNEST_XS";

describe("MQTT bridge on XS", () => {
  it("publishes the same messages on XS as on Node, through commands and a broker outage", async () => {
    const node = await import("./entries/mqtt-bridge");
    const script: unknown[] = [
      { op: "setup" },
      { op: "advance", s: 3 },
      { op: "take" },
      { op: "command", topic: `${BASE}/control/temperature/set`, payload: '{"setpoint":36.8,"command_id":7}' },
      { op: "command", topic: `${BASE}/control/humidity/set`, payload: '{"setpoint":99}' },
      { op: "command", topic: `${BASE}/alarms/acknowledge`, payload: "nonsense" },
      { op: "advance", s: 2 },
      { op: "take" },
      { op: "down" },
      { op: "local", action: "set_state", data: { state: "stop" } },
      { op: "local", action: "set_humidity", data: { setpoint: 55 } },
      { op: "advance", s: 45 },
      { op: "take" },
      { op: "up" },
      { op: "advance", s: 40 },
      { op: "take" },
    ];
    const xs = await startXS(ENTRY);
    const takes: Array<{ published: string[] }> = [];
    try {
      for (const input of script) {
        const onXS = (await xs.call(input)).results;
        const onNode = JSON.parse(JSON.stringify(node.run(input as never)));
        assert.deepEqual(onXS, onNode, JSON.stringify(input));
        if ((input as { op: string }).op === "take") takes.push(onNode);
      }
    } finally {
      await xs.close();
    }
    // What was compared is real traffic: discovery, answers, and the outage's queue.
    const all = takes.flatMap((t) => t.published);
    assert.ok(all.some((m) => m.startsWith("homeassistant/number/incunest_xs_temp_setpoint/config q1 retained {")));
    assert.ok(all.some((m) => m === `${BASE}/control/temperature/response q1 {"success":true,"setpoint":36.8,"message":"air setpoint set to 36.8 °C","command_id":7}`));
    assert.ok(all.some((m) => m.startsWith(`${BASE}/control/humidity/response q1 {"success":false,"code":4002`)));
    assert.equal(takes[2].published.length, 0, "nothing goes out while the broker is away");
    const after = takes[3].published;
    const change = after.findIndex((m) => m.startsWith(`${BASE}/state q1 retained {`) && m.includes('"state":"STANDBY","previous":"PREHEATING"'));
    assert.ok(change > 0, "the state change of the outage is delivered after reconnecting");
    assert.deepEqual(after.slice(0, 3).map((m) => m.split(" {")[0].split(" ").slice(0, 2).join(" ")), ["CONNECT incunest_xs", `SUBSCRIBE ${BASE}/control/temperature/set`, `${BASE}/status q1`], "connect, subscribe, online first");
    assert.ok(after.some((m) => m.startsWith(`${BASE}/sensors q0`) && m.includes('"humidity":{"current"') && m.includes('"setpoint":55}')), "sensor readings of the outage, bounded, delivered too");
  });
});
