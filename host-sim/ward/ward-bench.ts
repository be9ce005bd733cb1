// npm run bench -- --ward [--beds 10,100,300] [--seconds 20]
// The ward through one local mosquitto at 1 Hz, on real time: messages a second at the
// nurse station, end-to-end latency (handed to MQTT.js → arrived at the station, and the
// firmware tick → arrived), alarms and state changes lost, the runner's CPU per bed, the
// broker's CPU, and a broker restart in the middle (alarms raised while it is down; time
// until every bed is heard again). Beside it the /ws path: the station holds one /ws per
// bed (the beds' own servers), same beds, same faults, no broker.
import { spawn } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startMosquitto, type Mosquitto } from "../mqtt/mosquitto";
import type { StationRecord } from "./bench-station";
import { Ward } from "./ward";

const STATION = fileURLToPath(new URL("./bench-station.ts", import.meta.url));
const USERS = { incunest: "bench-beds", nurse: "bench-station" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WardBenchRow {
  readonly path: "mqtt" | "/ws";
  readonly beds: number;
  readonly workers: number;
  readonly messagesPerS: number;
  readonly publishP50Ms: number | null;
  readonly publishP99Ms: number | null;
  readonly tickP50Ms: number;
  readonly tickP99Ms: number;
  /** Firmware side only (mqtt): the tick's timestamp → handed to MQTT.js. */
  readonly deferP50Ms: number | null;
  readonly deferP99Ms: number | null;
  readonly events: number;
  readonly eventsLost: number;
  readonly runnerCpuMsPerBedS: number;
  readonly brokerCpuPct: number | null;
  /** Broker restart (mqtt only): events raised while it was down, lost, seconds until every bed was heard again. */
  readonly restart: { readonly downS: number; readonly eventsDuringOutage: number; readonly lost: number; readonly recoverS: number; readonly sensorsDelivered: number } | null;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

function procCpuMs(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ 100
  } catch {
    return null;
  }
}

interface Station {
  dump(): Promise<StationRecord[]>;
  stop(): void;
}

async function startStation(spec: object, dir: string): Promise<Station> {
  const child = spawn(process.execPath, ["--import", "tsx", STATION, JSON.stringify(spec)], { stdio: ["pipe", "pipe", "inherit"] });
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  const lines = createInterface({ input: child.stdout! });
  const waiters: Array<(line: string) => void> = [];
  lines.on("line", (line) => waiters.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  const connected = await Promise.race([next(), sleep(90_000).then(() => "timeout")]);
  if (connected !== "connected") throw new Error("bench station did not connect");
  let n = 0;
  return {
    async dump() {
      const file = join(dir, `station-${n++}.json`);
      child.stdin!.write(`dump ${file}\n`);
      await next();
      return JSON.parse(readFileSync(file, "utf8")) as StationRecord[];
    },
    stop: () => {
      child.kill("SIGTERM");
    },
  };
}

/** Every 10th bed's fan stops (FAN_FAILURE, then FAULT): alarms and state changes to deliver. */
function stopFans(ward: Ward, beds: number): void {
  for (let b = 10; b <= beds; b += 10) ward.fault(b, "fan:stop");
}

/** Every 10th + 5 bed loses its SHT31 (SENSOR_FAULT 5 s later). */
function failSht31(ward: Ward, beds: number): void {
  for (let b = 5; b <= beds; b += 10) ward.fault(b, "sht31:nack");
}

function arrivedBetween(records: StationRecord[], from: number, to: number): number {
  return records.filter((r) => r.at >= from && r.at < to).length;
}

function lost(ward: Ward, records: StationRecord[], byDevice: (d: string) => string, from = 0, to = Infinity): { events: number; lost: number } {
  const seen = new Set(records.filter((r) => r.t !== "sensors").map((r) => `${byDevice(r.d)} ${r.t} ${r.k}`));
  const events = ward.events.slice(from, to === Infinity ? undefined : to);
  let missing = 0;
  for (const e of events) if (!seen.has(`${e.deviceId} ${e.key}`)) missing++;
  return { events: events.length, lost: missing };
}

async function runMqtt(beds: number, seconds: number, dir: string): Promise<WardBenchRow> {
  const broker: Mosquitto = await startMosquitto({ users: USERS, persistence: true });
  const station = await startStation({ mqtt: { url: broker.url, username: "nurse", password: USERS.nurse } }, dir);
  const workers = beds > 100 ? 2 : 0;
  const warmS = 5;
  const downS = 8;
  const ward = await Ward.start({
    beds, workers, speed: 1, therapy: true, servers: false, trace: true, apiKey: null,
    broker: { host: "127.0.0.1", port: broker.port, username: "incunest", password: USERS.incunest },
    faults: {},
  });
  try {
    // Every bed connected first (300 CONNECTs at once take seconds on a loaded machine),
    // then the warm-up, so that no reading queued before its CONNACK counts as latency.
    for (let waited = 0; (await ward.stats()).links.connected < beds && waited < 120_000; waited += 250) await sleep(250);
    await sleep(warmS * 1000);
    await station.dump(); // the warm-up's arrivals are not measured
    ward.publishes.length = 0;
    const eventsBefore = ward.events.length;
    const cpu0 = process.cpuUsage();
    const broker0 = procCpuMs(broker.pid);
    const t0 = performance.now();
    const from = performance.timeOrigin + t0;
    await sleep(2000);
    stopFans(ward, beds);
    await sleep(seconds * 1000 - 2000);
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const broker1 = procCpuMs(broker.pid);
    const steady = await station.dump();
    await sleep(1000); // late arrivals of the window
    steady.push(...(await station.dump()));
    const publishes = ward.publishes.splice(0);
    const sent = new Map(publishes.map((p) => [`${p.topic.split("/")[1]} ${p.topic.split("/")[2]} ${p.key}`, p.atMs]));
    const publishLatency: number[] = [];
    const tickLatency: number[] = [];
    for (const r of steady) {
      const at = sent.get(`${r.d} ${r.t} ${r.k}`);
      if (at !== undefined && r.t === "sensors") publishLatency.push(r.at - at);
      if (r.t === "sensors" && Number.isFinite(r.ts)) tickLatency.push(r.at - r.ts);
    }
    const inWindow = arrivedBetween(steady, from, from + elapsedS * 1000);
    const defer = publishes.filter((p) => p.topic.endsWith("/sensors")).map((p) => p.atMs - Date.parse(p.key)).filter(Number.isFinite);

    // Broker restart: down for downS, alarms raised meanwhile, then every bed must be heard.
    const eventsAtHalt = ward.events.length;
    await broker.halt();
    failSht31(ward, beds);
    await sleep(downS * 1000);
    const eventsDuringOutage = ward.events.length - eventsAtHalt;
    const resumedAt = performance.timeOrigin + performance.now();
    await broker.resume();
    let recoverS = NaN;
    const after: StationRecord[] = [];
    for (let waited = 0; waited < 60_000; waited += 500) {
      await sleep(500);
      after.push(...(await station.dump()));
      const heard = new Set(after.filter((r) => r.t === "sensors" && r.at > resumedAt).map((r) => r.d));
      if (heard.size === beds) {
        const firsts = new Map<string, number>();
        for (const r of after) if (r.t === "sensors" && r.at > resumedAt && !firsts.has(r.d)) firsts.set(r.d, r.at);
        recoverS = (Math.max(...firsts.values()) - resumedAt) / 1000;
        break;
      }
    }
    await sleep(3000); // the outage's queued events drain
    after.push(...(await station.dump()));
    const all = [...steady, ...after];
    const outageLoss = lost(ward, all, (d) => d, eventsAtHalt, eventsAtHalt + eventsDuringOutage);
    const totalLoss = lost(ward, all, (d) => d, eventsBefore);
    const sensorSent = ward.publishes.filter((p) => p.topic.endsWith("/sensors")).length;
    const sensorGot = after.filter((r) => r.t === "sensors").length;
    const stats = await ward.stats();
    if (stats.droppedEvents > 0) process.stderr.write(`ward bench: ${stats.droppedEvents} events dropped by full queues\n`);
    return {
      path: "mqtt", beds, workers,
      messagesPerS: inWindow / elapsedS,
      publishP50Ms: percentile(publishLatency, 50), publishP99Ms: percentile(publishLatency, 99),
      tickP50Ms: percentile(tickLatency, 50), tickP99Ms: percentile(tickLatency, 99),
      deferP50Ms: percentile(defer, 50), deferP99Ms: percentile(defer, 99),
      events: totalLoss.events, eventsLost: totalLoss.lost,
      runnerCpuMsPerBedS: (cpu.user + cpu.system) / 1000 / elapsedS / beds,
      brokerCpuPct: broker0 !== null && broker1 !== null ? ((broker1 - broker0) / (elapsedS * 1000)) * 100 : null,
      restart: { downS, eventsDuringOutage, lost: outageLoss.lost, recoverS, sensorsDelivered: sensorSent ? sensorGot / sensorSent : NaN },
    };
  } finally {
    await ward.stop();
    station.stop();
    await broker.stop();
  }
}

async function runWs(beds: number, seconds: number, dir: string): Promise<WardBenchRow> {
  const workers = beds > 100 ? 2 : 0;
  const ward = await Ward.start({
    beds, workers, speed: 1, therapy: true, servers: true, trace: true, apiKey: "bench-key", mqtt: false,
    broker: { host: "", port: 1883, username: "", password: "" },
    faults: {},
  });
  const urls = ward.beds.map((b) => b.wsUrl!);
  const deviceOf = new Map(ward.beds.map((b) => [b.wsUrl!, b.deviceId]));
  // The beds' servers cap connections at 4 like the device; one station client per bed.
  const station = await startStation({ ws: urls }, dir);
  try {
    await sleep(5000);
    await station.dump();
    const eventsBefore = ward.events.length;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const from = performance.timeOrigin + t0;
    await sleep(2000);
    stopFans(ward, beds);
    await sleep(seconds * 1000 - 2000);
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const eventsEnd = ward.events.length;
    await sleep(1000);
    const records = await station.dump();
    const sensors = records.filter((r) => r.t === "sensors");
    const tickLatency = sensors.map((r) => r.at - r.ts).filter(Number.isFinite);
    const loss = lost(ward, records, (d) => deviceOf.get(d) ?? d, eventsBefore, eventsEnd);
    return {
      path: "/ws", beds, workers,
      messagesPerS: arrivedBetween(records, from, from + elapsedS * 1000) / elapsedS,
      publishP50Ms: null, publishP99Ms: null,
      tickP50Ms: percentile(tickLatency, 50), tickP99Ms: percentile(tickLatency, 99),
      deferP50Ms: null, deferP99Ms: null,
      events: loss.events, eventsLost: loss.lost,
      runnerCpuMsPerBedS: (cpu.user + cpu.system) / 1000 / elapsedS / beds,
      brokerCpuPct: null,
      restart: null,
    };
  } finally {
    station.stop();
    await ward.stop();
  }
}

export async function runWardBench(bedCounts: readonly number[] = [10, 100, 300], seconds = 20): Promise<WardBenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "incunest-ward-bench-"));
  const rows: WardBenchRow[] = [];
  try {
    for (const beds of bedCounts) {
      rows.push(await runMqtt(beds, seconds, dir));
      rows.push(await runWs(beds, seconds, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const f = (v: number | null, d = 1) => (v === null || !Number.isFinite(v) ? "—" : v.toFixed(d));

export function formatWardRows(rows: readonly WardBenchRow[]): string {
  const head = "| path | beds | workers | msg/s at station | publish→station p50 / p99 ms | tick→station p50 / p99 ms | of which tick→publish p50 / p99 ms | alarm+state events | lost | runner CPU ms per bed·s | broker CPU % | restart: down s / events meanwhile / lost / all beds back after s / sensors delivered |";
  const sep = "|" + " --- |".repeat(12);
  const lines = rows.map((r) => `| ${r.path} | ${r.beds} | ${r.workers} | ${f(r.messagesPerS, 0)} | ${f(r.publishP50Ms, 2)} / ${f(r.publishP99Ms, 2)} | ${f(r.tickP50Ms, 1)} / ${f(r.tickP99Ms, 1)} | ${f(r.deferP50Ms, 1)} / ${f(r.deferP99Ms, 1)} | ${r.events} | ${r.eventsLost} | ${f(r.runnerCpuMsPerBedS, 2)} | ${f(r.brokerCpuPct, 1)} | ${r.restart ? `${r.restart.downS} / ${r.restart.eventsDuringOutage} / ${r.restart.lost} / ${f(r.restart.recoverS, 1)} / ${f(r.restart.sensorsDelivered * 100, 0)} %` : "—"} |`);
  return [head, sep, ...lines].join("\n");
}

/** `npm run bench -- --ward [--beds 10,100,300] [--seconds 20] [--out file.json]` */
export async function wardBenchMain(argv: readonly string[]): Promise<void> {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const beds = (value("--beds") ?? "10,100,300").split(",").map(Number);
  const seconds = Number(value("--seconds") ?? 20);
  if (beds.some((n) => !Number.isInteger(n) || n < 1 || n > 1000) || !(seconds >= 5)) {
    console.error("usage: npm run bench -- --ward [--beds 10,100,300] [--seconds 20 (≥ 5)] [--out file.json]");
    process.exit(2);
  }
  const rows = await runWardBench(beds, seconds);
  const { loadavg, cpus } = await import("node:os");
  console.log(`Ward bench: beds at 1 Hz through one local mosquitto (${seconds} s measured per row), then a broker restart; beside it /ws with one station client per bed`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at the end (other work on the machine inflates latency)\n`);
  console.log(formatWardRows(rows));
  const out = value("--out") ?? "bench-results/ward.json";
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { dirname } = await import("node:path");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(rows, null, 2) + "\n");
  console.log(`\nwritten ${out}`);
}
