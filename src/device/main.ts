// The device entry (manifest `creation.main`): wiring only. The control loop starts at once,
// then the network, the firmware's one HTTP/WebSocket server (src/firmware/server.ts) on
// Moddable's TCP listener, and SNTP come up around it. Nothing here waits for the network.
import config from "mc/config";
import { installAbortHook } from "./abort-hook";
import { pinsWithOverrides } from "../../drivers/board-pins";
import { Incubator } from "../core/incubator";
import { loadBootRecords, persistAlarmHistoryTo, persistSettingsTo, saveCarriedOver } from "../core/boot-records";
import { StorageHealth } from "../core/storage-health";
import { createFirmwareServer } from "../firmware/server";
import { DeviceSecrets } from "../setup/device-secrets";
import { setupRoute } from "../setup/setup-route";
import { decodeWifiRecord, encodeWifiRecord, WIFI_RECORD } from "../setup/wifi-record";
import { AssetRoute } from "../webapp/asset-route";
import { deviceRestApi, openDeviceLogs } from "./device-logs";
import { deviceClock, DeviceWallClock, guardedTimers } from "./device-time";
import { flashAssets } from "./flash-assets";
import { openHardware } from "./hardware";
import { fillRandom } from "./hardware-random";
import { startNetwork } from "./network";
import type { DeviceConfig } from "./platform";
import { startDeviceMqtt } from "./mqtt-start";
import Preference from "preference";
import { preferenceRecordStore, PreferenceStore } from "./preference-store";
import { listenTcp } from "./tcp-listener";
import { MemoryReport } from "./memory-report";
import { AllocationProfile, profiledHardware, profiledTimers } from "./allocation-profile";

installAbortHook();

const device: DeviceConfig = Object.freeze({
  pins: Object.freeze(pinsWithOverrides(config as Record<string, unknown>)),
  skinRom: String(config.skinRom ?? ""),
  probeAirRom: String(config.probeAirRom ?? ""),
  httpPort: Number(config.httpPort ?? 80),
  wifiSsid: String(config.wifiSsid ?? ""),
  wifiPassword: String(config.wifiPassword ?? ""),
  apSsid: String(config.apSsid ?? "IncuNest-setup"),
  sntp: String(config.sntp ?? "pool.ntp.org").split(",").filter((h) => h.length > 0),
  periodMs: Number(config.periodMs ?? 1000),
  crashAfterS: Number(config.crashAfterS ?? 0),
});
const memory = new MemoryReport(Number(config.memoryReportS ?? 0), (text) => trace(`[device] ${text}\n`));
// With the memory report, what each kind of callback allocates (src/device/allocation-profile.ts).
const profile = new AllocationProfile(memory.enabled);
const controlClock = profiledTimers(deviceClock, profile, "control");

// Log lines go to the core's log (the /ws and Indigo log feeds), which is traced to the
// debug console below; before the core exists, straight to the console.
let incubator: Incubator | null = null;
const log = (text: string, level: "info" | "warning" = "info"): void => {
  const line = level === "warning" ? `WARNING: ${text}` : text;
  if (incubator) incubator.log(line, "device");
  else trace(`[device] ${line}\n`);
};

// The control loop runs on deviceClock (a throw there restarts the device: fail-safe);
// everything else on guarded timers (a throw there is logged and contained).
const timers = profiledTimers(guardedTimers((e) => log(`BUG: a timer callback threw: ${e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e)}`, "warning")), profile, "other");
// The one RecordStore (A/B slots in `preference`, written after the control tick) for
// everything that survives a reboot: settings, API key and AP password, alarm history,
// Wi-Fi, device settings (name, calibration), MQTT. The key-value store of earlier firmware
// is read once to carry its values over.
const storageHealth = new StorageHealth();
const records = preferenceRecordStore(Preference, (work) => void timers.after(0, work), storageHealth);
const store = new PreferenceStore(Preference, "incunest", (message) => log(message, "warning"));
const boot = loadBootRecords(records, store);
memory.mark("the records");
if (boot.carriedOver) saveCarriedOver(records, boot).catch((e: unknown) => log(`settings of the earlier firmware not carried over: ${String(e)}`, "warning"));
// Before Wi-Fi starts: on the ESP32 the hardware RNG's entropy source is turned on for it.
const secrets = new DeviceSecrets({ store: records, random: fillRandom, legacyApiKey: boot.apiKey, log });
for (const line of secrets.consoleLines()) trace(`${line}\n`);
memory.mark("the secrets");
const wall = new DeviceWallClock(log, timers);
// The logs before the core (the boot is their first entry), the device settings before the
// hardware (the drivers apply the calibration); their storage faults raise STORAGE_FAULT.
const deviceLogs = openDeviceLogs({ records, timers, wall, log, storage: storageHealth });
memory.mark("the logs");
const hardware = profiledHardware(openHardware(device, deviceClock, log, deviceLogs.settings.calibration, profile), profile);
memory.mark("the hardware");

incubator = new Incubator({
  clock: deviceClock,
  wall,
  timers: controlClock,
  sensors: hardware.sensors,
  actuators: hardware.actuators,
  periodMs: device.periodMs,
  settings: boot.settings,
  settingsLost: boot.settingsLost,
  storage: storageHealth,
  persist: persistSettingsTo(records),
  alarmHistory: boot.alarmHistory,
  persistAlarmHistory: persistAlarmHistoryTo(records, timers, (text) => log(text, "warning")),
  alarmSignal: hardware.alarmSignal,
  records,
  onError: (error) => log(`event listener failed: ${String(error)}`, "warning"),
});
const core = incubator;
if (profile.enabled) {
  // Each listener of the core's events measured, numbered in the order they subscribe.
  const subscribe = core.subscribe.bind(core);
  let n = 0;
  // defineProperty: Incubator's preloaded prototype is frozen (assignment would fail).
  Object.defineProperty(core, "subscribe", { value: (listener: Parameters<typeof subscribe>[0]) => subscribe(profile.wrap(`core listener ${++n}`, listener)) });
}
deviceLogs.logs.attach(core);
core.subscribe((event) => {
  if (event.type === "log") trace(`[${event.source}] ${event.text}\n`);
});
// The control loop runs from here on, whatever the network does.
core.start();
memory.mark("the core");
for (const problem of [...records.problems, ...boot.problems]) log(`storage: ${problem}`, "warning");
if (core.resumedAfterReboot) log("therapy was active before the reboot: resumed", "warning");
log(`hardware: ${hardware.description}`);

function wifiCredentials(): { ssid: string; password: string } | null {
  const text = records.load(WIFI_RECORD);
  if (text !== null) {
    const decoded = decodeWifiRecord(text);
    if (decoded.ok) return decoded.credentials;
    log(`stored Wi-Fi unusable (${decoded.error}); using the configured one`, "warning");
  }
  // Saved by an earlier firmware, then the build's config.
  const ssid = store.getString("wifiSsid") ?? device.wifiSsid;
  return ssid ? { ssid, password: store.getString("wifiPsk") ?? device.wifiPassword } : null;
}

const network = startNetwork({
  timers,
  log,
  credentials: wifiCredentials,
  accessPoint: { ssid: device.apSsid, password: secrets.apPassword },
  onOnline: () => {
    if (!network.clockFromHost) wall.synchronise(device.sntp);
  },
});

const networkLine = (): string => {
  const n = network.status();
  return `${n.state}${n.ip ? ` at ${n.ip}` : ""}${n.accessPointOpen ? ", set-up access point open" : ""}`;
};

memory.mark("the network");
const setup = setupRoute({
  setApiKey: (key) => secrets.setApiKey(key),
  saveWifi: (credentials) => records.save(WIFI_RECORD, encodeWifiRecord(credentials)),
  onWifiSaved: () => void timers.after(500, () => network.rejoin()),
  state: () => ({ ssid: wifiCredentials()?.ssid ?? null, network: networkLine() }),
  log,
});
// The bedside app from flash (manifest "data": build/web), then the REST API under /api.
const app = new AssetRoute(flashAssets(log));
memory.mark("the set-up page and the bedside app");
const rest = deviceRestApi({ api: core, device: deviceLogs, clock: timers, wall, online: () => network.status().ip !== null });
memory.mark("the REST API");
const server = createFirmwareServer({
  api: core,
  clock: timers,
  timers,
  wall,
  apiKey: () => secrets.apiKey,
  keyHint: "printed on the device's debug console at every boot (a line API key: ...)",
  platform: "device",
  // Indigo's diffing runs after the control tick, not inside it (ticks that pass meanwhile
  // fold into one update from the latest snapshot: tests/indigo/feeds.test.ts).
  indigo: { schedule: (work) => void timers.after(0, profile.wrap<void>("indigo publish", work)) },
  routes: [setup, app, rest],
  statusRows: () => [
    ["Network", networkLine()],
    ["Hardware", hardware.description],
    ["Clock", wall.isSet() ? "set" : "not set (waiting for SNTP)"],
  ],
  log: (text) => log(text),
});
memory.mark("the server (WebSocket router, /ws, Indigo feeds, status and connect pages)");
// MQTT (issue 14): retries on its own until the network and the broker are there.
startDeviceMqtt({ api: core, manifest: config, store: records, clock: timers, wall, log });

listenTcp({
  port: device.httpPort,
  acceptor: server.http,
  report: (text) => log(`server socket: ${text}`, "warning"),
  profile,
});
log(`HTTP server on port ${device.httpPort}: / is the bedside app (or says how to connect); /api, /status, /setup, /ws and /v2/api/ws/* need the API key`);
memory.mark("MQTT and the listener");
memory.start(timers, profile);
