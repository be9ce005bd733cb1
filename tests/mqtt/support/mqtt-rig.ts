// The firmware (real core on the simulated board, simulated time) publishing through
// MQTT.js to a real mosquitto started for the test, and a real subscriber on it.
import { SimTime } from "../../../host-sim/sim-time";
import { SimulatedIncubator } from "../../../host-sim/simulated-incubator";
import { createHostMqtt } from "../../../host-sim/mqtt/host-mqtt";
import { startMosquitto, type Mosquitto, type MosquittoOptions } from "../../../host-sim/mqtt/mosquitto";
import { SeededRandom } from "../../../host-sim/seeded-random";
import type { MqttBridge } from "../../../src/protocol/mqtt/mqtt-bridge";
import { validateMqttConfig, type MqttConfig } from "../../../src/protocol/mqtt/mqtt-config";
import type { MqttJsTransport } from "../../../host-sim/mqtt/mqttjs-transport";
import { Subscriber } from "./subscriber";

export const DEVICE = "INCUNEST_001";
export const USERS = Object.freeze({ incunest: "bed-secret", nurse: "station-secret" });

export interface MqttRig {
  readonly broker: Mosquitto;
  readonly time: SimTime;
  readonly sim: SimulatedIncubator;
  readonly bridge: MqttBridge;
  readonly transport: MqttJsTransport;
  readonly sub: Subscriber;
  readonly logs: string[];
  /** Runs `ms` of simulated time in 100 ms steps, letting real I/O happen in between. */
  run(ms: number): Promise<void>;
  /** Runs simulated time until `condition` holds (at most `maxSimMs`). */
  until(condition: () => boolean, what: string, maxSimMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function brokerConfig(broker: Mosquitto, patch: Partial<MqttConfig> = {}): MqttConfig {
  const r = validateMqttConfig({ enabled: true, broker: "127.0.0.1", port: broker.port, username: "incunest", password: USERS.incunest, device_id: DEVICE, ...patch });
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.config;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function mqttRig(options: { broker?: MosquittoOptions; config?: Partial<MqttConfig>; seed?: number } = {}): Promise<MqttRig> {
  const broker = await startMosquitto({ users: USERS, ...options.broker });
  const time = new SimTime();
  const sim = new SimulatedIncubator({ time, seed: options.seed ?? 7 });
  const logs: string[] = [];
  const { bridge, transport } = createHostMqtt({
    api: sim.incubator,
    config: brokerConfig(broker, options.config),
    time,
    random: ((r) => () => r.next())(new SeededRandom(options.seed ?? 7)),
    log: (text) => logs.push(text),
  });
  const sub = await Subscriber.connect(broker.url, ["incunest/#", "homeassistant/#"], { username: "nurse", password: USERS.nurse });
  sim.incubator.start();
  bridge.start();
  const step = async () => {
    time.advance(100);
    await sleep(1);
  };
  const rig: MqttRig = {
    broker, time, sim, bridge, transport, sub, logs,
    async run(ms) {
      for (let t = 0; t < ms; t += 100) await step();
    },
    async until(condition, what, maxSimMs = 120_000) {
      // Both bounds must pass before giving up: on a loaded machine the real I/O may need
      // more steps than the simulated limit allows.
      const end = time.now() + maxSimMs;
      const realEnd = Date.now() + 15_000;
      while (!condition()) {
        if (time.now() > end && Date.now() > realEnd) throw new Error(`timed out (${maxSimMs / 1000} simulated s) waiting for ${what}; mqtt log: ${logs.join(" | ")}`);
        await step();
      }
    },
    async close() {
      bridge.stop(false);
      sim.incubator.stop();
      await sub.close();
      await broker.stop();
    },
  };
  return rig;
}
