// The power-cut loop of issue 11: `npm start` is killed with SIGKILL (no shutdown, no flush)
// again and again at random moments while a client sends commands and alarms come and go;
// after every kill the records on disk must hold every setting the firmware acknowledged
// (or the one whose answer the kill cut off), the API key must not change, and the next
// start must not find its settings lost.
//
//   npx tsx host-sim/tools/kill9-loop.ts [--restarts 40] [--seed 1] [--speed 20] [--keep <dir>]
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { AbRecordStore } from "../../src/core/ab-record-store";
import { decodeSettingsRecord } from "../../src/core/settings-record";
import { FileSlots } from "../file-store";
import { SeededRandom } from "../seeded-random";

const { values } = parseArgs({ options: { restarts: { type: "string", default: "40" }, seed: { type: "string", default: "1" }, speed: { type: "string", default: "20" }, keep: { type: "string" }, verbose: { type: "boolean", default: false } } });
const verbose = (line: string) => { if (values.verbose) process.stdout.write(`    ${line}\n`); };
const RESTARTS = Number(values.restarts);
const SPEED = Number(values.speed);
const rng = new SeededRandom(Number(values.seed));
const ROOT = path.resolve(import.meta.dirname, "../..");
/** tsx's loader for `node --import`, so that the child is node itself (not a tsx wrapper). */
const TSX_LOADER = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const dir = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "incunest-kill9-"));
fs.mkdirSync(dir, { recursive: true });
const stateFile = path.join(dir, "state.json");

interface Settings { air: number; skin: number; humidity: number; mode: "air" | "skin"; therapy: boolean }
type Command = { action: string; data: Record<string, unknown>; apply(s: Settings): Settings };

const pick = <T>(list: readonly T[]): T => list[rng.int(list.length)];
const tenth = (min: number, max: number) => Math.round((min + rng.next() * (max - min)) * 10) / 10;

function randomCommand(s: Settings): Command {
  const r = rng.next();
  if (r < 0.4) {
    const v = s.mode === "skin" ? tenth(35, 37.5) : tenth(20, 39);
    return { action: "set_temperature", data: { setpoint: v, override: v > 37 }, apply: (x) => (x.mode === "skin" ? { ...x, skin: v } : { ...x, air: v }) };
  }
  if (r < 0.6) {
    const v = Math.round(30 + rng.next() * 55);
    return { action: "set_humidity", data: { setpoint: v }, apply: (x) => ({ ...x, humidity: v }) };
  }
  if (r < 0.72) {
    const m = pick(["air", "skin"] as const);
    return { action: "set_mode", data: { mode: m }, apply: (x) => ({ ...x, mode: m }) };
  }
  if (r < 0.86) {
    const st = pick(["start", "start", "stop", "standby", "reset"] as const);
    return { action: "set_state", data: { state: st }, apply: (x) => (st === "reset" ? x : { ...x, therapy: st === "start" }) };
  }
  return { action: "acknowledge_alarm", data: { alarm_id: pick(activeAlarms.length ? activeAlarms : [9999]) }, apply: (x) => x };
}

/** Ids of the alarms active and not yet acknowledged (from the alarm messages). */
let activeAlarms: number[] = [];

function storedSettings(): Settings | null {
  const records = new AbRecordStore({ medium: new FileSlots(stateFile), schedule: (w) => w() });
  const text = records.load("settings");
  if (text === null) return null;
  const d = decodeSettingsRecord(text);
  if (!d.ok) throw new Error(`settings record unreadable after a kill: ${d.error}`);
  const s = d.settings;
  return { air: s.setpoints.air, skin: s.setpoints.skin, humidity: s.setpoints.humidity, mode: s.mode, therapy: s.therapyActive };
}

const same = (a: Settings | null, b: Settings | null) => JSON.stringify(a) === JSON.stringify(b);

function startIncubator(faults: string[]): Promise<{ child: ChildProcess; url: string; key: string; banner: string }> {
  return new Promise((resolve, reject) => {
    // node itself, not the tsx wrapper: SIGKILL must hit the firmware's process, not a parent
    // that leaves it running.
    const child = spawn(process.execPath, ["--import", TSX_LOADER, path.join(ROOT, "host-sim/main.ts"), "--port", "0", "--quiet", "--state", stateFile, "--speed", String(SPEED), ...faults.flatMap((f) => ["--fault", f])], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`no banner in 180 s:\n${out}`)); }, 180_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /IncuNest API\s+(ws:\/\/\S+\/ws)\?api-key=(\S+)/.exec(out);
      if (m && /Ctrl-C stops/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: m[1], key: decodeURIComponent(m[2]), banner: out });
      }
    });
    child.stderr!.on("data", (c: Buffer) => { out += c.toString(); });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`npm start exited (${code}) before its banner:\n${out}`)); });
  });
}

const stats = { faults: 0, restarts: 0, commands: 0, acknowledged: 0, refused: 0, inFlightAtKill: 0, inFlightLanded: 0, alarmsRaised: 0, alarmsAcknowledged: 0, powerFailures: 0, violations: [] as string[] };
let acknowledged: Settings | null = null;
let current: Settings = { air: 36, skin: 36.5, humidity: 60, mode: "air", therapy: false };
let apiKey: string | null = null;

for (let run = 1; run <= RESTARTS; run++) {
  // Alarms that come and go: POWER_FAILURE at every start with therapy on, a skin probe that
  // reads high or is pulled out (skin mode), the humidifier, and now and then a fan that
  // stops (FAN_FAILURE, FAULT: the firmware itself ends therapy; resets are refused).
  const faults = [[], ["skin:drift=+1.6"], ["skin:unplug@t=2s"], ["humidifier:stuck-on"], [], ["fan:stop@t=3s"]][run % 6];
  const inc = await startIncubator(faults);
  stats.restarts++;
  if (apiKey === null) apiKey = inc.key;
  else if (inc.key !== apiKey) stats.violations.push(`run ${run}: the API key changed (${apiKey} → ${inc.key})`);
  if (/SETTINGS_LOST/.test(inc.banner)) stats.violations.push(`run ${run}: the start found its settings lost`);
  activeAlarms = [];
  const ws = new WebSocket(`${inc.url}?api-key=${encodeURIComponent(inc.key)}`);
  const responses = new Map<string, { success: boolean; message: string }>();
  let first: Settings | null = null;
  ws.on("message", (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === "command_response") {
      responses.set(String(m.data.command_id), m.data);
      verbose(`${m.data.command_id} ${m.data.success ? "ok" : "refused"}: ${m.data.message}`);
    }
    if (m.type === "state_change") {
      verbose(`state ${m.data.previous_state} → ${m.data.new_state}: ${m.data.reason}`);
      // The firmware's own change (FAULT ends therapy), stored by it without a command.
      if (m.data.new_state === "FAULT" && m.data.previous_state !== null) {
        stats.faults++;
        current = { ...current, therapy: false };
        if (acknowledged) acknowledged = { ...acknowledged, therapy: false };
      }
    }
    if (m.type === "alarm") verbose(`alarm ${m.data.code} active=${m.data.active} ack=${m.data.acknowledged}: ${m.data.message}`);
    if (m.type === "alarm" && m.data.active && !m.data.acknowledged) {
      stats.alarmsRaised++;
      if (m.data.code === "POWER_FAILURE") stats.powerFailures++;
      if (m.data.code === "SETTINGS_LOST") stats.violations.push(`run ${run}: SETTINGS_LOST raised`);
    }
    if (m.type === "alarm" && m.data.acknowledged) stats.alarmsAcknowledged++;
    if (m.type === "alarm") activeAlarms = m.data.active && !m.data.acknowledged ? [...new Set([...activeAlarms, m.data.id])] : activeAlarms.filter((id) => id !== m.data.id);
    if (m.type === "sensor_update" && first === null && acknowledged) {
      first = acknowledged;
      const d2 = m.data;
      const sp = acknowledged.mode === "skin" ? acknowledged.skin : acknowledged.air;
      if (d2.mode !== acknowledged.mode || Math.abs(d2.setpoint.temperature - sp) > 1e-9 || Math.abs(d2.setpoint.humidity - acknowledged.humidity) > 1e-9) {
        stats.violations.push(`run ${run}: the restarted incubator shows ${d2.mode} ${d2.setpoint.temperature} °C ${d2.setpoint.humidity} %RH, acknowledged ${JSON.stringify(acknowledged)}`);
      }
    }
  });
  await new Promise<void>((resolve, reject) => { ws.once("open", () => resolve()); ws.once("error", reject); });
  ws.send(JSON.stringify({ type: "subscribe", channel: "all" }));
  // Commands one after the other, each waiting for its answer; the kill comes at a random
  // moment, often while one is in flight (sent, not yet answered).
  const killAfterMs = 300 + rng.int(4000);
  const killAt = Date.now() + killAfterMs;
  let inFlight: Command | null = null;
  current = acknowledged ?? { air: 36, skin: 36.5, humidity: 60, mode: "air", therapy: false };
  let n = 0;
  while (Date.now() < killAt) {
    const cmd = randomCommand(current);
    const id = `r${run}c${n++}`;
    inFlight = cmd;
    stats.commands++;
    ws.send(JSON.stringify({ type: "command", command_id: id, action: cmd.action, data: cmd.data }));
    while (!responses.has(id) && Date.now() < killAt) await new Promise((r) => setTimeout(r, 2));
    const answer = responses.get(id);
    if (!answer) break; // the kill comes now, with this command in flight
    inFlight = null;
    if (answer.success) {
      stats.acknowledged++;
      current = cmd.apply(current);
      acknowledged = current;
    } else stats.refused++;
    await new Promise((r) => setTimeout(r, rng.int(150)));
  }
  inc.child.kill("SIGKILL");
  await new Promise<void>((r) => inc.child.once("exit", () => r()));
  try {
    process.kill(inc.child.pid as number, 0);
    stats.violations.push(`run ${run}: the firmware's process ${inc.child.pid} survived SIGKILL`);
  } catch {
    // gone, as a power cut leaves it
  }
  ws.terminate();
  // What a reboot reads: the acknowledged settings, or those of the command the kill cut off.
  const stored = storedSettings();
  if (inFlight) stats.inFlightAtKill++;
  const landed: Settings | null = inFlight && acknowledged ? (inFlight as Command).apply(acknowledged) : null;
  if (same(stored, acknowledged)) {
    // fine
  } else if (landed && same(stored, landed)) {
    stats.inFlightLanded++;
    acknowledged = landed; // stored before its answer went out: it is what the next boot runs
  } else if (acknowledged !== null) {
    stats.violations.push(`run ${run}: stored ${JSON.stringify(stored)}, acknowledged ${JSON.stringify(acknowledged)}${inFlight ? `, in flight ${inFlight.action} ${JSON.stringify(inFlight.data)}` : ""}`);
    acknowledged = stored;
  }
  process.stdout.write(`run ${String(run).padStart(2)}: killed after ${killAfterMs} ms, ${n} commands${inFlight ? ` (${inFlight.action} in flight)` : ""}${faults.length ? `, --fault ${faults.join(" ")}` : ""}; stored ${JSON.stringify(stored)}\n`);
  await new Promise((r) => setTimeout(r, rng.int(1000)));
}

const files = fs.readdirSync(dir).filter((f) => f.includes("corrupt"));
if (files.length) stats.violations.push(`corrupt copies kept: ${files.join(", ")}`);
process.stdout.write(`\n${JSON.stringify({ ...stats, violations: stats.violations.length }, null, 1)}\n`);
for (const v of stats.violations) process.stdout.write(`VIOLATION ${v}\n`);
if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
process.exit(stats.violations.length === 0 ? 0 : 1);
