// `npm run ward -- --beds N`: N simulated incubators (each its own firmware core, plant,
// noise seed, faults and HTTP server) publishing to one mosquitto started on free ports
// with a generated configuration, and the nurse-station page served on --port.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startMosquitto, type Mosquitto } from "../mqtt/mosquitto";
import { parseFaultSpec } from "../faults";
import { parseMqttUrl } from "../../src/protocol/mqtt/mqtt-config";
import { startStationServer } from "./page";
import { Ward } from "./ward";

const USAGE = `Usage: npm run ward -- [options]
  --beds <n>          simulated incubators (default 20)
  --workers <n>       worker threads for the beds (default: 0 up to 100 beds, else 2)
  --host <addr>       listen address of the nurse-station page (default 127.0.0.1)
  --port <n>          nurse-station page port (default 8090)
  --fault <bed>:<spec>  inject a fault into one bed, e.g. 3:fan:stop@t=30s (npm start's --fault syntax)
  --standby           leave the beds in STANDBY (default: therapy started at once)
  --speed <n>         run n times faster than real time (default 1)
  --broker <url>      use this broker instead of starting mosquitto (mqtt://user:pass@host:port)
  --broker-ws <url>   its WebSocket listener for the page (ws://host:port, with --broker)
  --no-bed-pages      no HTTP server per bed (no click-through)
While it runs, type "kill <bed>" (power cut: the bed's last will), "fault <bed> <spec>", or "quit".`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      beds: { type: "string", default: "20" },
      workers: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8090" },
      fault: { type: "string", multiple: true, default: [] },
      standby: { type: "boolean", default: false },
      speed: { type: "string", default: "1" },
      broker: { type: "string" },
      "broker-ws": { type: "string" },
      "no-bed-pages": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
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
const beds = Number(args.beds);
if (!Number.isInteger(beds) || beds < 1 || beds > 1000) fail(`--beds must be 1..1000, got "${args.beds}"`);
const workers = args.workers === undefined ? (beds > 100 ? 2 : 0) : Number(args.workers);
if (!Number.isInteger(workers) || workers < 0 || workers > 16) fail(`--workers must be 0..16, got "${args.workers}"`);
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got "${args.port}"`);
const speed = Number(args.speed);
if (!(speed > 0)) fail(`--speed must be a positive number, got "${args.speed}"`);
const faults: Record<number, string[]> = {};
for (const text of args.fault) {
  const m = /^(\d+):(.+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > beds) fail(`--fault ${text}: expected <bed 1..${beds}>:<spec>`);
  const parsed = parseFaultSpec(m[2]);
  if (!parsed.ok) fail(`--fault ${text}: ${parsed.error}`);
  (faults[Number(m[1])] ??= []).push(m[2]);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
let broker: Mosquitto | null = null;
let bedBroker: { host: string; port: number; username: string; password: string };
let station: { wsUrl: string; username: string; password: string };
if (args.broker) {
  const url = parseMqttUrl(args.broker);
  if (!url.ok) fail(`--broker: ${url.error}`);
  if (!args["broker-ws"]) fail("--broker needs --broker-ws for the nurse-station page");
  bedBroker = { host: url.patch.broker!, port: url.patch.port!, username: url.patch.username ?? "", password: url.patch.password ?? "" };
  station = { wsUrl: args["broker-ws"], username: bedBroker.username, password: bedBroker.password };
} else {
  const users = { incunest: randomBytes(9).toString("base64url"), nurse: randomBytes(9).toString("base64url") };
  broker = await startMosquitto({ users, websockets: true, persistence: true, log: (line) => process.stderr.write(`mosquitto: ${line}\n`) });
  bedBroker = { host: "127.0.0.1", port: broker.port, username: "incunest", password: users.incunest };
  station = { wsUrl: `ws://127.0.0.1:${broker.wsPort}`, username: "nurse", password: users.nurse };
}

const apiKey = randomBytes(12).toString("base64url");
const ward = await Ward.start({ beds, workers, broker: bedBroker, faults, apiKey, speed, therapy: !args.standby, servers: !args["no-bed-pages"], trace: false });
const page = await startStationServer({ ...station, beds: ward.beds.map((b) => ({ deviceId: b.deviceId, url: b.url })) }, args.host, port);

say(`IncuNest ward: ${beds} simulated incubators${workers ? ` in ${workers} worker threads` : ""}${speed !== 1 ? ` at ${speed}× real time` : ""}`);
say(`  nurse station  ${page.url}`);
say(`  broker         mqtt://${bedBroker.host}:${bedBroker.port} (beds as "${bedBroker.username}"), WebSocket ${station.wsUrl} (page as "${station.username}")`);
if (broker) say(`  credentials    incunest / ${bedBroker.password}, nurse / ${station.password} (generated; mosquitto config in ${broker.dir})`);
say(`  bed pages      ${ward.beds[0]?.url ?? "none"} … (API key ${apiKey})`);
for (const [bed, specs] of Object.entries(faults)) say(`  bed ${bed}: ${specs.join(", ")}`);
say(`  type "kill <bed>", "fault <bed> <spec>" or "quit"; Ctrl-C stops`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await ward.stop();
  await page.close();
  await broker?.stop();
  say("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

if (process.stdin.isTTY || process.env.WARD_STDIN === "1") {
  createInterface({ input: process.stdin }).on("line", (line) => {
    const [verb, bedText, spec] = line.trim().split(/\s+/);
    const bed = Number(bedText);
    if (verb === "quit") void shutdown();
    else if (verb === "kill" && bed >= 1 && bed <= beds) {
      ward.kill(bed);
      say(`bed ${bed}: power cut`);
    } else if (verb === "fault" && bed >= 1 && bed <= beds && spec && parseFaultSpec(spec).ok) {
      ward.fault(bed, spec);
      say(`bed ${bed}: ${spec}`);
    } else if (line.trim()) say(`? ${line.trim()}: kill <bed> | fault <bed> <spec> | quit`);
  });
}
