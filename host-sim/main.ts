// `npm start`: the firmware core on the simulated incubator (physical model, simulated
// chips on simulated buses, the real drivers), serving /ws and the Indigo feeds on
// localhost, with a live status line.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Snapshot } from "../src/core/api";
import { loadSettings, saveAlarmHistory, saveApiKey, saveSettings, SETTINGS_KEYS } from "../src/core/settings-codec";
import { DEFAULT_LIMITS } from "../src/net/limits";
import { AssetRoute } from "../src/webapp/asset-route";
import { FAULT_HELP, parseFaultFlags, scheduleFaults } from "./faults";
import { createHostMqtt } from "./mqtt/host-mqtt";
import { MQTT_FLAGS, MQTT_HELP, mqttFromFlags } from "./mqtt/mqtt-flags";
import { FileAssetSource } from "./file-assets";
import { FileSettingsStore } from "./file-store";
import { hostRestApi, openHostLogs, settingsFileRecords } from "./logs-and-rest";
import { loadPlantParams } from "./plant/load-plant-params";
import { RealTime } from "./real-time";
import { SimulatedIncubator } from "./simulated-incubator";
import { realClock, startServer } from "./server";

const USAGE = `Usage: npm start -- [options]
  --speed <n>        run n times faster than real time (default 1)
  --plant <file>     incubator model parameters (JSON merged over host-sim/plant/params.ts)
  --host <addr>      listen address (default 127.0.0.1)
  --port <n>         listen port (default 8080)
  --state <file>     settings file that survives restarts (default .incunest-state.json)
  --api-key <key>    use and store this API key (default: the stored one, else a new one)
  --no-auth          accept clients without a key
  --max-clients <n>  connection cap over all endpoints (default 4, as on the device)
  --seed <n>         sensor noise seed
  --quiet            no live status line
${MQTT_HELP}
  ${FAULT_HELP}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number, got "${text}"`);
  return value;
}

const faults = parseFaultFlags(process.argv.slice(2));
if (faults.errors.length > 0) fail(faults.errors.join("\n"));
let args;
try {
  args = parseArgs({
    args: faults.rest,
    options: {
      speed: { type: "string" },
      plant: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8080" },
      state: { type: "string", default: ".incunest-state.json" },
      "api-key": { type: "string" },
      "no-auth": { type: "boolean", default: false },
      "max-clients": { type: "string" },
      seed: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      ...MQTT_FLAGS,
    },
    strict: true,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const speed = positiveNumber("speed", args.speed, 1);
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got "${args.port}"`);
const maxConnections = Math.round(positiveNumber("max-clients", args["max-clients"], DEFAULT_LIMITS.maxConnections));
const mqttFlags = mqttFromFlags(args);
if (mqttFlags && !mqttFlags.ok) fail(mqttFlags.error);
let plantParams;
try {
  plantParams = loadPlantParams(args.plant);
} catch (error) {
  fail((error as Error).message);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const store = new FileSettingsStore(args.state, (message) => process.stderr.write(`settings file: ${message}\n`));
for (const problem of store.problems) say(`settings file: ${problem}`);
const loaded = loadSettings(store);
// A first start has nothing stored: only a file that exists has problems worth printing.
if (store.getInt(SETTINGS_KEYS.version) !== undefined) for (const p of loaded.problems) say(`settings: ${p}`);

let apiKey: string | null = null;
if (!args["no-auth"]) {
  apiKey = args["api-key"] ?? loaded.settings.apiKey ?? randomBytes(12).toString("base64url");
  const refused = saveApiKey(store, apiKey);
  if (refused) fail(`--api-key refused: ${refused}`);
}

const time = new RealTime(speed);
const hostLogs = openHostLogs({ stateFile: args.state, records: settingsFileRecords(store), timers: time, wall: time, onStorageFault: (m) => process.stderr.write(`${m}\n`) });
const sim = new SimulatedIncubator({
  time,
  calibration: hostLogs.settings.calibration,
  plant: plantParams,
  seed: args.seed === undefined ? undefined : Number(args.seed),
  settings: loaded.settings,
  persist: (settings) => saveSettings(store, settings),
  alarmHistory: loaded.settings.alarmHistory,
  persistAlarmHistory: (encoded) => {
    const why = saveAlarmHistory(store, encoded);
    if (why) process.stderr.write(`settings file: ${why}\n`);
  },
  records: settingsFileRecords(store),
  onError: (error) => process.stderr.write(`event listener failed: ${String(error)}\n`),
});
const { incubator } = sim;
const webApp = new FileAssetSource(fileURLToPath(new URL("../build/web", import.meta.url)));
if (webApp.problem) say(`bedside app: ${webApp.problem}; / shows how to connect instead`);
hostLogs.logs.attach(incubator);
const rest = hostRestApi({ api: incubator, host: hostLogs, time, rateClock: realClock, address: args.host, reboot: () => void shutdown(true) });
const server = await startServer({
  api: incubator,
  routes: [new AssetRoute(webApp), rest],
  host: args.host,
  port,
  apiKey,
  wall: time,
  limits: { maxConnections },
});
const mqtt = mqttFlags?.ok ? createHostMqtt({ api: incubator, config: mqttFlags.config, time, tls: mqttFlags.tls, log: (text) => say(text), schedule: (work) => queueMicrotask(work) }).bridge : null;
incubator.start();
mqtt?.start();
if (sim.board) {
  scheduleFaults(sim.board, faults.specs, time, (spec) => say(`fault injected: ${spec.text}`));
}

const keyQuery = apiKey ? `?api-key=${encodeURIComponent(apiKey)}` : "";
const wsBase = server.wsUrl.replace(/\/ws$/, "");
say(`IncuNest simulated incubator${speed !== 1 ? ` at ${speed}× real time` : ""}`);
say(webApp.problem ? `  connect       ${server.url}  (how to connect; open without the key)` : `  bedside app   ${server.url}  (asks for the API key once)`);
say(`  status page   ${server.url}status${keyQuery}  (no script; JSON: ${server.url}status.json)`);
say(`  IncuNest API  ${server.wsUrl}${keyQuery}`);
say(`  Indigo feeds  ${wsBase}/v2/api/ws/{device,variable,action,page,log}-feed${keyQuery}`);
say(apiKey ? `  API key       ${apiKey}  (Authorization: Bearer <key> or ?api-key=<key>; stored in ${args.state})` : "  API key       none (--no-auth)");
if (loaded.settings.therapyActive) say("  therapy was active at the last stop: resumed (POWER_FAILURE raised)");
say(`  REST API      ${server.url}api/status${keyQuery}  (docs/openapi.yaml; curl -u any:<key>)`);
for (const note of hostLogs.notes) say(`  logs          ${note}`);
if (mqtt) say(`  MQTT          ${mqtt.stats().broker} topics ${mqtt.topicMap.base}/#`);
say(`  settings      ${args.state}, logs ${hostLogs.logFile}; Ctrl-C stops`);

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
  mqtt?.stop(true);
  incubator.stop();
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
