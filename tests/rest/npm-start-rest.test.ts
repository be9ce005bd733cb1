// `npm start` end to end, driven the way a user would: curl and Debian's python3
// (requests, websockets) against the real host-sim process; the process killed as a power
// cut and started again on the same files; the log file's tail corrupted before a boot.
import { strict as assert } from "node:assert";
import { execFile, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { FileLogStore } from "../../host-sim/log-file-store";
import { SimTime } from "../../host-sim/sim-time";
import { LOG_LAYOUT, splitLogStore } from "../../src/logs/log-layout";
import { TrendCursor } from "../../src/logs/trend-cursor";
import { TrendLog } from "../../src/logs/trend-log";
import { TREND_RECORD_BYTES } from "../../src/logs/trend-record";
import { spawnLines } from "../support/line-process";

const run = promisify(execFile);
const KEY = "rest-e2e-key-0123456789";
const SLOW = ["--speed", "0.01"];

interface HostSim {
  readonly child: ChildProcess;
  readonly base: string;
  readonly lines: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function startHostSim(stateFile: string, args: string[] = []): Promise<HostSim> {
  const p = spawnLines(process.execPath, ["--import", "tsx", "host-sim/main.ts", "--port", "0", "--state", stateFile, "--api-key", KEY, "--quiet", ...args], (l) => l);
  const deadline = Date.now() + 30_000;
  let base: string | null = null;
  while (!base) {
    const line = p.lines.find((l) => l.includes("REST API"));
    if (line) base = line.match(/(http:\/\/\S+\/)api\/status/)![1];
    else if (Date.now() > deadline) throw new Error(`npm start did not come up: ${p.lines.join("\n")}\n${p.stderr}`);
    else await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child: p.child,
    base,
    lines: p.lines,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (p.child.exitCode !== null) return;
      p.child.kill(signal);
      await p.exited;
    },
  };
}

async function curl(...args: string[]): Promise<string> {
  return (await run("curl", ["-s", "--max-time", "20", ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

async function curlJson(url: string, ...args: string[]): Promise<any> {
  return JSON.parse(await curl("-u", `any:${KEY}`, ...args, url));
}

/** The trend records in the log file, read independently of the server. */
function recordsInFile(file: string) {
  const store = new FileLogStore(file);
  try {
    const log = new TrendLog({ store: splitLogStore(store).trend, timers: new SimTime() });
    const report = log.open();
    const rows: Array<{ ts: number; air: number | null; skin: number | null; humidity: number | null; heater: number; fan: number; humidifier: number; alarms: number }> = [];
    const cursor = new TrendCursor(log);
    for (let r = cursor.next(); r; r = cursor.next()) rows.push({ ts: r.ts, air: r.air, skin: r.skin, humidity: r.humidity, heater: r.heater, fan: r.fan, humidifier: r.humidifier, alarms: r.alarms });
    const newest = log.endId - 1;
    const perBlock = log.ring.recordsPerBlock;
    const block = Math.floor(newest / perBlock) % log.ring.blockCount;
    // The newest record's place in the file: after the event log's blocks.
    const offset = (LOG_LAYOUT.eventBlocks + block) * LOG_LAYOUT.blockSize + ((newest % perBlock) + 1) * TREND_RECORD_BYTES;
    return { report, rows, newestOffset: offset };
  } finally {
    store.close();
  }
}

describe("npm start serves the REST API (curl, python3-requests, python3-websockets)", function () {
  this.timeout(300_000);
  let dir: string;
  let sim: HostSim | null = null;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "incunest-rest-"));
  });
  afterEach(async () => {
    await sim?.stop("SIGKILL");
    sim = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes a setpoint over REST (python3-requests) that a /ws subscriber (python3-websockets) sees; curl reads it back", async () => {
    sim = await startHostSim(path.join(dir, "state.json"));
    const py = spawnLines("/usr/bin/python3", ["tests/support/rest_setpoint_on_ws.py", sim.base, KEY, "36.7"], (l) => JSON.parse(l));
    assert.equal(await py.exited, 0, py.stderr);
    const [rest, ws] = py.lines;
    assert.equal(rest.status, 200);
    assert.deepEqual(rest.body.data, { setpoint: 36.7, mode: "auto", control_mode: "air", override: false });
    assert.equal(ws.message.data.setpoint.temperature, 36.7);
    const control = await curlJson(`${sim.base}api/control`);
    assert.equal(control.data.temperature.setpoint, 36.7);
    const logs = await curlJson(`${sim.base}api/system/logs?lines=5`, "-H", `Authorization: Bearer ${KEY}`);
    const entry = logs.data.logs.find((e: { event: string }) => e.event === "setpoint");
    assert.equal(entry.message, "air setpoint 36.0 → 36.7 °C");
    assert.equal(entry.origin.via, "rest");
    const refused = JSON.parse(await curl(`${sim.base}api/control/temperature?api-key=${KEY}`, "-X", "POST", "-d", '{"setpoint": 42}'));
    assert.equal(refused.error.field, "setpoint");
    const denied = await curl("-o", "/dev/null", "-w", "%{http_code}", `${sim.base}api/status`);
    assert.equal(denied, "401");
    const big = await curl("-u", `any:${KEY}`, "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", JSON.stringify({ setpoint: 36, pad: "x".repeat(5000) }), `${sim.base}api/control/temperature`);
    assert.equal(big, "413");
    assert.equal((await curlJson(`${sim.base}api/control`)).data.temperature.setpoint, 36.7, "the refused bodies changed nothing");
  });

  it("answers 429 to the 61st request in a minute from one client (python3-requests, one keep-alive session)", async () => {
    sim = await startHostSim(path.join(dir, "state.json"));
    const script = [
      "import json, sys, requests",
      "s = requests.Session(); s.auth = ('any', sys.argv[2])",
      "codes = [s.get(sys.argv[1] + 'api/status', timeout=10).status_code for _ in range(61)]",
      "last = s.get(sys.argv[1] + 'api/status', timeout=10)",
      "print(json.dumps({'codes': codes, 'last': last.json(), 'retry': last.headers.get('Retry-After')}))",
    ].join("\n");
    const out = await run("/usr/bin/python3", ["-c", script, sim.base, KEY]);
    const result = JSON.parse(out.stdout);
    assert.deepEqual(result.codes.slice(0, 60), Array(60).fill(200));
    assert.equal(result.codes[60], 429);
    assert.equal(result.last.error.code, "RATE_LIMITED");
    assert.ok(Number(result.retry) >= 1);
  });

  it("keeps 24 simulated hours across a power cut; the CSV export matches the records row by row; a corrupt tail is skipped at boot", async () => {
    const state = path.join(dir, "state.json");
    const logFile = path.join(dir, "state.logs");
    sim = await startHostSim(state, ["--speed", "1500"]);
    await curlJson(`${sim.base}api/control/state`, "-X", "POST", "-d", '{"action":"start"}');
    // Until 24 h of minutes are recorded (a starved host skips ticks, and a minute with
    // no tick at all has no record, so simulated uptime alone is not the measure), plus
    // the at most 5 a power cut may lose.
    for (;;) {
      const storage = await curlJson(`${sim.base}api/data/storage`);
      if (storage.records >= 24 * 60 + 6) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const before = await curlJson(`${sim.base}api/data/storage`);
    await sim.stop("SIGKILL"); // the power goes: no shutdown entry, queued minutes lost
    const onFlash = recordsInFile(logFile);
    assert.ok(onFlash.rows.length >= 24 * 60, `${onFlash.rows.length} minutes on flash`);
    assert.ok(onFlash.rows.length >= before.records - before.pending_records, "every record written before the cut is still there");
    assert.ok(before.pending_records < 5, `${before.pending_records} minutes were waiting for their batch`);
    const span = (onFlash.rows[onFlash.rows.length - 1].ts - onFlash.rows[0].ts) / 3600;
    assert.ok(span >= 24, `the records span ${span.toFixed(2)} h`);

    // The next boots run slowly, so that no new minute closes while the test reads (this
    // process's clock starts at the real time again, inside the first run's 24 h).
    sim = await startHostSim(state, SLOW);
    assert.ok(sim.lines.some((l) => l.includes("the last run ended without a shutdown (power failure logged)")), sim.lines.join("\n"));
    const latest = await curlJson(`${sim.base}api/data/latest?count=1440`);
    assert.equal(latest.length, 1440);
    assert.deepEqual(latest.map((r: { ts: number }) => r.ts), onFlash.rows.slice(-1440).map((r) => r.ts));
    // The newest entries are this boot's: boot, the power failure it found, and (therapy
    // was on) the resume with its POWER_FAILURE alarm, all after the first run's last entry.
    const logs = await curlJson(`${sim.base}api/system/logs?lines=5`);
    const newest = logs.data.logs as Array<{ event: string; timestamp: string }>;
    assert.deepEqual(newest.slice(0, 4).map((e) => e.event).sort(), ["alarm_raised", "boot", "power_failure", "state_change"]);
    assert.ok(Date.parse(newest[4].timestamp) < Date.parse(newest.find((e) => e.event === "boot")!.timestamp), "the restart's clock is after the last run's entries");

    // The export (curl, to a file), row by row against the records in the log file.
    const csvFile = path.join(dir, "export.csv");
    const headers = await curl("-u", `any:${KEY}`, "-D", "-", "-o", csvFile, `${sim.base}api/data/export`);
    assert.match(headers, /Transfer-Encoding: chunked|Content-Length/i);
    assert.match(headers, /Content-Disposition: attachment; filename=incunest_data.csv/i);
    await sim.stop("SIGTERM");
    const lines = readFileSync(csvFile, "utf8").trimEnd().split("\n");
    const stored = recordsInFile(logFile);
    assert.equal(lines[0], "timestamp,temperature,skin_temp,humidity,heater,fan,humidifier,alarms");
    const rows = stored.rows.slice(0, lines.length - 1);
    assert.ok(rows.length >= onFlash.rows.length);
    const f = (v: number | null, d: number) => (v === null ? "" : v.toFixed(d));
    rows.forEach((r, i) => {
      const expected = `${r.ts},${f(r.air, 2)},${f(r.skin, 2)},${f(r.humidity, 1)},${Math.round(r.heater)},${Math.round(r.fan)},${r.humidifier > 0 ? 1 : 0},${r.alarms}`;
      assert.equal(lines[i + 1], expected, `row ${i + 1}`);
    });

    // Corrupt the newest record on flash, then boot: it is skipped, everything else is served.
    const fd = openSync(logFile, "r+");
    writeSync(fd, Buffer.from([0x13, 0x37, 0x00, 0x42]), 0, 4, stored.newestOffset + 8);
    closeSync(fd);
    sim = await startHostSim(state, SLOW);
    assert.ok(sim.lines.some((l) => /trend log: \d+ minute records; 1 torn or corrupt slot/.test(l)), sim.lines.join("\n"));
    const afterCorruption = await curlJson(`${sim.base}api/data/storage`);
    assert.equal(afterCorruption.records, stored.rows.length - 1, "all but the corrupt record");
    const status = await curlJson(`${sim.base}api/status`);
    assert.equal(status.success, true);
    const tail = await curlJson(`${sim.base}api/data/latest?count=3`);
    assert.equal(tail.length, 3);
  });
});
