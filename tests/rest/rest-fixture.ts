// The REST API on the simulated incubator (real drivers on the simulated board, so the
// calibration offsets go through the drivers), its logs on RAM flash, on simulated time;
// requests go straight to HttpRoute.handle and streamed bodies are drained as a server would.
import { hostSystemInfo } from "../../host-sim/host-system-info";
import { MemoryLogStore } from "../../host-sim/memory-log-store";
import { SimTime } from "../../host-sim/sim-time";
import { SimulatedIncubator } from "../../host-sim/simulated-incubator";
import { DeviceSettings } from "../../src/config/device-settings";
import { EventLog } from "../../src/logs/event-log";
import { LOG_STORE_BLOCKS, splitLogStore } from "../../src/logs/log-layout";
import { TrendLog } from "../../src/logs/trend-log";
import type { HttpBody, HttpRequest, HttpResponse } from "../../src/net/http-types";
import { DEFAULT_MQTT_CONFIG, type MqttConfig } from "../../src/protocol/mqtt/mqtt-config";
import { MqttSettings } from "../../src/protocol/mqtt/mqtt-settings";
import { RestApi } from "../../src/protocol/rest/rest-api";
import { MemoryRecordStore } from "../support/memory-record-store";

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: any;
  /** How many pieces a streamed body came in (0: not streamed). */
  readonly pieces: number;
}

export async function drain(body: HttpBody | undefined, pieceBytes = 1024): Promise<{ text: string; pieces: number }> {
  if (body === undefined) return { text: "", pieces: 0 };
  if (typeof body === "string") return { text: body, pieces: 0 };
  if (body instanceof Uint8Array) return { text: new TextDecoder().decode(body), pieces: 0 };
  let text = "";
  let pieces = 0;
  for (let piece = body.next(pieceBytes); piece !== null; piece = body.next(pieceBytes)) {
    const s = typeof piece === "string" ? piece : new TextDecoder().decode(piece);
    if (Buffer.byteLength(s) > pieceBytes) throw new Error(`a piece of ${Buffer.byteLength(s)} bytes for max ${pieceBytes}`);
    text += s;
    pieces++;
  }
  return { text, pieces };
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly authorized?: boolean;
  readonly remote?: string;
  readonly headers?: Record<string, string>;
}

export function restRig(options: { logStore?: MemoryLogStore; records?: MemoryRecordStore; time?: SimTime; mqtt?: boolean } = {}) {
  const time = options.time ?? new SimTime();
  const records = options.records ?? new MemoryRecordStore();
  const logStore = options.logStore ?? new MemoryLogStore(4096, LOG_STORE_BLOCKS);
  const regions = splitLogStore(logStore);
  const faults: string[] = [];
  const trend = new TrendLog({ store: regions.trend, timers: time, onStorageFault: (m) => faults.push(m) });
  const events = new EventLog({ store: regions.events, timers: time, wall: time, onStorageFault: (m) => faults.push(m) });
  const trendBoot = trend.open();
  const eventBoot = events.open("firmware started (test)");
  const settings = new DeviceSettings(records, "IncuNest", (kind, message, origin) => events.record(kind, "INFO", message, origin));
  const settingsProblems = settings.load();
  const sim = new SimulatedIncubator({ time, seed: 7, calibration: settings.calibration });
  trend.attach(sim.incubator);
  events.attach(sim.incubator);
  let reboots = 0;
  /** The MQTT configurations put in force (what the bridge's reconfigure received). */
  const mqttApplied: MqttConfig[] = [];
  const mqtt = options.mqtt ? new MqttSettings(records, DEFAULT_MQTT_CONFIG, (c) => mqttApplied.push(c)) : undefined;
  const rest = new RestApi({
    api: sim.incubator, trend, events, settings, clock: time, timers: time, wall: time,
    system: hostSystemInfo({ clock: time, host: "127.0.0.1" }),
    reboot: () => reboots++,
    ...(mqtt ? { mqtt } : {}),
  });
  sim.incubator.start();

  async function call(method: string, target: string, o: RequestOptions = {}): Promise<Answer> {
    const [path, qs] = target.split("?");
    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(qs ?? "")) query[k] = v;
    const request: HttpRequest = {
      method, path, query, headers: o.headers ?? {},
      body: o.body === undefined ? "" : typeof o.body === "string" ? o.body : JSON.stringify(o.body),
      remote: o.remote ?? "127.0.0.1:50000",
      authorized: o.authorized ?? true,
    };
    const answer: HttpResponse | null = await rest.handle(request);
    if (answer === null) throw new Error(`${target} is not a REST path`);
    const { text, pieces } = await drain(answer.body);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: answer.status, headers: answer.headers ?? {}, text, json, pieces };
  }

  /** Runs simulated time, a second at a time (timers fire on the way). */
  function run(seconds: number): void {
    for (let i = 0; i < seconds; i++) time.advance(1000);
  }

  return {
    time, records, logStore, trend, events, settings, sim, rest, call, run, mqtt, mqttApplied, faults, trendBoot, eventBoot, settingsProblems,
    get reboots() {
      return reboots;
    },
    stop: () => sim.incubator.stop(),
  };
}
