// XS entry (host-sim/xs/run-on-xs.ts) for the MQTT bridge: the real Incubator on the toy
// plant and simulated time, MqttBridge over an in-memory broker link, so the same calls
// on Node and on XS can be compared message for message.
//   {op:"setup"}                    boots, connects, starts therapy
//   {op:"advance", s}               s seconds of control ticks and publishing
//   {op:"command", topic, payload}  a message arriving on a command topic
//   {op:"local", action, data}      a command from the bedside (not MQTT), e.g. during an outage
//   {op:"down"} / {op:"up"}         the broker goes away (connections refused) / comes back
//   {op:"take"}                     what was published since the last take, and the stats
import { MqttBridge } from "../../../src/protocol/mqtt/mqtt-bridge";
import { validateMqttConfig } from "../../../src/protocol/mqtt/mqtt-config";
import type { MqttConnectOptions, MqttLink, MqttLinkHandler, MqttTransport, QoS } from "../../../src/protocol/mqtt/transport";
import { toyIncubator } from "../../support/toy-incubator";

type Input = { op: "setup" } | { op: "advance"; s: number } | { op: "command"; topic: string; payload: string } | { op: "local"; action: string; data: unknown } | { op: "down" } | { op: "up" } | { op: "take" };

let toy: ReturnType<typeof toyIncubator> | null = null;
let bridge: MqttBridge | null = null;
let published: string[] = [];
let brokerUp = true;
let current: { handler: MqttLinkHandler; open: boolean } | null = null;

class MemoryTransport implements MqttTransport {
  connect(options: MqttConnectOptions, handler: MqttLinkHandler): MqttLink {
    const time = toy!.time;
    const state = { handler, open: true };
    current = state;
    time.after(5, () => {
      if (!state.open) return;
      if (brokerUp) {
        published.push(`CONNECT ${options.clientId} will ${options.will.topic} ${options.will.payload}`);
        handler.onConnected();
      } else {
        state.open = false;
        handler.onClosed("connection refused");
      }
    });
    return {
      publish(topic: string, payload: string, qos: QoS, retain: boolean, token: number): boolean {
        if (!state.open) return false;
        published.push(`${topic} q${qos}${retain ? " retained" : ""} ${payload}`);
        if (qos === 1) time.after(2, () => state.open && handler.onAcknowledged(token));
        return true;
      },
      subscribe(topics: readonly string[]): void {
        published.push(`SUBSCRIBE ${topics.join(" ")}`);
      },
      close(): void {
        state.open = false;
      },
    };
  }
}

function need<T>(value: T | null): T {
  if (value === null) throw new Error("call {op:'setup'} first");
  return value;
}

export function run(input: Input) {
  switch (input.op) {
    case "setup": {
      toy = toyIncubator();
      const config = validateMqttConfig({ enabled: true, broker: "broker.ward", port: 1883, device_id: "INCUNEST_XS", ha_controls: true });
      if (!config.ok) throw new Error(config.errors.join("; "));
      let seed = 42;
      bridge = new MqttBridge({
        api: toy.incubator, transport: new MemoryTransport(), config: config.config, defaultDeviceId: "X",
        clock: toy.time, timers: toy.time, wall: toy.time, firmware: "0.1.0",
        random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
      });
      toy.incubator.start();
      bridge.start();
      void toy.incubator.execute("set_state", { state: "start" }, { via: "local", client: "xs" });
      return { state: bridge.stats().state };
    }
    case "advance":
      for (let i = 0; i < input.s * 10; i++) {
        need(toy).time.advance(100);
        if (i % 10 === 9) toy!.plant.step(1);
      }
      return { ok: true };
    case "command":
      need(current).handler.onMessage(input.topic, input.payload, false);
      return { ok: true };
    case "local":
      void need(toy).incubator.execute(input.action, input.data, { via: "local", client: "xs" });
      return { ok: true };
    case "down":
      brokerUp = false;
      if (current && current.open) {
        current.open = false;
        current.handler.onClosed("broker went away");
      }
      return { ok: true };
    case "up":
      brokerUp = true;
      return { ok: true };
    case "take": {
      const out = published;
      published = [];
      return { published: out, stats: need(bridge).stats() };
    }
  }
}
