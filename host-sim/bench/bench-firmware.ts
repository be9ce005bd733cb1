// The firmware as src/device/main.ts composes it (records, trend and event logs, device
// settings, the simulated board, the core, the REST API and the one server with /ws and the
// Indigo feeds) on simulated time, with scripted clients over byte sockets: what the bench's
// XS entries (entries/firmware-ticks.ts, entries/heap-census.ts) run. Only the firmware's
// stable APIs are used, so the entries also run on an older checkout (copied in with this file).
import { Incubator } from "../../src/core/incubator";
import { AbRecordStore } from "../../src/core/ab-record-store";
import { loadBootRecords, persistAlarmHistoryTo, persistSettingsTo } from "../../src/core/boot-records";
import { PreferenceSlots } from "../../src/core/preference-slots";
import { DeviceSettings } from "../../src/config/device-settings";
import { openHardware } from "../../src/device/hardware-sim";
import { createFirmwareServer, type FirmwareServer } from "../../src/firmware/server";
import { FirmwareLogs } from "../../src/logs/firmware-logs";
import type { LogStore } from "../../src/logs/log-store";
import { RestApi } from "../../src/protocol/rest/rest-api";
import type { RestOptions } from "../../src/protocol/rest/rest-context";
import { clientFrame, upgradeRequest } from "../../tests/support/net/client-frames";
import { SimEsp32Preference } from "../../tests/support/sim-esp32-preference";
import { SimTime } from "../sim-time";
import { SIM_DEVICE_CONFIG } from "./sim-device-config";
import { SinkSocket } from "./sink-socket";

export type BenchClient = "python" | "js" | "indigo" | "rest";
export type BenchRoute = "status" | "history" | "page";

export const BENCH_KEY = "bench-key-0123456789";

export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function get(path: string): Uint8Array {
  return ascii(`GET ${path} HTTP/1.1\r\nHost: incunest.local\r\nAuthorization: Bearer ${BENCH_KEY}\r\nAccept: application/json\r\n\r\n`);
}

/** The device facts the REST API reports, as a bench's (`name` in its ids and texts). */
export function benchSystemInfo(t: SimTime, name: string): RestOptions["system"] {
  return {
    deviceId: `INCUNEST_${name.toUpperCase()}`,
    firmwareVersion: name,
    hardwareVersion: name,
    uptimeS: () => t.now() / 1000,
    wifi: () => ({ connected: true, ssid: "ward", rssi: -60, ip: "10.0.0.1" }),
    memory: { read: () => ({ heapFree: null, heapTotal: null, source: name }) },
    network: () => ({ hostname: `incunest_${name}`, mqttEnabled: false }),
  };
}

/** One scripted WebSocket client: its socket, the frames it sends on its own schedule. */
interface WsClient {
  readonly socket: SinkSocket;
  /** What it sends every `everyS` seconds after connecting (null: nothing). */
  readonly periodic: Uint8Array | null;
  readonly everyS: number;
  connectedAt: number;
}

export class BenchFirmware {
  readonly time = new SimTime();
  readonly flash = new SimEsp32Preference();
  readonly records = new AbRecordStore({ medium: new PreferenceSlots(this.flash), schedule: (work) => work() });
  readonly incubator: Incubator;
  readonly logs: FirmwareLogs;
  readonly server: FirmwareServer;
  readonly clients: WsClient[] = [];
  rest: SinkSocket | null = null;
  restConnections = 0;
  restBytes = 0;
  second = 0;
  readonly requests: Record<BenchRoute, Uint8Array> = {
    status: get("/api/status"),
    history: get("/api/sensors/history"),
    page: get("/"),
  };

  constructor(readonly logStore: LogStore) {
    const t = this.time;
    const boot = loadBootRecords(this.records);
    this.logs = new FirmwareLogs({ store: this.logStore, timers: t, wall: t, bootMessage: "bench firmware started" });
    const settings = new DeviceSettings(this.records, "IncuNest", (kind, message, origin) => this.logs.events.record(kind, "INFO", message, origin));
    settings.load();
    const hardware = openHardware(SIM_DEVICE_CONFIG, t, () => {}, settings.calibration);
    this.incubator = new Incubator({
      clock: t,
      wall: t,
      timers: t,
      sensors: hardware.sensors,
      actuators: hardware.actuators,
      alarmSignal: hardware.alarmSignal,
      settings: boot.settings,
      settingsLost: boot.settingsLost,
      persist: persistSettingsTo(this.records),
      alarmHistory: boot.alarmHistory,
      persistAlarmHistory: persistAlarmHistoryTo(this.records, t),
    });
    this.logs.attach(this.incubator);
    const core = this.incubator;
    this.incubator.start();
    const rest = new RestApi({
      api: core,
      trend: this.logs.trend,
      events: this.logs.events,
      settings,
      system: benchSystemInfo(t, "bench"),
      clock: t,
      timers: t,
      wall: t,
    });
    this.server = createFirmwareServer({
      api: core,
      clock: t,
      timers: t,
      wall: t,
      apiKey: () => BENCH_KEY,
      keyHint: "bench",
      platform: "device",
      indigo: { schedule: (work) => void t.after(0, work) },
      routes: [rest],
      statusRows: () => [["Network", "bench"]],
      log: (text) => core.log(text, "device"),
    });
  }

  /** Boots for 5 s, then starts therapy as `client` would (the command completes in the
   *  promise jobs after this call; the warm-up follows). */
  startTherapy(client: string): string {
    for (let s = 0; s < 5; s++) this.tick();
    void this.incubator.execute("set_state", { state: "start" }, { via: "local", client });
    return this.incubator.snapshot().state;
  }

  /** Opens a WebSocket on `path`, then sends `first` (each frame read before the next). */
  openWs(path: string, remote: string, first: readonly Uint8Array[], periodic: Uint8Array | null, everyS: number): void {
    const socket = new SinkSocket(remote).connect(this.server.http);
    socket.feed(ascii(upgradeRequest(`${path}?api-key=${BENCH_KEY}`)));
    socket.drainAll();
    for (const frame of first) {
      socket.feed(frame);
      socket.drainAll();
    }
    this.clients.push({ socket, periodic, everyS, connectedAt: this.second });
  }

  connect(client: BenchClient): number {
    switch (client) {
      case "python":
        this.openWs("/ws", "10.0.0.21:50001", ["sensors", "state", "alarms"].map((c) => clientFrame(1, JSON.stringify({ type: "subscribe", channel: c }))), clientFrame(9, Uint8Array.of(0x1f, 0x2e, 0x3d, 0x4c)), 20);
        break;
      case "js":
        this.openWs("/ws", "10.0.0.22:50002", [clientFrame(1, JSON.stringify({ type: "subscribe", channel: "sensors" }))], clientFrame(1, JSON.stringify({ type: "ping" })), 30);
        break;
      case "indigo":
        this.openWs("/v2/api/ws/device-feed", "10.0.0.23:50003", [], clientFrame(1, JSON.stringify({ id: "refresh", message: "refresh" })), 20);
        break;
      case "rest":
        this.rest = new SinkSocket("10.0.0.24:50004").connect(this.server.http);
        break;
    }
    return this.server.router.connectionCount;
  }

  tick(): number {
    for (const c of this.clients) {
      if (c.periodic !== null && (this.second - c.connectedAt) % c.everyS === c.everyS - 1) c.socket.feed(c.periodic);
    }
    this.time.advance(1000);
    this.second++;
    let bytes = 0;
    for (const c of this.clients) {
      const before = c.socket.bytesWritten;
      c.socket.drainAll();
      bytes += c.socket.bytesWritten - before;
    }
    return bytes;
  }

  poll(route: BenchRoute): number {
    if (this.rest === null) throw new Error("poll before connect rest");
    // The server closes a keep-alive socket idle for 5 s; the poller, as a browser, opens another.
    if (this.rest.closedByServer) {
      this.restConnections++;
      this.rest = new SinkSocket(`10.0.0.24:${50100 + this.restConnections}`).connect(this.server.http);
    }
    const socket = this.rest;
    const before = socket.bytesWritten;
    socket.feed(this.requests[route]);
    socket.drainAll();
    this.restBytes += socket.bytesWritten - before;
    return socket.bytesWritten - before;
  }
}
