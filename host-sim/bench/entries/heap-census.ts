// Entry of the 32-bit XS heap census (tools/xst32/census.sh; another checkout measured gets
// this file copied in for the run). The composition of host-sim/bench/entries/firmware-ticks.ts (the firmware as
// src/device/main.ts makes it: core, alarms, records, trend and event logs, the one server
// with /ws, the Indigo feeds and the REST API, on the simulated board and simulated time,
// clients scripted over byte sockets), with two changes for a heap census:
//   - the log store is an erased flash that keeps nothing in RAM (the bench's MemoryLogStore
//     holds the partition's 448 KB in a Uint8Array; on the ESP32 that is flash);
//   - the bench's second incubator model and its stub-bus drivers are left out.
// run({op:"setup"})          boots, 5 s, starts therapy (completes in the promise jobs after)
// run({op:"advance", seconds}) that many 1-s ticks with no client
// run({op:"connect"})        the soak's four clients: /ws Python, /ws JavaScript, REST poller
//                            (GET / once), Indigo device feed
// run({op:"soak", seconds})  that many ticks; the REST poller GETs /api/status and
//                            /api/sensors/history every 5 s
// run({op:"status"})         state, seconds, bytes each client received (-1: closed by server)
import { Incubator } from "../../../src/core/incubator";
import { AbRecordStore } from "../../../src/core/ab-record-store";
import { loadBootRecords, persistAlarmHistoryTo, persistSettingsTo } from "../../../src/core/boot-records";
import { PreferenceSlots } from "../../../src/core/preference-slots";
import { DeviceSettings } from "../../../src/config/device-settings";
import { openHardware } from "../../../src/device/hardware-sim";
import { SIM_DEVICE_CONFIG } from "../sim-device-config";
import { createFirmwareServer, type FirmwareServer } from "../../../src/firmware/server";
import { FirmwareLogs } from "../../../src/logs/firmware-logs";
import { LOG_STORE_BLOCKS } from "../../../src/logs/log-layout";
import { ERASED, type LogStore } from "../../../src/logs/log-store";
import { RestApi } from "../../../src/protocol/rest/rest-api";
import { clientFrame, upgradeRequest } from "../../../tests/support/net/client-frames";
import { SimEsp32Preference } from "../../../tests/support/sim-esp32-preference";
import { SimTime } from "../../sim-time";
import { SinkSocket } from "../sink-socket";

const KEY = "bench-key-0123456789";

/** Flash that reads erased and forgets what is written: no RAM for the partition. */
class ErasedFlash implements LogStore {
  writes = 0;
  erases = 0;
  constructor(readonly blockSize: number, readonly blockCount: number) {}
  read(_offset: number, into: Uint8Array): void {
    into.fill(ERASED);
  }
  write(_offset: number, _bytes: Uint8Array): void {
    this.writes++;
  }
  erase(_block: number): void {
    this.erases++;
  }
  sync(): void {}
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function get(path: string): Uint8Array {
  return ascii(`GET ${path} HTTP/1.1\r\nHost: incunest.local\r\nAuthorization: Bearer ${KEY}\r\nAccept: application/json\r\n\r\n`);
}

interface WsClient {
  readonly socket: SinkSocket;
  readonly periodic: Uint8Array | null;
  readonly everyS: number;
  connectedAt: number;
}

class Census {
  readonly time = new SimTime();
  readonly flash = new SimEsp32Preference();
  readonly records = new AbRecordStore({ medium: new PreferenceSlots(this.flash), schedule: (work) => work() });
  readonly logStore = new ErasedFlash(4096, LOG_STORE_BLOCKS);
  readonly incubator: Incubator;
  readonly logs: FirmwareLogs;
  readonly server: FirmwareServer;
  readonly clients: WsClient[] = [];
  rest: SinkSocket | null = null;
  restConnections = 0;
  restBytes = 0;
  second = 0;
  readonly requests = { status: get("/api/status"), history: get("/api/sensors/history"), page: get("/") };

  constructor() {
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
      system: {
        deviceId: "INCUNEST_BENCH",
        firmwareVersion: "bench",
        hardwareVersion: "bench",
        uptimeS: () => t.now() / 1000,
        wifi: () => ({ connected: true, ssid: "ward", rssi: -60, ip: "10.0.0.1" }),
        memory: { read: () => ({ heapFree: null, heapTotal: null, source: "bench" }) },
        network: () => ({ hostname: "incunest_bench", mqttEnabled: false }),
      },
      clock: t,
      timers: t,
      wall: t,
    });
    this.server = createFirmwareServer({
      api: core,
      clock: t,
      timers: t,
      wall: t,
      apiKey: () => KEY,
      keyHint: "bench",
      platform: "device",
      indigo: { schedule: (work) => void t.after(0, work) },
      routes: [rest],
      statusRows: () => [["Network", "bench"]],
      log: (text) => core.log(text, "device"),
    });
  }

  openWs(path: string, remote: string, first: readonly Uint8Array[], periodic: Uint8Array | null, everyS: number): void {
    const socket = new SinkSocket(remote).connect(this.server.http);
    socket.feed(ascii(upgradeRequest(`${path}?api-key=${KEY}`)));
    socket.drainAll();
    for (const frame of first) {
      socket.feed(frame);
      socket.drainAll();
    }
    this.clients.push({ socket, periodic, everyS, connectedAt: this.second });
  }

  connectAll(): void {
    this.openWs("/ws", "10.0.0.21:50001", ["sensors", "state", "alarms"].map((c) => clientFrame(1, JSON.stringify({ type: "subscribe", channel: c }))), clientFrame(9, Uint8Array.of(0x1f, 0x2e, 0x3d, 0x4c)), 20);
    this.openWs("/ws", "10.0.0.22:50002", [clientFrame(1, JSON.stringify({ type: "subscribe", channel: "sensors" }))], clientFrame(1, JSON.stringify({ type: "ping" })), 30);
    this.rest = new SinkSocket("10.0.0.24:50004").connect(this.server.http);
    this.poll("page");
    this.openWs("/v2/api/ws/device-feed", "10.0.0.23:50003", [], clientFrame(1, JSON.stringify({ id: "refresh", message: "refresh" })), 20);
  }

  tick(): void {
    for (const c of this.clients) {
      if (c.periodic !== null && (this.second - c.connectedAt) % c.everyS === c.everyS - 1) c.socket.feed(c.periodic);
    }
    this.time.advance(1000);
    this.second++;
    for (const c of this.clients) c.socket.drainAll();
  }

  poll(route: "status" | "history" | "page"): void {
    if (this.rest === null) return;
    // The server closes a keep-alive socket idle for 5 s; the poller, as a browser, opens another.
    if (this.rest.closedByServer) {
      this.restConnections++;
      this.rest = new SinkSocket(`10.0.0.24:${50100 + this.restConnections}`).connect(this.server.http);
    }
    const before = this.rest.bytesWritten;
    this.rest.feed(this.requests[route]);
    this.rest.drainAll();
    this.restBytes += this.rest.bytesWritten - before;
  }
}

let census: Census | null = null;

function need(): Census {
  if (census === null) throw new Error("call {op:'setup'} first");
  return census;
}

export function run(input: { op: string; seconds?: number }): unknown {
  switch (input.op) {
    case "setup": {
      census = new Census();
      for (let s = 0; s < 5; s++) census.tick();
      void census.incubator.execute("set_state", { state: "start" }, { via: "local", client: "census" });
      return census.incubator.snapshot().state;
    }
    case "advance": {
      const c = need();
      for (let s = 0; s < (input.seconds ?? 0); s++) c.tick();
      return c.incubator.snapshot().state;
    }
    case "connect":
      need().connectAll();
      return need().server.router.connectionCount;
    case "soak": {
      const c = need();
      for (let s = 0; s < (input.seconds ?? 0); s++) {
        c.tick();
        if (c.second % 5 === 0) {
          c.poll("status");
          c.poll("history");
        }
      }
      return c.incubator.snapshot().state;
    }
    case "status": {
      const c = need();
      return {
        state: c.incubator.snapshot().state,
        second: c.second,
        connections: c.server.router.connectionCount,
        received: c.clients.map((w) => (w.socket.closedByServer ? -1 : w.socket.bytesWritten)),
        rest: c.restBytes,
        restConnections: c.restConnections + (c.rest ? 1 : 0),
        flashWrites: c.logStore.writes,
      };
    }
  }
  throw new Error(`unknown op ${input.op}`);
}
