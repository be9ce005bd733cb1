// `npm start`: the firmware core on the simulated incubator (physical model, simulated
// chips on simulated buses, the real drivers), serving /ws and the Indigo feeds on
// localhost, with a live status line. A restart plays out as a power cut: the firmware's
// records (settings, API key, alarm history) and the plant's state are kept (host-storage.ts).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Snapshot } from "../src/core/api";
import { API_KEY_RECORD, persistAlarmHistoryTo, persistSettingsTo } from "../src/core/boot-records";
import { RepeatLog } from "../src/core/repeat-log";
import { apiKeyProblem } from "../src/core/settings-codec";
import { StorageHealth } from "../src/core/storage-health";
import { AssetRoute } from "../src/webapp/asset-route";
import { FileAssetSource } from "./file-assets";
import { NODE_MEMORY } from "./host-system-info";
import { scheduleFaults } from "./faults";
import { keepPlantState, openHostStorage, resumeEpochMs, resumePlant } from "./host-storage";
import { createHostMqtt } from "./mqtt/host-mqtt";
import { mqttFromFlags } from "./mqtt/mqtt-flags";
import { loadMqttConfig } from "../src/protocol/mqtt/config-record";
import { MqttSettings } from "../src/protocol/mqtt/mqtt-settings";
import { mqttConfigure } from "../src/protocol/rest/config-routes";
import { hostRestApi, openHostLogs } from "./logs-and-rest";
import { loadPlantParams } from "./plant/load-plant-params";
import { RealTime } from "./real-time";
import { SimulatedIncubator } from "./simulated-incubator";
import { realClock, startServer } from "./server";
import { listenErrorLine, parseStartOptions, USAGE } from "./start-options";

function fail(message: string, usage = true): never {
  process.stderr.write(usage ? `${message}\n\n${USAGE}\n` : `${message}\n`);
  process.exit(2);
}

const parsed = parseStartOptions(process.argv.slice(2));
if (!parsed.ok) {
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  fail(parsed.error);
}
const args = parsed.options;
const { speed, port } = args;
const mqttFlags = mqttFromFlags(args.mqtt);
if (mqttFlags && !mqttFlags.ok) fail(mqttFlags.error);
let plantParams;
try {
  plantParams = loadPlantParams(args.plant);
} catch (error) {
  fail((error as Error).message);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const storageHealth = new StorageHealth();
const storage = openHostStorage({ stateFile: args.state, health: storageHealth, cold: args.cold });
const { records, boot } = storage;

let apiKey: string | null = null;
let newKey = false;
if (!args.noAuth) {
  if (args.apiKey !== undefined) {
    const refused = apiKeyProblem(args.apiKey);
    if (refused) fail(`--api-key refused: ${refused}`);
  }
  const stored = boot.apiKey !== null && apiKeyProblem(boot.apiKey) === null ? boot.apiKey : null;
  apiKey = args.apiKey ?? stored ?? randomBytes(12).toString("base64url");
  newKey = apiKey !== stored;
}

// The simulated world goes on where the last run left it: the wall clock and the plant.
const kept = storage.plant;
const time = new RealTime(speed, kept ? resumeEpochMs(kept, speed) : undefined);
// The trend and event logs report their storage faults to the same StorageHealth (STORAGE_FAULT).
const hostLogs = openHostLogs({ stateFile: args.state, records, timers: time, wall: time, storage: storageHealth, onStorageFault: (m) => process.stderr.write(`${m}\n`) });
const sim = new SimulatedIncubator({
  time,
  calibration: hostLogs.settings.calibration,
  plant: plantParams,
  seed: args.seed,
  settings: boot.settings,
  settingsLost: boot.settingsLost,
  storage: storageHealth,
  persist: persistSettingsTo(records),
  alarmHistory: boot.alarmHistory,
  persistAlarmHistory: persistAlarmHistoryTo(records, time, (text) => process.stderr.write(`${text}\n`)),
  records,
  onError: (error) => process.stderr.write(`event listener failed: ${String(error)}\n`),
});
const plantNote = kept ? resumePlant(sim.plant, kept, speed) : args.cold ? "cold start (--cold): at room temperature" : "first start: at room temperature";
// Saved often enough at high speed that a kill loses little simulated time (5 s real at 1×).
const plantKeeper = keepPlantState(storage, sim.plant, () => time.epochMs(), (message) => process.stderr.write(`${message}\n`), Math.max(250, Math.min(5000, 5000 / speed)), Date.now, speed);
const { incubator } = sim;
hostLogs.logs.attach(incubator);
// MQTT: the --mqtt flags when given (for this run; not stored), else the stored record
// (POST /api/config's mqtt section), else off. The bridge exists either way, so a
// configuration sent over REST starts it.
const storedMqtt = mqttFlags?.ok ? null : loadMqttConfig(records);
for (const problem of storedMqtt?.problems ?? []) say(`  note          ${problem}`);
let mqtt: ReturnType<typeof createHostMqtt>["bridge"] | null = null;
const mqttSettings = new MqttSettings(records, mqttFlags?.ok ? mqttFlags.config : storedMqtt!.config, (config) => {
  mqtt?.reconfigure(config);
  say(`${config.enabled ? `MQTT now ${config.use_tls ? "mqtts" : "mqtt"}://${config.broker}:${config.port}` : "MQTT now off"} (stored)`);
});
const rest = hostRestApi({ api: incubator, host: hostLogs, time, rateClock: realClock, address: args.host, reboot: () => void shutdown(true), mqtt: mqttSettings });
mqtt = createHostMqtt({
  api: incubator,
  config: mqttSettings.config,
  time,
  tls: mqttFlags?.ok ? mqttFlags.tls : {},
  log: (text) => say(text),
  schedule: (work) => queueMicrotask(work),
  configure: mqttConfigure(rest.config),
  system: () => ({ wifiRssi: null, heapFree: NODE_MEMORY.read().heapFree }),
}).bridge;
const webApp = new FileAssetSource(fileURLToPath(new URL("../build/web", import.meta.url)));
if (webApp.problem) say(`bedside app: ${webApp.problem}; / shows how to connect instead`);
// Refusals (a wrong key, a full server) are aggregated, so a flood cannot bury the log feed.
const netLog = new RepeatLog(time, (line) => incubator.log(line, "net"));
let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer({
    api: incubator,
    routes: [new AssetRoute(webApp), rest],
    host: args.host,
    port,
    apiKey,
    wall: time,
    limits: { maxConnections: args.maxClients },
    log: (line) => netLog.line(line),
  });
} catch (error) {
  fail(listenErrorLine(error, args.host, port), false);
}
if (apiKey !== null && newKey) {
  records.save(API_KEY_RECORD, apiKey).catch((error: unknown) => say(`  WARNING: API key not stored (${error instanceof Error ? error.message : String(error)}): a restart will make a new one`));
}
incubator.start();
mqtt.start();
if (sim.board) {
  scheduleFaults(sim.board, args.faults, time, (spec) => say(`fault injected: ${spec.text}`));
}

const keyQuery = apiKey ? `?api-key=${encodeURIComponent(apiKey)}` : "";
const wsBase = server.wsUrl.replace(/\/ws$/, "");
say(`IncuNest simulated incubator${speed !== 1 ? ` at ${speed}× real time` : ""}`);
say(webApp.problem ? `  connect       ${server.url}  (how to connect; open without the key)` : `  bedside app   ${server.url}  (asks for the API key once)`);
say(`  status page   ${server.url}status${keyQuery}  (no script; JSON: ${server.url}status.json)`);
say(`  IncuNest API  ${server.wsUrl}${keyQuery}`);
say(`  Indigo feeds  ${wsBase}/v2/api/ws/{device,variable,action,page,log}-feed${keyQuery}`);
say(apiKey ? `  API key       ${apiKey}  (Authorization: Bearer <key> or ?api-key=<key>; ${newKey ? "new, " : ""}stored in ${storage.slots.file(`${API_KEY_RECORD}.a|b`)})` : "  API key       none (--no-auth)");
say(`  REST API      ${server.url}api/status${keyQuery}  (docs/openapi.yaml; curl -u any:<key>)`);
say(`  plant         ${args.plant ?? "host-sim/plant/params.ts (defaults)"}; ${plantNote}`);
say(`  state         ${args.state} (plant), records ${storage.slots.base}.<name>.a|b, logs ${hostLogs.logFile}; Ctrl-C stops`);
say(mqttSettings.config.enabled ? `  MQTT          ${mqtt.stats().broker} topics ${mqtt.topicMap.base}/#${mqttFlags?.ok ? "" : " (stored configuration)"}` : "  MQTT          off (--mqtt <url>, or the mqtt section of POST /api/config)");
for (const note of storage.notes) say(`  note          ${note}`);
for (const note of hostLogs.notes) say(`  logs          ${note}`);
if (boot.settingsLost) say(`  SETTINGS_LOST therapy settings ${boot.settingsLost === "missing" ? "missing" : "unreadable"}: STANDBY with safe defaults until set again`);
if (boot.settings?.therapyActive && !boot.settingsLost) say("  therapy was active at the last stop: resumed (POWER_FAILURE raised)");
if (args.start) {
  void incubator.execute("set_state", { state: "start" }, { via: "local", client: "--start" }).then((r) => say(`  --start       ${r.success ? r.message : `refused: ${r.message}`}`));
}

function statusLine(s: Snapshot): string {
  const t = (v: number | null) => (v === null ? "  —  " : v.toFixed(2));
  const alarms = s.alarms.length === 0 ? "no alarms" : s.alarms.map((a) => `${a.code}${a.acknowledged ? "(ack)" : ""}`).join(",");
  return `${s.state.padEnd(10)} ${s.effectiveMode} set ${s.temperatureSetpoint.toFixed(1)}°C  air ${t(s.air)}  skin ${t(s.skin)}  probe ${t(s.probeAir)}  RH ${s.humidity === null ? " — " : s.humidity.toFixed(1)}%  heater ${s.heaterPercent.toFixed(0).padStart(3)}%  fan ${s.fanPercent.toFixed(0).padStart(3)}%  ${alarms}  clients ${server.router.stats().open}`;
}

const tty = process.stdout.isTTY === true;
let lastPrintMs = 0;
const stopStatus = args.quiet
  ? () => {}
  : incubator.subscribe((event) => {
      if (event.type !== "tick") return;
      const now = Date.now();
      if (tty) process.stdout.write(`\r\x1b[2K${statusLine(event.snapshot)}`);
      else if (now - lastPrintMs >= 10_000) {
        lastPrintMs = now;
        say(statusLine(event.snapshot));
      }
    });
incubator.subscribe((event) => {
  if (event.type === "state_change") say(`${tty ? "\r\x1b[2K" : ""}state ${event.previous} → ${event.next}: ${event.reason}`);
  if (event.type === "alarm") say(`${tty ? "\r\x1b[2K" : ""}alarm ${event.change}: ${event.alarm.code} (${event.alarm.level}) ${event.alarm.message}`);
});

let stopping = false;
/** A clean stop; `reboot` (POST /api/system/reboot) then starts the firmware again in a
 *  fresh process on the same files, as the device restarts. */
async function shutdown(reboot = false): Promise<void> {
  if (stopping) return;
  stopping = true;
  stopStatus();
  incubator.stop();
  mqtt?.stop(true);
  plantKeeper.stop();
  netLog.flush();
  hostLogs.logs.shutdown(reboot ? "restarting (reboot requested)" : "stopped", reboot ? "reboot" : "shutdown");
  await server.close();
  if (reboot) {
    say(`${tty ? "\n" : ""}rebooting`);
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    child.on("exit", (code) => process.exit(code ?? 0));
    return;
  }
  say(`${tty ? "\n" : ""}stopped`);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
