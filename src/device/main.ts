// The device entry (manifest `creation.main`): wiring only. The control loop starts at once,
// then the network, the firmware's one HTTP/WebSocket server (src/firmware/server.ts) on
// Moddable's TCP listener, and SNTP come up around it. Nothing here waits for the network.
import config from "mc/config";
import { installAbortHook } from "./abort-hook";
import { pinsWithOverrides } from "../../drivers/board-pins";
import { Incubator } from "../core/incubator";
import { loadSettings, saveAlarmHistory, saveSettings } from "../core/settings-codec";
import { createFirmwareServer } from "../firmware/server";
import { DeviceSecrets } from "../setup/device-secrets";
import { setupRoute } from "../setup/setup-route";
import { decodeWifiRecord, encodeWifiRecord, WIFI_RECORD } from "../setup/wifi-record";
import { deviceClock, DeviceWallClock, guardedTimers } from "./device-time";
import { openHardware } from "./hardware";
import { fillRandom } from "./hardware-random";
import { startNetwork } from "./network";
import type { DeviceConfig } from "./platform";
import { PreferenceRecordStore } from "./preference-record-store";
import { PreferenceStore } from "./preference-store";
import { listenTcp } from "./tcp-listener";

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
  indigoPublishMs: Number(config.indigoPublishMs ?? 5000),
});

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
const timers = guardedTimers((e) => log(`BUG: a timer callback threw: ${e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e)}`, "warning"));
const store = new PreferenceStore("incunest", (message) => log(message, "warning"));
const records = new PreferenceRecordStore();
const loaded = loadSettings(store);
// Before Wi-Fi starts: on the ESP32 the hardware RNG's entropy source is turned on for it.
const secrets = new DeviceSecrets({ store: records, random: fillRandom, legacyApiKey: loaded.settings.apiKey, log });
for (const line of secrets.consoleLines()) trace(`${line}\n`);
const wall = new DeviceWallClock(log, timers);
const hardware = openHardware(device, deviceClock, log);

incubator = new Incubator({
  clock: deviceClock,
  wall,
  timers: deviceClock,
  sensors: hardware.sensors,
  actuators: hardware.actuators,
  periodMs: device.periodMs,
  settings: loaded.settings,
  persist: (settings) => saveSettings(store, settings),
  alarmHistory: loaded.settings.alarmHistory,
  persistAlarmHistory: (encoded) => {
    const why = saveAlarmHistory(store, encoded);
    if (why) log(why, "warning");
  },
  alarmSignal: hardware.alarmSignal,
  onError: (error) => log(`event listener failed: ${String(error)}`, "warning"),
});
const core = incubator;
core.subscribe((event) => {
  if (event.type === "log") trace(`[${event.source}] ${event.text}\n`);
});
// The control loop runs from here on, whatever the network does.
core.start();
for (const problem of loaded.problems) log(`settings: ${problem}`, "warning");
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

const server = createFirmwareServer({
  api: core,
  clock: timers,
  timers,
  wall,
  apiKey: () => secrets.apiKey,
  keyHint: "printed on the device's debug console at every boot (a line API key: ...)",
  platform: "device",
  // Indigo's diffing runs after the control tick, not inside it, and at most every
  // config.indigoPublishMs (ticks between fold into one update from the latest snapshot):
  // building and diffing the device objects is the firmware's largest allocation.
  indigo: { schedule: (work) => void timers.after(device.indigoPublishMs, work) },
  routes: [
    setupRoute({
      setApiKey: (key) => secrets.setApiKey(key),
      saveWifi: (credentials) => records.save(WIFI_RECORD, encodeWifiRecord(credentials)),
      onWifiSaved: () => void timers.after(500, () => network.rejoin()),
      state: () => ({ ssid: wifiCredentials()?.ssid ?? null, network: networkLine() }),
      log,
    }),
  ],
  statusRows: () => [
    ["Network", networkLine()],
    ["Hardware", hardware.description],
    ["Clock", wall.isSet() ? "set" : "not set (waiting for SNTP)"],
  ],
  log: (text) => log(text),
});

listenTcp({
  port: device.httpPort,
  acceptor: server.http,
  report: (text) => log(`server socket: ${text}`, "warning"),
});
log(`HTTP server on port ${device.httpPort}: / says how to connect; /status, /setup, /ws and /v2/api/ws/* need the API key`);
