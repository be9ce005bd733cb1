// A group of ward beds in one thread: each bed is its own firmware core on its own
// simulated board and plant (own noise seed, own faults), its own HTTP/WebSocket server
// (the bed's page and /ws) and its own MQTT connection. The ward runner starts one group
// inline or one per worker thread.
import { fileURLToPath } from "node:url";
import { applyFault, parseFaultSpec, scheduleFaults, type FaultSpec } from "../faults";
import { createHostMqtt } from "../mqtt/host-mqtt";
import type { MqttJsTransport } from "../mqtt/mqttjs-transport";
import { RealTime } from "../real-time";
import { SeededRandom } from "../seeded-random";
import { SimulatedIncubator } from "../simulated-incubator";
import { startServer, type HostServer } from "../server";
import { AssetRoute } from "../../src/webapp/asset-route";
import { FileAssetSource } from "../file-assets";
import type { IncubatorEvent } from "../../src/core/api";
import type { MqttBridge } from "../../src/protocol/mqtt/mqtt-bridge";
import { validateMqttConfig } from "../../src/protocol/mqtt/mqtt-config";
import type { LinkState } from "../../src/protocol/mqtt/mqtt-bridge";

export interface BedGroupOptions {
  /** Bed numbers (1-based) this group runs. */
  readonly beds: readonly number[];
  readonly broker: { readonly host: string; readonly port: number; readonly username: string; readonly password: string };
  /** Bed number → fault specs (host-sim/faults.ts syntax). */
  readonly faults: Readonly<Record<number, readonly string[]>>;
  readonly apiKey: string | null;
  readonly speed: number;
  /** Start therapy at once (a ward in use), at setpoints spread around 36.5 °C. */
  readonly therapy: boolean;
  /** Each bed serves its own page and /ws on an ephemeral port. */
  readonly servers: boolean;
  /** Bench: report when each message was handed to the transport. */
  readonly trace: boolean;
  /** Publish over MQTT (default true; the bench's /ws comparison runs without). */
  readonly mqtt?: boolean;
}

export interface BedInfo {
  readonly bed: number;
  readonly deviceId: string;
  /** The bed's own page (null without servers). */
  readonly url: string | null;
  readonly wsUrl: string | null;
}

/** A message handed to MQTT.js: topic, the payload's identifying key, when (epoch ms, sub-ms). */
export interface PublishTrace {
  readonly topic: string;
  readonly key: string;
  readonly atMs: number;
}

/** A firmware-side event the broker must deliver: alarm raise/ack/clear, state change. */
export interface EventTrace {
  readonly deviceId: string;
  readonly key: string;
}

export function deviceIdOf(bed: number): string {
  return `INCUNEST_${String(bed).padStart(3, "0")}`;
}

/** What identifies a payload on both ends: the timestamp, and for alarms id and change. */
export function payloadKey(topic: string, payload: string): string {
  if (topic.endsWith("/alarms")) {
    const id = /"id":(\d+)/.exec(payload)?.[1];
    const change = /"change":"(\w+)"/.exec(payload)?.[1];
    return `${id}:${change}`;
  }
  if (topic.endsWith("/state")) return `${/"state":"(\w+)"/.exec(payload)?.[1]}<${/"previous":"?(\w+)/.exec(payload)?.[1]}`;
  return payload.slice(14, 38);
}

interface Bed {
  readonly info: BedInfo;
  readonly sim: SimulatedIncubator;
  readonly bridge: MqttBridge;
  readonly transport: MqttJsTransport;
  readonly server: HostServer | null;
}

export class BedGroup {
  private readonly beds: Bed[] = [];
  readonly publishes: PublishTrace[] = [];
  readonly events: EventTrace[] = [];

  private constructor(readonly options: BedGroupOptions) {}

  static async start(options: BedGroupOptions): Promise<BedGroup> {
    const group = new BedGroup(options);
    for (const bed of options.beds) await group.add(bed);
    return group;
  }

  get info(): BedInfo[] {
    return this.beds.map((b) => b.info);
  }

  private async add(bed: number): Promise<void> {
    const o = this.options;
    const deviceId = deviceIdOf(bed);
    const time = new RealTime(o.speed);
    const random = new SeededRandom(bed * 7919);
    const sim = new SimulatedIncubator({ time, seed: bed });
    const config = validateMqttConfig({ enabled: o.mqtt !== false, broker: o.broker.host, port: o.broker.port, username: o.broker.username, password: o.broker.password, device_id: deviceId, discovery: false });
    if (!config.ok) throw new Error(config.errors.join("; "));
    // Publishing runs right after the tick (a microtask once its event is delivered), not behind the other beds' timers.
    const { bridge, transport } = createHostMqtt({ api: sim.incubator, config: config.config, time, random: () => random.next(), schedule: (work) => queueMicrotask(work) });
    if (o.trace) this.trace(deviceId, sim, transport);
    const server = o.servers
      ? await startServer({ api: sim.incubator, port: 0, apiKey: o.apiKey, wall: time, log: () => {}, routes: [bedsideApp()] })
      : null;
    sim.incubator.start();
    bridge.start();
    if (o.therapy) {
      const origin = { via: "local" as const, client: "ward" };
      void sim.incubator.execute("set_temperature", { setpoint: 36 + (bed % 5) * 0.2 }, origin);
      void sim.incubator.execute("set_state", { state: "start" }, origin);
    }
    const specs: FaultSpec[] = [];
    for (const text of o.faults[bed] ?? []) {
      const parsed = parseFaultSpec(text);
      if (!parsed.ok) throw new Error(`bed ${bed}: ${parsed.error}`);
      specs.push(parsed.spec);
    }
    if (sim.board && specs.length) scheduleFaults(sim.board, specs, time);
    const key = o.apiKey ? `?api-key=${encodeURIComponent(o.apiKey)}` : "";
    this.beds.push({
      // The bed's own page: the bedside app at / (it asks for the ward's key once per bed,
      // never in the URL); its live feed for tools.
      info: { bed, deviceId, url: server ? server.url : null, wsUrl: server ? `${server.wsUrl}${key}` : null },
      sim, bridge, transport, server,
    });
  }

  private trace(deviceId: string, sim: SimulatedIncubator, transport: MqttJsTransport): void {
    const connect = transport.connect.bind(transport);
    transport.connect = (options, handler) => {
      const link = connect(options, handler);
      const publish = link.publish.bind(link);
      link.publish = (topic, payload, qos, retain, token) => {
        const ok = publish(topic, payload, qos, retain, token);
        if (ok && (topic.endsWith("/sensors") || topic.endsWith("/alarms") || topic.endsWith("/state"))) {
          this.publishes.push({ topic, key: payloadKey(topic, payload), atMs: performance.timeOrigin + performance.now() });
        }
        return ok;
      };
      return link;
    };
    sim.incubator.subscribe((e: IncubatorEvent) => {
      if (e.type === "alarm") this.events.push({ deviceId, key: `alarms ${e.alarm.id}:${e.change}` });
      else if (e.type === "state_change") this.events.push({ deviceId, key: `state ${e.next}<${e.previous}` });
    });
  }

  /** Applies a fault now to one bed of this group. */
  fault(bed: number, spec: string): void {
    const b = this.beds.find((x) => x.info.bed === bed);
    const parsed = parseFaultSpec(spec);
    if (!b || !b.sim.board || !parsed.ok) throw new Error(`bed ${bed}: cannot apply ${spec}`);
    applyFault(b.sim.board, parsed.spec);
  }

  /** Cuts one bed's power: its MQTT connection dies without DISCONNECT (last will), its
   *  firmware stops. */
  kill(bed: number): void {
    const b = this.beds.find((x) => x.info.bed === bed);
    if (!b) return;
    b.transport.sever();
    b.bridge.stop(false);
    b.sim.incubator.stop();
    void b.server?.close();
  }

  linkStates(): Record<LinkState, number> {
    const counts = { disabled: 0, connecting: 0, connected: 0, waiting: 0, stopped: 0 };
    for (const b of this.beds) counts[b.bridge.stats().state]++;
    return counts;
  }

  droppedEvents(): number {
    return this.beds.reduce((n, b) => n + b.bridge.stats().droppedEvents, 0);
  }

  async stop(): Promise<void> {
    for (const b of this.beds) {
      b.bridge.stop(true);
      b.sim.incubator.stop();
    }
    await Promise.all(this.beds.map((b) => b.server?.close()));
  }
}

let sharedApp: AssetRoute | null = null;

/** The bedside app's files, read once and served by every bed of this thread. */
function bedsideApp(): AssetRoute {
  sharedApp ??= new AssetRoute(new FileAssetSource(fileURLToPath(new URL("../../build/web", import.meta.url))));
  return sharedApp;
}
