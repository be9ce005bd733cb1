// XS entry (host-sim/xs/run-on-xs.ts) for what each client costs the firmware per control
// tick: the whole firmware as the device composes it (src/device/main.ts) - core, alarms,
// drivers on the simulated board and plant, the A/B record store, the trend and event logs
// on RAM flash of the partition's layout, the one HTTP/WebSocket server of src/firmware with
// /ws, the Indigo feeds and the REST API - on simulated time, its clients scripted over byte
// sockets that allocate nothing per tick (sink-socket.ts). Each op is one call, so its heap
// and compute figures are that work alone:
//   {op:"setup"}                boots, runs 5 s, starts therapy (the command completes after the call)
//   {op:"advance", seconds}     that many ticks (the warm-up)
//   {op:"connect", client}      "python": /ws, subscribes sensors, state and alarms, then a
//                                 masked ping frame every 20 s (the websockets package's
//                                 default keepalive);
//                               "js": /ws, subscribes sensors, {"type":"ping"} every 30 s
//                                 (the seed's class);
//                               "indigo": /v2/api/ws/device-feed, listens to the patches
//                                 and asks for the whole list every 20 s (as the simulator
//                                 soak's client; it also keeps the socket from idling out);
//                               "rest": a keep-alive HTTP socket for the polls (another when
//                                 the server has closed it after 5 s idle, as a browser does)
//   {op:"tick"}                 one simulated second: what the connected clients send in it,
//                               the control tick and its fan-out, every socket drained
//   {op:"poll", route}          one keep-alive GET: "status" (/api/status), "history"
//                               (/api/sensors/history) or "page" (/), answered and drained
//   {op:"noop"}                 the call overhead alone
//   {op:"plant"}                one second of a separate copy of the incubator model with
//                               the board's present outputs: the simulation's own share of a
//                               tick (the ESP32 has no model), to subtract
//   {op:"drivers"}              one sample of a separate SensorArray (the firmware's sensor
//                               drivers) on stub buses that answer at once (no simulated
//                               chips): the drivers' own share of the board's sampling
//   {op:"status"}               state, seconds, connections, bytes each client received
// Only the firmware's stable APIs are used, so the same entry runs on an older checkout
// (host-sim/bench/tick-alloc-bench.ts --before <checkout>).
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
import { RestApi } from "../../../src/protocol/rest/rest-api";
import { clientFrame, upgradeRequest } from "../../../tests/support/net/client-frames";
import { SimEsp32Preference } from "../../../tests/support/sim-esp32-preference";
import { MemoryLogStore } from "../../memory-log-store";
import { IncubatorPlant } from "../../plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../plant/params";
import { SimTime } from "../../sim-time";
import { SinkSocket } from "../sink-socket";
import { StubCounter, StubOneWire, StubSht31 } from "../stub-buses";
import { SensorArray } from "../../../drivers/sensor-array";
import { SIM_BOARD_ROMS } from "../../sim-board";

type Client = "python" | "js" | "indigo" | "rest";
type Route = "status" | "history" | "page";
type Input =
  | { op: "setup" }
  | { op: "advance"; seconds: number }
  | { op: "connect"; client: Client }
  | { op: "tick" }
  | { op: "poll"; route: Route }
  | { op: "noop" }
  | { op: "plant" }
  | { op: "drivers" }
  | { op: "status" }
  | { op: "part"; part: Part };

/** Pieces of a tick run on their own, to find the allocators (a developer's tool: it
 *  reaches into private members and may disturb the run; not used by the bench's table). */
type Part = "sample" | "plant" | "alarms" | "compose" | "emit" | "actuate" | "timer" | "trend" | "events" | "sessions" | "coreTick" | "advance" | "advance50" | "sample1s" | "alarms1s";

const KEY = "bench-key-0123456789";


function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function get(path: string): Uint8Array {
  return ascii(`GET ${path} HTTP/1.1\r\nHost: incunest.local\r\nAuthorization: Bearer ${KEY}\r\nAccept: application/json\r\n\r\n`);
}

/** One scripted WebSocket client: its socket, the frames it sends on its own schedule. */
interface WsClient {
  readonly socket: SinkSocket;
  /** What it sends every `everyS` seconds after connecting (null: nothing). */
  readonly periodic: Uint8Array | null;
  readonly everyS: number;
  connectedAt: number;
}

class Bench {
  readonly time = new SimTime();
  readonly flash = new SimEsp32Preference();
  readonly records = new AbRecordStore({ medium: new PreferenceSlots(this.flash), schedule: (work) => work() });
  readonly logStore = new MemoryLogStore(4096, LOG_STORE_BLOCKS);
  readonly incubator: Incubator;
  readonly logs: FirmwareLogs;
  readonly server: FirmwareServer;
  readonly clients: WsClient[] = [];
  rest: SinkSocket | null = null;
  restConnections = 0;
  /** A second model beside the board's, for the simulation's share of a tick. */
  readonly plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
  readonly plantInputs = { heaterDuty: 0.4, fanDuty: 0.5, humidifierOn: false };
  /** The sensor drivers alone, on buses that answer at once (op "drivers"). */
  driverMs = 0;
  readonly drivers = new SensorArray(
    { i2cSht31: new StubSht31(), oneWire: new StubOneWire(), tachometer: new StubCounter() },
    { skinRom: SIM_BOARD_ROMS.skin, probeAirRom: SIM_BOARD_ROMS.probeAir, clock: { now: () => this.driverMs } },
  );
  restBytes = 0;
  second = 0;
  readonly requests: Record<Route, Uint8Array> = {
    status: get("/api/status"),
    history: get("/api/sensors/history"),
    page: get("/"),
  };

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

  /** Opens a WebSocket on `path`, then sends `first` (each frame read before the next). */
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

  connect(client: Client): number {
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

  poll(route: Route): number {
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

let bench: Bench | null = null;

function need(): Bench {
  if (bench === null) throw new Error("call {op:'setup'} first");
  return bench;
}

export function run(input: Input): unknown {
  switch (input.op) {
    case "setup": {
      bench = new Bench();
      for (let s = 0; s < 5; s++) bench.tick();
      // The command completes in the promise jobs after this call; the warm-up follows.
      void bench.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
      return bench.incubator.snapshot().state;
    }
    case "advance": {
      const b = need();
      for (let s = 0; s < input.seconds; s++) b.tick();
      return b.incubator.snapshot().state;
    }
    case "connect":
      return need().connect(input.client);
    case "tick":
      return need().tick();
    case "poll":
      return need().poll(input.route);
    case "noop":
      return 0;
    case "part":
      return part(need(), input.part);
    case "plant": {
      const b = need();
      b.plant.step(1, b.plantInputs);
      return 0;
    }
    case "drivers": {
      const b = need();
      b.driverMs += 1000;
      return b.drivers.sample(b.driverMs) !== null;
    }
    case "status": {
      const b = need();
      return {
        state: b.incubator.snapshot().state,
        second: b.second,
        ws: b.server.router.connectionCount,
        received: b.clients.map((c) => (c.socket.closedByServer ? -1 : c.socket.bytesWritten)),
        rest: b.restBytes,
        restConnections: b.restConnections + (b.rest ? 1 : 0),
      };
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function part(b: Bench, which: Part): unknown {
  const core = b.incubator as any;
  const now = b.time.now();
  switch (which) {
    case "sample":
      return core.options.sensors.sample(now) !== null;
    case "plant":
      return core.options.sensors.sample(now + 1000) !== null;
    case "alarms": {
      const frame = core.lastFrame;
      return core.alarms.evaluate({
        nowMs: now, epochMs: b.time.epochMs(), state: core.machine.state, mode: core.mode, setpoints: core.setpoints,
        frame, heaterDuty: core.appliedHeater, fanDuty: core.appliedFan, steadyReached: core.machine.steadyReached,
        warmUpFromStart: core.warmUpFromStart, storageFaults: core.storage.current(),
      }) !== null;
    }
    case "compose":
      return core.compose(core.lastFrame, core.appliedHeater, core.appliedFan, false, "air") !== null;
    case "emit":
      core.events.emit({ type: "tick", snapshot: core.latest });
      return 0;
    case "actuate":
      core.options.actuators.apply({ heaterDuty: core.appliedHeater, fanDuty: core.appliedFan, humidifierOn: false }, now);
      return 0;
    case "timer":
      b.time.after(10, () => {});
      b.time.advance(20);
      return 0;
    case "trend":
      b.logs.trend.addTick(core.latest);
      return 0;
    case "events":
      (b.logs.events as any).onEvent?.({ type: "tick", snapshot: core.latest });
      return 0;
    case "sessions":
      return 0;
    case "coreTick":
      core.tick({ index: 0, dueMs: now, startMs: now, elapsedMs: 1000 });
      return 0;
    case "advance":
      b.time.advance(1000);
      return 0;
    case "sample1s":
      b.time.spend(1000);
      return core.options.sensors.sample(now + 1000) !== null;
    case "alarms1s":
      b.time.spend(1000);
      return part(b, "alarms");
    case "advance50":
      b.time.advance(50);
      return 0;
  }
}
