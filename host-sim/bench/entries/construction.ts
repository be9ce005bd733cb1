// XS entry (host-sim/xs/run-on-xs.ts) for what constructing the REST API and the firmware
// server leaves live: the firmware's prerequisites as src/device/main.ts makes them (records,
// logs, settings, the simulated board, the core), then each part on its own call, so the
// live heap after a collection before and after the call is that part alone:
//   {op:"prepare"}   everything the REST API and the server are given (the REST API's
//                    options too: the device's SystemInfo is its own, src/device)
//   {op:"alarms"}    new AlarmSystem() (the core makes one; here a second, kept live)
//   {op:"rest"}      new RestApi(options) (21 routes)
//   {op:"server"}    createFirmwareServer (router, /ws, Indigo feeds, status and connect
//                    pages, HTTP server) with the REST API as its route
//   {op:"router"} {op:"incunest"} {op:"feeds"} {op:"http"}   the server's parts, each made
//                    once more on its own (kept live), to see where its share goes
//   {op:"request"}   one GET /api/status through the server, so the census also shows
//                    that what was built answers
// On xsnap nothing is preloaded: module code and its constants are made when the bundle is
// loaded, before "prepare"; only the deltas of the construction calls matter.
import { AlarmSystem } from "../../../src/alarms/alarm-system";
import { Incubator } from "../../../src/core/incubator";
import { AbRecordStore } from "../../../src/core/ab-record-store";
import { loadBootRecords, persistAlarmHistoryTo, persistSettingsTo } from "../../../src/core/boot-records";
import { PreferenceSlots } from "../../../src/core/preference-slots";
import { DeviceSettings } from "../../../src/config/device-settings";
import { openHardware } from "../../../src/device/hardware-sim";
import { SIM_DEVICE_CONFIG } from "../sim-device-config";
import { createFirmwareServer } from "../../../src/firmware/server";
import { FirmwareLogs } from "../../../src/logs/firmware-logs";
import { LOG_STORE_BLOCKS } from "../../../src/logs/log-layout";
import { HttpServer } from "../../../src/net/http-server";
import { KeyGuard } from "../../../src/net/key-guard";
import { WsRouter } from "../../../src/net/router";
import { IncuNestEndpoint } from "../../../src/protocol/incunest/endpoint";
import { IndigoFeeds } from "../../../src/protocol/indigo/feeds";
import { RestApi } from "../../../src/protocol/rest/rest-api";
import type { RestOptions } from "../../../src/protocol/rest/rest-context";
import { SimEsp32Preference } from "../../../tests/support/sim-esp32-preference";
import { MemoryLogStore } from "../../memory-log-store";
import { SimTime } from "../../sim-time";
import { benchSystemInfo } from "../bench-firmware";
import { SinkSocket } from "../sink-socket";

type Input = { op: "prepare" | "alarms" | "rest" | "server" | "router" | "incunest" | "feeds" | "http" | "request" | "noop" };

const KEY = "bench-key-0123456789";


interface Prepared {
  readonly time: SimTime;
  readonly incubator: Incubator;
  readonly logs: FirmwareLogs;
  readonly settings: DeviceSettings;
  readonly restOptions: RestOptions;
}

let prepared: Prepared | null = null;
// What each call made, held so that it stays live.
const kept: unknown[] = [];
let rest: RestApi | null = null;
let server: ReturnType<typeof createFirmwareServer> | null = null;

function prepare(): Prepared {
  const time = new SimTime();
  const records = new AbRecordStore({ medium: new PreferenceSlots(new SimEsp32Preference()), schedule: (work) => work() });
  const boot = loadBootRecords(records);
  const logs = new FirmwareLogs({ store: new MemoryLogStore(4096, LOG_STORE_BLOCKS), timers: time, wall: time, bootMessage: "census firmware started" });
  const settings = new DeviceSettings(records, "IncuNest", (kind, message, origin) => logs.events.record(kind, "INFO", message, origin));
  settings.load();
  const hardware = openHardware(SIM_DEVICE_CONFIG, time, () => {}, settings.calibration);
  const incubator = new Incubator({
    clock: time,
    wall: time,
    timers: time,
    sensors: hardware.sensors,
    actuators: hardware.actuators,
    alarmSignal: hardware.alarmSignal,
    settings: boot.settings,
    settingsLost: boot.settingsLost,
    persist: persistSettingsTo(records),
    alarmHistory: boot.alarmHistory,
    persistAlarmHistory: persistAlarmHistoryTo(records, time),
  });
  logs.attach(incubator);
  incubator.start();
  time.advance(3000);
  return { time, incubator, logs, settings, restOptions: restOptions(time, incubator, logs, settings) };
}

function need(): Prepared {
  if (!prepared) throw new Error("prepare first");
  return prepared;
}

function restOptions(t: SimTime, incubator: Incubator, logs: FirmwareLogs, settings: DeviceSettings): RestOptions {
  return {
    api: incubator,
    trend: logs.trend,
    events: logs.events,
    settings,
    system: benchSystemInfo(t, "census"),
    clock: t,
    timers: t,
    wall: t,
    reboot: () => {},
  };
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function run(input: Input): unknown {
  switch (input.op) {
    case "noop":
      return 0;
    case "prepare":
      prepared = prepare();
      return prepared.incubator.snapshot().state;
    case "alarms":
      kept.push(new AlarmSystem({ history: [], bootEpochMs: need().time.epochMs() }));
      return 0;
    case "rest":
      rest = new RestApi(need().restOptions);
      return 0;
    case "server": {
      const p = need();
      const t = p.time;
      server = createFirmwareServer({
        api: p.incubator,
        clock: t,
        timers: t,
        wall: t,
        apiKey: () => KEY,
        keyHint: "census",
        platform: "device",
        indigo: { schedule: (work) => void t.after(0, work) },
        routes: rest ? [rest] : [],
        statusRows: () => [["Network", "census"]],
        log: (text) => p.incubator.log(text, "device"),
      });
      return 0;
    }
    case "router": {
      const p = need();
      kept.push(new WsRouter({ clock: p.time, timers: p.time, apiKey: () => KEY, keyGuard: new KeyGuard(p.time, () => KEY) }));
      return 0;
    }
    case "incunest":
      kept.push(new IncuNestEndpoint(need().incubator, need().time));
      return 0;
    case "feeds": {
      const t = need().time;
      kept.push(new IndigoFeeds(need().incubator, { schedule: (work) => void t.after(0, work) }));
      return 0;
    }
    case "http": {
      const p = need();
      const keyGuard = new KeyGuard(p.time, () => KEY);
      const router = new WsRouter({ clock: p.time, timers: p.time, apiKey: () => KEY, keyGuard });
      kept.push(router, new HttpServer({ clock: p.time, timers: p.time, wall: p.time, router, routes: [], keyGuard }));
      return 0;
    }
    case "request": {
      if (!server) throw new Error("server first");
      const socket = new SinkSocket("10.0.0.24:50004").connect(server.http);
      socket.feed(ascii(`GET /api/status HTTP/1.1\r\nHost: incunest.local\r\nAuthorization: Bearer ${KEY}\r\n\r\n`));
      socket.drainAll();
      return socket.bytesWritten;
    }
  }
}
