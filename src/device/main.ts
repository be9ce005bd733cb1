// The device entry (manifest `creation.main`): the control loop starts at once, then the
// network, the single HTTP server (status page, set-up, WebSockets) and SNTP come up
// around it. Nothing here waits for the network.
import config from "mc/config";
import { Incubator } from "../core/incubator";
import { API_KEY_RECORD, loadBootRecords, persistAlarmHistoryTo, persistSettingsTo, saveCarriedOver } from "../core/boot-records";
import { apiKeyProblem } from "../core/settings-codec";
import { StorageHealth } from "../core/storage-health";
import { WsRouter } from "../net/router";
import { IncuNestEndpoint } from "../protocol/incunest/endpoint";
import { IndigoFeeds } from "../protocol/indigo/feeds";
import { deviceRestApi, openDeviceLogs } from "./device-logs";
import { deviceClock, DeviceWallClock } from "./device-time";
import { openHardware } from "./hardware";
import { startHttpFront, type HttpResponse } from "./http-front";
import { startNetwork } from "./network";
import type { DeviceConfig } from "./platform";
import { preferenceRecordStore, PreferenceStore } from "./preference-store";
import { renderSetupPage, renderStatusPage } from "./status-page";
import { DeviceWebSockets } from "./ws-transport";
import { startDeviceMqtt } from "./mqtt-start";

const device: DeviceConfig = Object.freeze({
  pins: Object.freeze({ ...(config.pins as Record<string, number>) }),
  skinRom: String(config.skinRom ?? ""),
  probeAirRom: String(config.probeAirRom ?? ""),
  httpPort: Number(config.httpPort ?? 80),
  apiKey: String(config.apiKey ?? ""),
  wifiSsid: String(config.wifiSsid ?? ""),
  wifiPassword: String(config.wifiPassword ?? ""),
  apSsid: String(config.apSsid ?? "IncuNest-setup"),
  apPassword: String(config.apPassword ?? ""),
  sntp: String(config.sntp ?? "pool.ntp.org").split(",").filter((h) => h.length > 0),
  periodMs: Number(config.periodMs ?? 1000),
});

// Log lines go to the core's log (the /ws and Indigo log feeds), which is traced to the
// debugger console below; before the core exists, straight to the console.
let incubator: Incubator | null = null;
const log = (text: string, level: "info" | "warning" = "info"): void => {
  const line = level === "warning" ? `WARNING: ${text}` : text;
  if (incubator) incubator.log(line, "device");
  else trace(`[device] ${line}\n`);
};

// Records (settings, API key, alarm history) in A/B slots, written after the control tick;
// the key-value store of earlier firmware is read once to carry its values over.
const storageHealth = new StorageHealth();
const records = preferenceRecordStore((work) => { deviceClock.after(0, work); }, storageHealth);
const store = new PreferenceStore("incunest", (message) => log(message, "warning"));
const boot = loadBootRecords(records, store);
if (boot.carriedOver) saveCarriedOver(records, boot).catch((e: unknown) => log(`settings of the earlier firmware not carried over: ${String(e)}`, "warning"));
const wall = new DeviceWallClock(log);
const deviceLogs = openDeviceLogs({ records, timers: deviceClock, wall, log, storage: storageHealth });
const hardware = openHardware(device, deviceClock, log, deviceLogs.settings.calibration);

incubator = new Incubator({
  clock: deviceClock,
  wall,
  timers: deviceClock,
  sensors: hardware.sensors,
  actuators: hardware.actuators,
  periodMs: device.periodMs,
  settings: boot.settings,
  settingsLost: boot.settingsLost,
  storage: storageHealth,
  persist: persistSettingsTo(records),
  alarmHistory: boot.alarmHistory,
  persistAlarmHistory: persistAlarmHistoryTo(records, deviceClock, (text) => log(text, "warning")),
  alarmSignal: hardware.alarmSignal,
  onError: (error) => log(`event listener failed: ${String(error)}`, "warning"),
});
const core = incubator;
deviceLogs.logs.attach(core);
core.subscribe((event) => {
  if (event.type === "log") trace(`[${event.source}] ${event.text}\n`);
});
// The control loop runs from here on, whatever the network does.
core.start();
for (const problem of [...records.problems, ...boot.problems]) log(`storage: ${problem}`, "warning");
if (core.resumedAfterReboot) log("therapy was active before the reboot: resumed", "warning");
log(`hardware: ${hardware.description}`);

let apiKey: string | null = (boot.apiKey !== null && apiKeyProblem(boot.apiKey) === null ? boot.apiKey : null) ?? (device.apiKey === "" ? null : device.apiKey);
if (apiKey === null) log("no API key configured: the WebSocket APIs are open to anyone on the network", "warning");

const router = new WsRouter({ clock: deviceClock, timers: deviceClock, apiKey: () => apiKey, limits: { maxConnections: 4 }, log });
router.register(new IncuNestEndpoint(core, wall));
// Indigo's per-tick diffing runs after the control tick, not inside it.
router.register(new IndigoFeeds(core, { schedule: (work) => { deviceClock.after(0, work); } }));
const websockets = new DeviceWebSockets(router, deviceClock);
// The REST API under /api: registered with the server's routes once the platform-free
// server (issue 10) serves the device.
export const restApi = deviceRestApi({ api: core, device: deviceLogs, clock: deviceClock, wall, online: () => network.status().ip !== null });
// MQTT (issue 14): retries on its own until the network and the broker are there.
startDeviceMqtt({ api: core, manifest: config, clock: deviceClock, wall, log });

function wifiCredentials(): { ssid: string; password: string } | null {
  const ssid = store.getString("wifiSsid") ?? device.wifiSsid;
  if (!ssid) return null;
  return { ssid, password: store.getString("wifiPsk") ?? device.wifiPassword };
}

const network = startNetwork({
  timers: deviceClock,
  log,
  credentials: wifiCredentials,
  accessPoint: { ssid: device.apSsid, password: device.apPassword },
  onOnline: () => wall.synchronise(device.sntp),
});

function formFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of body.split("&")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    try {
      fields[decodeURIComponent(pair.slice(0, eq).replace(/\+/g, " "))] = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    } catch {
      // a malformed escape: the field is left out
    }
  }
  return fields;
}

/** GET shows the form; POST saves Wi-Fi and/or a new API key. Once Wi-Fi is set up, the
 *  current API key must be given (first set-up happens over the access point). */
function setup(method: string, _query: Record<string, string>, body: string | null): HttpResponse {
  const firstSetup = wifiCredentials() === null;
  const needsKey = apiKey !== null && !firstSetup;
  if (method === "GET") return { body: renderSetupPage("", needsKey) };
  const f = formFields(body ?? "");
  if (needsKey && f.current_key !== apiKey) return { status: 403, body: renderSetupPage("The current API key is missing or wrong: nothing saved.", needsKey) };
  const done: string[] = [];
  if (f.api_key) {
    const why = apiKeyProblem(f.api_key);
    if (why) return { status: 400, body: renderSetupPage(`API key not saved: ${why}.`, needsKey) };
    const key = f.api_key;
    records.save(API_KEY_RECORD, key).then(() => { apiKey = key; log("set-up: API key stored and in force"); }, (e: unknown) => log(`set-up: API key NOT stored (${String(e)}); the old one stays`, "warning"));
    done.push("API key saved (in force once stored)");
  }
  if (f.ssid) {
    if (f.ssid.length > 32 || (f.password ?? "").length > 63) return { status: 400, body: renderSetupPage("Wi-Fi not saved: the network name has at most 32 characters, the password at most 63.", needsKey) };
    store.setString("wifiSsid", f.ssid);
    store.setString("wifiPsk", f.password ?? "");
    done.push(`Wi-Fi "${f.ssid}" saved; joining it now`);
    deviceClock.after(500, () => network.rejoin());
  }
  log(`set-up: ${done.length ? done.join("; ") : "nothing to change"}`);
  return { body: renderSetupPage(done.length ? `${done.join(". ")}.` : "Nothing to change.", needsKey || (apiKey !== null && f.ssid !== undefined)) };
}

startHttpFront({
  port: device.httpPort,
  websockets,
  routes: (path) => router.routes(path),
  snapshot: () => core.snapshot(),
  statusPage: () => renderStatusPage(core.snapshot(), { network: network.status(), clients: router.connectionCount, hardware: hardware.description, bootProblems: [...records.problems, ...boot.problems] }),
  setup,
  log,
});
log(`HTTP server on port ${device.httpPort}: status at /, WebSockets at /ws and /v2/api/ws/*`);
