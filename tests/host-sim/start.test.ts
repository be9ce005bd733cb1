// `npm start` as a user runs it: its flags, its refusals, its state across restarts (a
// restart plays out as a power cut), and the log it keeps readable under a flood.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { WebSocket } from "ws";
import { RepeatLog } from "../../src/core/repeat-log";
import { keepPlantState, MAX_COOLING_S, openHostStorage, resumeEpochMs, resumePlant } from "../../host-sim/host-storage";
import { IncubatorPlant } from "../../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../host-sim/plant/params";
import { SimTime } from "../../host-sim/sim-time";
import { parseStartOptions } from "../../host-sim/start-options";
import { startServer } from "../../host-sim/server";
import { toyIncubator } from "../support/toy-incubator";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** tsx's loader for `node --import`, so that the child is node itself (not a tsx wrapper). */
const TSX_LOADER = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/** Runs `npm start` (host-sim/main.ts) with `args` until it exits or `untilLine` is printed. */
function start(args: string[], cwd: string, untilLine?: RegExp, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string; kill(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader (not the tsx wrapper), so that a kill reaches the firmware's process.
    const child = spawn(process.execPath, ["--import", TSX_LOADER, path.join(ROOT, "host-sim/main.ts"), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let done = false;
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`npm start did not get there in ${timeoutMs} ms:\n${stdout}\n${stderr}`)); }, timeoutMs);
    const exited = new Promise<void>((r) => child.on("exit", () => r()));
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr, kill: async () => { child.kill("SIGKILL"); await exited; } });
    };
    child.stdout.on("data", (c: Buffer) => { stdout += c.toString(); if (untilLine && untilLine.test(stdout)) finish(null); });
    child.stderr.on("data", (c: Buffer) => { stderr += c.toString(); });
    child.on("exit", (code) => finish(code));
  });
}

describe("npm start: flags and refusals", () => {
  it("refuses a bad --speed, --seed, --port or --max-clients by name", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--speed", "-5"], /^--speed must be a positive number, got "-5"$/],
      [["--speed", "fast"], /^--speed must be a positive number, got "fast"$/],
      [["--seed", "x"], /^--seed must be an integer, got "x"$/],
      [["--seed", "1.5"], /^--seed must be an integer, got "1\.5"$/],
      [["--port", "http"], /^--port must be an integer 0\.\.65535, got "http"$/],
      [["--max-clients", "2.5"], /^--max-clients must be a whole number, got "2\.5"$/],
      [["--colder"], /Unknown option '--colder'/],
    ];
    for (const [argv, expected] of cases) {
      const r = parseStartOptions(argv);
      assert.ok(!r.ok && !r.help, argv.join(" "));
      assert.match((r as { error: string }).error, expected, argv.join(" "));
    }
    const ok = parseStartOptions(["--speed", "60", "--seed", "-3", "--start", "--cold", "--fault", "fan:stop@t=2m"]);
    assert.ok(ok.ok);
    assert.deepEqual([ok.options.speed, ok.options.seed, ok.options.start, ok.options.cold, ok.options.faults.length], [60, -3, true, true, 1]);
  });

  it("a port in use is one line naming --port, with no usage text; --speed -5 is refused by name", async function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "incunest-start-"));
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const busy = await start(["--port", String(port), "--quiet"], dir);
      assert.equal(busy.code, 2);
      assert.equal(busy.stderr.trim().split("\n").length, 1, busy.stderr);
      assert.match(busy.stderr, new RegExp(`^--port ${port}: 127\\.0\\.0\\.1:${port} is already in use`));
      assert.doesNotMatch(busy.stdout, /IncuNest simulated incubator/);
      const speed = await start(["--speed", "-5"], dir);
      assert.equal(speed.code, 2);
      assert.match(speed.stderr, /^--speed must be a positive number, got "-5"\n/);
    } finally {
      blocker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm start: a restart plays out as a power cut", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "incunest-restart-")); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it("keeps the plant with the time it stopped and lets it cool for the time it was off; --cold starts at room temperature", () => {
    const file = path.join(dir, "state.json");
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    for (let i = 0; i < 3000; i++) plant.step(1, { heaterDuty: 1, fanDuty: 1, humidifierOn: false });
    const warm = plant.state.airC;
    assert.ok(warm > 34, `warmed to ${warm}`);
    let now = 1_000_000;
    const first = openHostStorage({ stateFile: file, nowMs: () => now });
    const keeper = keepPlantState(first, plant, () => now + 5, () => assert.fail("no write error"), 60_000, () => now);
    keeper.stop();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, "the state file is the owner's only");
    now += 10 * 60_000; // off for 10 minutes
    const again = openHostStorage({ stateFile: file, nowMs: () => now });
    assert.ok(again.plant, "the plant state was kept");
    assert.equal(Math.round(again.plant.offRealS), 600);
    const resumed = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const note = resumePlant(resumed, again.plant, 1);
    assert.match(note, /^off for 10\.0 min \(simulated\): air \d+\.\d\d → \d+\.\d\d °C, as after a power cut$/);
    const cooled = resumed.state.airC;
    assert.ok(cooled < warm - 1 && cooled > 26, `10 minutes off: ${warm.toFixed(2)} → ${cooled.toFixed(2)} °C, not a cold start`);
    // At 60× the same 10 minutes are 10 simulated hours: nearly at room temperature.
    const fast = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    resumePlant(fast, again.plant, 60);
    assert.ok(fast.state.airC < cooled && fast.state.airC < 27, `at 60×: ${fast.state.airC.toFixed(2)} °C`);
    assert.ok(MAX_COOLING_S >= 24 * 3600);
    assert.equal(openHostStorage({ stateFile: file, cold: true }).plant, null, "--cold");
    // The simulated clock resumes after everything the last run may have logged: after a
    // clean stop at the stop; after a kill, up to one save interval (at that run's speed) later.
    assert.equal(resumeEpochMs(again.plant, 1), now - 10 * 60_000 + 5 + 600_000);
    const killed = keepPlantState(again, plant, () => now + 5, () => assert.fail("no write error"), 250, () => now, 1500);
    killed.save(); // the last periodic save before a kill -9
    const afterKill = openHostStorage({ stateFile: file, nowMs: () => now });
    assert.equal(afterKill.plant!.simAheadMs, 250 * 1500);
    assert.equal(resumeEpochMs(afterKill.plant!, 0.01), now + 5 + 375_000);
    killed.stop();
  });

  it("an unusable state file is set aside numbered (never replacing an earlier copy) and the plant starts cold", () => {
    const file = path.join(dir, "state.json");
    fs.writeFileSync(file, "{not json");
    const one = openHostStorage({ stateFile: file });
    assert.equal(one.plant, null);
    assert.match(one.notes.join("\n"), /state\.json is not JSON .*set aside as state\.json\.corrupt-1; the plant starts cold/);
    fs.writeFileSync(file, "[1,2,3]");
    openHostStorage({ stateFile: file });
    assert.equal(fs.readFileSync(`${file}.corrupt-1`, "utf8"), "{not json");
    assert.equal(fs.readFileSync(`${file}.corrupt-2`, "utf8"), "[1,2,3]");
  });

  it("end to end: a restart resumes therapy on the plant as it cooled while off (POWER_FAILURE); kill -9 keeps the state", async function () {
    this.timeout(180_000);
    const state = path.join(dir, "state.json");
    // The incubator as a run left it ten minutes ago: therapy on at 36 °C, the plant warm.
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    for (let i = 0; i < 3000; i++) plant.step(1, { heaterDuty: 1, fanDuty: 1, humidifierOn: false });
    const earlier = openHostStorage({ stateFile: state, schedule: (w) => w() });
    await earlier.records.save("settings", '{"v":2,"air":3600,"skin":3650,"humidity":6000,"mode":"air","therapy":true}');
    await earlier.records.save("apikey", "restart-key-2026");
    const stoppedAt = Date.now() - 10 * 60_000;
    keepPlantState(earlier, plant, () => stoppedAt, () => {}, 60_000, () => stoppedAt).stop();
    const first = await start(["--port", "0", "--quiet", "--state", state], dir, /therapy was active/);
    await new Promise((r) => setTimeout(r, 6000)); // the plant state is kept every 5 s
    await first.kill(); // kill -9
    const m = /off for 10\.\d min \(simulated\): air ([\d.]+) → ([\d.]+) °C, as after a power cut/.exec(first.stdout);
    assert.ok(m, first.stdout);
    const [before, after] = [Number(m[1]), Number(m[2])];
    assert.ok(Math.abs(before - plant.state.airC) < 0.01, `from where it stopped: ${before}`);
    assert.ok(after < before - 1 && after > 26, `cooled for the 10 minutes off, not restarted cold: ${before} → ${after} °C`);
    assert.match(first.stdout, /therapy was active at the last stop: resumed \(POWER_FAILURE raised\)/);
    assert.match(first.stdout, /API key\s+restart-key-2026/);
    // The state file and the records (the API key is in them) are the owner's only.
    for (const f of fs.readdirSync(dir)) if (f === "state.json" || /^state\.[a-z0-9]+\.[ab]$/.test(f)) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
    // Killed with -9: the periodic save had kept the plant; the next start goes on from there.
    const second = await start(["--port", "0", "--quiet", "--state", state], dir, /therapy was active/);
    await second.kill();
    assert.match(second.stdout, /plant\s+host-sim\/plant\/params\.ts \(defaults\); off for \d+ s \(simulated\)/);
    const cold = await start(["--port", "0", "--quiet", "--state", state, "--cold"], dir, /Ctrl-C stops/);
    await cold.kill();
    assert.match(cold.stdout, /cold start \(--cold\): at room temperature/);
  });
});

describe("refusals in the log are aggregated", () => {
  it("a flood of connections with a wrong key leaves one line and one count in the log feed", async function () {
    this.timeout(60_000);
    const toy = toyIncubator();
    const logs: string[] = [];
    toy.incubator.subscribe((e) => { if (e.type === "log") logs.push(e.text); });
    const repeat = new RepeatLog(toy.time, (line) => toy.incubator.log(line, "net"));
    const server = await startServer({ api: toy.incubator, host: "127.0.0.1", port: 0, apiKey: "right-key-123", clock: toy.time, timers: toy.time, wall: toy.time, log: (l) => repeat.line(l) });
    try {
      for (let i = 0; i < 30; i++) {
        const ws = new WebSocket(`${server.wsUrl}?api-key=wrong-key-${i}`);
        await new Promise<void>((r) => ws.on("close", () => r()));
      }
      // One line per kind of refusal (a wrong key; then the server's throttle of wrong keys).
      const refusals = logs.filter((l) => /^refused/.test(l));
      assert.ok(refusals.length >= 1 && refusals.length <= 2, logs.join("\n"));
      assert.match(refusals[0], /^refused 127\.0\.0\.1:\d+ on \/ws: wrong API key$/);
      toy.run(61);
      const summaries = logs.filter((l) => /more like it/.test(l));
      assert.ok(summaries.length >= 1 && summaries.length <= refusals.length, logs.join("\n"));
      for (const line of summaries) assert.match(line, /^\d+ more like it in the last 60 s from 127\.0\.0\.1: refused <client> on \/ws: /);
      const counted = summaries.reduce((n, l) => n + Number(/^(\d+)/.exec(l)![1]), 0);
      assert.equal(counted + refusals.length, 30, "every refusal is in the log, as a line or in a count");
      const ws = new WebSocket(`${server.wsUrl}?api-key=wrong-again`);
      await new Promise<void>((r) => ws.on("close", () => r()));
      assert.ok(logs.filter((l) => /^refused/.test(l)).length > refusals.length, "a new window lets the next one through");
    } finally {
      await server.close();
    }
  });

  it("other lines pass as they are", () => {
    const out: string[] = [];
    const timers = new SimTime();
    const r = new RepeatLog(timers, (l) => out.push(l));
    r.line("closed 10.0.0.1:5 on /ws: idle");
    r.line("closed 10.0.0.1:6 on /ws: idle");
    r.line("refused 10.0.0.2:7 on /ws: server full");
    r.line("refused 10.0.0.3:8 on /v2/api/ws/log-feed: server full");
    assert.deepEqual(out, ["closed 10.0.0.1:5 on /ws: idle", "closed 10.0.0.1:6 on /ws: idle", "refused 10.0.0.2:7 on /ws: server full", "refused 10.0.0.3:8 on /v2/api/ws/log-feed: server full"]);
  });
});
