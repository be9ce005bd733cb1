// Runs the firmware built for Moddable's lin simulator through issue 10's "done when"
// checks, inside a namespace of its own, and prints what it saw:
//
//   tools/sim/isolated.sh npx tsx tools/sim/check.ts --so <mc.so> [--debug] [--hostile] [--soak 30] [--restart]
//
//   --debug      the firmware is a debug build (mcconfig -d): heap and collections are read
//                through Moddable's tools/xsbug-log (needs saxophone: --node-path <dir>)
//   --hostile    plain GET /ws, a version-8 handshake, invalid UTF-8, a 10 MB header line,
//                300 idle sockets, a slowloris, Indigo refreshes, all while a client times the ticks
//   --soak N     N minutes with 4 clients: the seed's Python client (default keepalive pings),
//                the seed's JavaScript client, a /ws subscriber timing the ticks, an Indigo
//                device-feed client asking for a refresh every 20 s; heap sampled every 10 s
//   --console F  every console line into file F
//   --idle-first S  before the soak's clients connect, S seconds with none (therapy off): the
//                heap and collections of the firmware alone
//   INCUNEST_MCSIM=tools/sim/mcsim-status.sh  runs mcsim through a wrapper that says how it ended
//   --browser    the bedside app in Debian's chromium, three rounds of key, live view, events
//                and a setting saved, with a curl-like poller of /api/status beside it
//   --restart    starts therapy, makes an exception escape a callback (the lin-only crash
//                test, built with crashAfterS), restarts the simulator as the ESP32 restarts,
//                and checks that therapy resumed with POWER_FAILURE
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { loadSeedJsClient } from "../../tests/support/seed-clients";
import { seedPythonClientSource } from "../../tests/support/seed-clients";
import { CurlPoller, get, HOST, IndigoRefresher, raw, seedPython, TickWatch, waitMs } from "./clients";
import { Simulator, type HeapSample } from "./simulator";

const { values: args } = parseArgs({
  options: {
    so: { type: "string" },
    moddable: { type: "string", default: process.env.MODDABLE },
    debug: { type: "boolean", default: false },
    "node-path": { type: "string" },
    port: { type: "string", default: "8080" },
    hostile: { type: "boolean", default: false },
    soak: { type: "string" },
    restart: { type: "boolean", default: false },
    out: { type: "string" },
    console: { type: "string" },
    "idle-first": { type: "string" },
    browser: { type: "boolean", default: false },
  },
});
if (!args.so || !args.moddable) throw new Error("--so <mc.so> and $MODDABLE (or --moddable) are needed");
const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const PORT = Number(args.port);
const report: Record<string, unknown> = {};
const t0 = Date.now();
const say = (text: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${text}`);

const sim = new Simulator({ moddable: args.moddable, so: args.so, debug: args.debug, nodePath: args["node-path"], consoleFile: args.console, onLine: (l) => /XS abort|WARNING|BUG|refused|closed|set-up|therapy|POWER|memory:/.test(l) && say(`console: ${l}`) });

async function boot(): Promise<string> {
  const from = sim.lines.length;
  sim.start();
  const key = (await sim.waitFor(/^API key: ([A-Za-z0-9._~!$&'()*+,;=:@-]+)$/, 60_000, from))[1];
  await sim.waitFor(/HTTP server on port/, 30_000, from);
  say(`booted; console printed "API key: ${key}"`);
  return key;
}

function heapLine(s: HeapSample | null): string {
  if (!s) return "(no instruments: not a debug build)";
  return `slots ${(s.slotsUsed / 1024).toFixed(1)} / ${(s.slotsTotal / 1024).toFixed(1)} kB, chunks ${(s.chunksUsed / 1024).toFixed(1)} / ${(s.chunksTotal / 1024).toFixed(1)} kB, ${s.collections} collections, ${s.sockets} sockets`;
}

async function statusSeq(key: string): Promise<{ seq: number; overruns: number; skipped: number; state: string; alarms: string[] }> {
  const r = await get(PORT, "/status.json", key);
  if (r.status !== 200) throw new Error(`/status.json answered ${r.status}: ${r.body.slice(0, 200)}`);
  const s = JSON.parse(r.body) as { seq: number; overruns: number; skippedTicks: number; state: string; alarms: { code: string }[] };
  return { seq: s.seq, overruns: s.overruns, skipped: s.skippedTicks, state: s.state, alarms: s.alarms.map((a) => a.code) };
}

/** One message sent (or none), the answers within 3 s, one a line. */
async function indigoOnce(url: string, key: string, message: object | null): Promise<string> {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${key}` } });
  const got: string[] = [];
  ws.on("message", (d) => got.push(String(d)));
  ws.on("error", (e) => got.push(`error: ${String(e)}`));
  await new Promise((r) => ws.once("open", r));
  if (message) ws.send(JSON.stringify(message));
  await waitMs(3000);
  ws.close();
  return got.join("\n");
}

async function hostile(key: string): Promise<void> {
  const results: Record<string, unknown> = {};
  const watch = new TickWatch(`ws://${HOST}:${PORT}/ws?api-key=${key}`);
  await watch.open();
  await waitMs(3000);
  const before = await statusSeq(key);

  const plain = await raw(PORT, (s) => s.write(`GET /ws HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`), 5000);
  results.plainGetWs = plain.response.split("\r\n")[0];
  say(`plain GET /ws: ${results.plainGetWs}`);

  const v8 = await raw(PORT, (s) => s.write(`GET /ws?api-key=${key} HTTP/1.1\r\nHost: ${HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n`), 5000);
  results.version8 = `${v8.response.split("\r\n")[0]} / ${/sec-websocket-version: *([^\r]*)/i.exec(v8.response)?.[1] ?? "no Sec-WebSocket-Version"}`;
  say(`version 8 handshake: ${results.version8}`);

  const bad = new WebSocket(`ws://${HOST}:${PORT}/ws?api-key=${key}`);
  bad.on("error", () => {});
  await new Promise((r) => bad.once("open", r));
  const badClose = new Promise<number>((resolve) => bad.once("close", (code) => resolve(code)));
  bad.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  results.invalidUtf8Close = await Promise.race([badClose, waitMs(10_000).then(() => -1)]);
  say(`invalid UTF-8 text frame: closed with ${results.invalidUtf8Close}`);

  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const long = await raw(PORT, (s) => {
    s.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nX-Long: `);
    let sent = 0;
    const pump = () => {
      while (sent < 10 * 1024 * 1024) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once("drain", pump);
      }
      s.write("\r\n\r\n");
    };
    pump();
  }, 30_000);
  results.tenMegabyteHeader = { status: long.response.split("\r\n")[0], closedByServer: long.closedByServer, clientWroteBytes: long.written, ms: long.ms };
  say(`10 MB header line: ${JSON.stringify(results.tenMegabyteHeader)}`);

  // 300 idle sockets: opened, then nothing sent.
  const { connect } = await import("node:net");
  const idle = Array.from({ length: 300 }, () => {
    const s = connect(PORT, HOST);
    const state = { closedAt: 0, socket: s };
    s.on("close", () => (state.closedAt = Date.now()));
    s.on("error", () => {});
    return state;
  });
  const idleStart = Date.now();
  await waitMs(3000);
  const during = await get(PORT, "/status.json", key).then((r) => r.status, (e) => `failed: ${String(e)}`);
  say(`300 idle sockets open: /status.json from a new connection: ${during}`);
  await waitMs(40_000);
  const closedIdle = idle.filter((i) => i.closedAt > 0);
  results.idleSockets = { opened: 300, statusDuring: during, closedByServerWithin43s: closedIdle.length, lastClosedAfterMs: closedIdle.length ? Math.max(...closedIdle.map((i) => i.closedAt - idleStart)) : null };
  say(`300 idle sockets: ${JSON.stringify(results.idleSockets)}`);
  for (const i of idle) i.socket.destroy();

  await waitMs(1000);
  // Three sockets kept alive after an answer each (as a browser leaves them), then a fourth
  // client at once: a kept-alive socket gives its place without the 1 s grace of a new one.
  const kept = await Promise.all([0, 1, 2].map(() => new Promise<{ socket: import("node:net").Socket; status: string; closed: () => boolean }>((resolve) => {
    const s = connect(PORT, HOST);
    let closed = false;
    s.on("error", () => {}).on("close", () => (closed = true));
    let got = "";
    s.on("data", (d) => {
      got += d.toString();
      if (/\r\n\r\n/.test(got)) setTimeout(() => resolve({ socket: s, status: got.split("\r\n")[0], closed: () => closed }), 100);
    });
    s.write(`GET /status.json HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: Bearer ${key}\r\n\r\n`);
  })));
  const fourth = await get(PORT, "/status.json", key).then((r) => r.status, (e) => `failed: ${String(e)}`);
  await waitMs(200);
  results.keptAliveGivesWay = { kept: kept.map((k) => k.status), keptClosedByServer: kept.filter((k) => k.closed()).length, fourth };
  say(`3 kept-alive sockets, then a 4th client: ${JSON.stringify(results.keptAliveGivesWay)}`);
  for (const k of kept) k.socket.destroy();

  // Slowloris: 20 connections each sending its request a byte every 2 s.
  const slow = await Promise.all(
    Array.from({ length: 20 }, () =>
      raw(PORT, (s) => {
        const text = `GET /status.json HTTP/1.1\r\nHost: ${HOST}\r\nX-Slow: ${"z".repeat(200)}\r\n\r\n`;
        let i = 0;
        const timer = setInterval(() => {
          if (s.destroyed || i >= text.length) return clearInterval(timer);
          s.write(text[i++]);
        }, 2000);
      }, 120_000),
    ),
  );
  results.slowloris = { connections: 20, closedByServer: slow.filter((r) => r.closedByServer).length, answers: [...new Set(slow.map((r) => r.response.split("\r\n")[0]))], maxMs: Math.max(...slow.map((r) => r.ms)) };
  say(`slowloris: ${JSON.stringify(results.slowloris)}`);

  for (const feed of ["device-feed", "variable-feed", "action-feed"]) {
    const indigo = new IndigoRefresher(`ws://${HOST}:${PORT}/v2/api/ws/${feed}`, key, 5000);
    await indigo.open();
    await waitMs(16_000);
    indigo.close();
    results[`indigo-${feed}`] = { refreshes: indigo.replies.length, bytes: [...new Set(indigo.replies.map((r) => r.bytes))], items: [...new Set(indigo.replies.map((r) => r.items))], errors: indigo.errors };
    say(`Indigo ${feed}: ${JSON.stringify(results[`indigo-${feed}`])}`);
  }
  // The folder lists and the log feed's replay: the other JSON the feeds send.
  const folders = await indigoOnce(`ws://${HOST}:${PORT}/v2/api/ws/device-feed`, key, { id: "folders", message: "refresh", objectType: "indigo.Device.Folder" });
  const log = await indigoOnce(`ws://${HOST}:${PORT}/v2/api/ws/log-feed`, key, null);
  results.indigoFolderAndLog = { folderReply: folders.slice(0, 120), logReplayMessages: log.length };
  say(`Indigo folders: ${folders.slice(0, 120)}; log-feed replay: ${log.split("\n").length} messages`);
  const after = await statusSeq(key);
  results.ticks = { ...watch.summary(), seqBefore: before.seq, seqAfter: after.seq, overruns: after.overruns, skipped: after.skipped, watcherClosed: watch.closeCode };
  say(`ticks through the hostile phase: ${JSON.stringify(results.ticks)}`);
  results.heap = heapLine(await sim.instruments());
  watch.close();
  report.hostile = results;
}

/** The bedside app in chromium, as a nurse uses it (key, live view, events, settings
 *  saved), three rounds, with a curl poller beside it: the firmware's 3 HTTP sockets must
 *  serve both. */
async function browserCheck(key: string): Promise<void> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-quic"] });
  const url = `http://${HOST}:${PORT}/`;
  const poll: Record<string, number> = {};
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const status = await get(PORT, "/api/status", key).then((r) => String(r.status), (e) => `failed: ${String(e)}`);
      poll[status] = (poll[status] ?? 0) + 1;
      await waitMs(3000);
    }
  })();
  const rounds: string[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(url);
      const asked = await Promise.race([
        page.waitForSelector("#d-key[open]", { timeout: 30_000 }).then(() => true),
        page.waitForSelector('#link[data-link="open"]', { timeout: 30_000 }).then(() => false),
      ]);
      if (asked) {
        await page.fill("#in-key", key);
        await page.press("#in-key", "Enter");
      }
      await page.waitForSelector('body[data-stale="false"]', { timeout: 30_000 });
      const air = (await page.textContent("#air"))?.trim();
      await page.click("#tab-events");
      await page.waitForSelector("#ev-rows tr", { timeout: 30_000 });
      await page.click("#tab-settings");
      for (let i = 0; (await page.inputValue("#cf-name")) === ""; i++) {
        if (i === 300) throw new Error("settings not loaded within 30 s");
        await waitMs(100);
      }
      await page.fill("#cf-name", `Sim bench ${round}`);
      await page.click("#f-config button[type=submit]");
      await page.waitForSelector('#m-config:is([data-kind="ok"], [data-kind="error"])', { timeout: 30_000 });
      rounds.push(`air ${air}; ${(await page.textContent("#m-config"))?.trim()}${errors.length ? `; page errors ${errors.join(" | ")}` : ""}`);
      await page.close();
    }
  } finally {
    polling = false;
    await poller;
    await browser.close();
  }
  report.browser = { rounds, poller: poll };
  say(`bedside app in chromium: ${JSON.stringify(report.browser)}`);
}

async function idleFirst(seconds: number): Promise<void> {
  const samples: HeapSample[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const sample = await sim.instruments();
    if (sample) samples.push(sample);
    await waitMs(1000);
  }
  const later = samples.slice(Math.min(5, samples.length >> 1));
  const gcs = later.map((s) => s.collections).sort((a, b) => a - b);
  report.idle = { seconds, collectionsPerSecondMedian: gcs.length ? gcs[gcs.length >> 1] : null, heapSamples: samples.map((s) => [Math.round(s.atMs / 1000), s.slotsUsed, s.chunksUsed, s.collections, s.keys]) };
  say(`idle ${seconds} s, no clients: collections a second median ${String((report.idle as { collectionsPerSecondMedian: unknown }).collectionsPerSecondMedian)}`);
}

async function soak(key: string, minutes: number): Promise<void> {
  if (args["idle-first"]) await idleFirst(Number(args["idle-first"]));
  const dir = mkdtempSync(join(tmpdir(), "incunest-soak-"));
  const seedFile = join(dir, "seed_client.py");
  writeFileSync(seedFile, seedPythonClientSource());
  const python = seedPython(ROOT, seedFile, `ws://${HOST}:${PORT}/ws?api-key=${key}`);
  class KeyedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { Authorization: `Bearer ${key}` } });
    }
  }
  const jsLogs: string[] = [];
  const jsLog = (...a: unknown[]) => {
    const line = a.map((x) => (x instanceof Error || (typeof x === "object" && x !== null && "message" in x) ? String((x as { message: unknown }).message) : String(x))).join(" ");
    jsLogs.push(line);
    say(`seed JS client: ${line}`);
  };
  const IncuNestWebSocket = loadSeedJsClient({
    WebSocket: KeyedWebSocket,
    console: { log: jsLog, warn: jsLog, error: jsLog },
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
  });
  const js = new IncuNestWebSocket(`${HOST}:${PORT}`);
  let jsUpdates = 0;
  // The ticks are timed from the seed JavaScript client's sensor_update timestamps.
  const watch = new TickWatch(null);
  js.on("sensor_update", (_data: unknown, timestamp: string) => {
    jsUpdates++;
    watch.note(timestamp);
  });
  // A first connect that fails (the machine is busy) is tried again, as a user would.
  for (let attempt = 1; ; attempt++) {
    try {
      await js.connect();
      break;
    } catch (e) {
      say(`seed JS client: connect attempt ${attempt} failed (${String((e as { message?: unknown })?.message ?? e)})`);
      if (attempt >= 5) throw e;
      await waitMs(2000);
    }
  }
  js.subscribe("all");
  const indigo = new IndigoRefresher(`ws://${HOST}:${PORT}/v2/api/ws/device-feed`, key, 20_000);
  await indigo.open();
  const curl = new CurlPoller(PORT, key, 5_000);
  curl.start();
  const started = await js.start();
  say(`4 clients connected (seed Python, seed JavaScript, Indigo device-feed, curl poller); therapy started from the seed's JavaScript client: ${started.success} ${started.message}`);

  const samples: HeapSample[] = [];
  const checkpoints: Record<string, unknown> = {};
  const end = Date.now() + minutes * 60_000;
  let nextMark = 0;
  const marks = [0, 1, 5, 10, 20, 30, 60].filter((m) => m <= minutes);
  const soakStart = Date.now();
  while (Date.now() < end) {
    const sample = await sim.instruments();
    if (sample) samples.push(sample);
    const elapsedMin = (Date.now() - soakStart) / 60_000;
    if (nextMark < marks.length && elapsedMin >= marks[nextMark]) {
      const s = await statusSeq(key).catch((e) => ({ error: String(e) }));
      checkpoints[`${marks[nextMark]} min`] = { heap: heapLine(sample), status: s, python: { alive: python.child.exitCode === null, updates: python.updates() }, jsUpdates, indigoRefreshes: indigo.replies.length, curl: curl.summary(), ticks: watch.summary() };
      say(`${marks[nextMark]} min: ${heapLine(sample)}; python ${python.child.exitCode === null ? "connected" : `exited ${python.child.exitCode}`} (${python.updates()} updates), js ${jsUpdates} updates, ${indigo.replies.length} Indigo refreshes answered`);
      nextMark++;
    }
    if (!sim.running) {
      say("the simulator stopped");
      break;
    }
    await waitMs(10_000);
  }
  const final = await statusSeq(key).catch((e) => ({ error: String(e) }));
  // What the alarms were, for a state that is not the one started (FAULT, say).
  const alarmHistory = await get(PORT, "/api/alarms/history", key).then((r) => r.body.slice(0, 4000), (e) => `error: ${String(e)}`);
  const ticks = watch.summary();
  // mcsim samples the instruments every second and counts the collections of that second.
  const steady = samples.filter((s) => s.atMs - samples[0]?.atMs >= 60_000);
  const gcRate = steady.length ? steady.reduce((a, s) => a + s.collections, 0) / steady.length : null;
  report.soak = {
    minutes,
    checkpoints,
    final,
    alarmHistory,
    ticks,
    python: { alive: python.child.exitCode === null, updates: python.updates(), lastUpdateAgoMs: Date.now() - python.last(), stderr: python.stderr().slice(-500) },
    js: { updates: jsUpdates, logs: jsLogs.slice(-5) },
    curl: { ...curl.summary(), heap: curl.heap },
    indigo: { refreshes: indigo.replies.length, bytes: [...new Set(indigo.replies.map((r) => r.bytes))], slowestMs: Math.max(0, ...indigo.replies.map((r) => r.ms)), patches: indigo.patches.length, errors: indigo.errors, closeCode: indigo.closeCode },
    collectionsPerSecondAfterFirstMinute: gcRate,
    heapAfterFirstMinute: steady.length ? { slotsUsedMin: Math.min(...steady.map((s) => s.slotsUsed)), slotsUsedMax: Math.max(...steady.map((s) => s.slotsUsed)), slotsTotalMax: Math.max(...steady.map((s) => s.slotsTotal)), chunksUsedMin: Math.min(...steady.map((s) => s.chunksUsed)), chunksUsedMax: Math.max(...steady.map((s) => s.chunksUsed)), chunksTotalMax: Math.max(...steady.map((s) => s.chunksTotal)), collectionsMaxPerSecond: Math.max(...steady.map((s) => s.collections)) } : null,
    heapSamples: samples.map((s) => [Math.round(s.atMs / 1000), s.slotsUsed, s.chunksUsed, s.collections, s.keys]),
    // A build with memoryReportS=<s> prints its own figures, the live heap among them (src/device/memory-report.ts).
    memoryLines: sim.lines.filter((l) => l.includes("memory:")),
  };
  say(`soak done: ticks ${JSON.stringify(ticks)}; ${gcRate === null ? "" : `${gcRate.toFixed(2)} collections/s after the first minute`}`);
  python.child.kill();
  curl.stop();
  js.maxReconnectAttempts = 0;
  js.disconnect();
  watch.close();
  indigo.close();
}

async function restartCheck(key: string): Promise<string> {
  const ws = new WebSocket(`ws://${HOST}:${PORT}/ws?api-key=${key}`);
  await new Promise((r, j) => (ws.once("open", r), ws.once("error", j)));
  ws.send(JSON.stringify({ type: "command", command_id: "start", action: "set_state", data: { state: "start" } }));
  await waitMs(2000);
  const running = await statusSeq(key);
  say(`therapy running before the crash: ${running.state}`);
  ws.close();
  const from = sim.lines.length;
  const abort = await sim.waitFor(/XS abort: .*/, 120_000, from);
  say(`the firmware aborted: ${abort[0]}`);
  const stopped = await get(PORT, "/status.json", key).then((r) => `still answering ${r.status}`, () => "no longer answering");
  say(`after the abort the simulator is ${sim.running ? "running" : "gone"}, the firmware ${stopped}`);
  await sim.kill();
  say("restarting the simulator (the ESP32 restarts itself: esp_restart)");
  const again = await boot();
  await waitMs(3000);
  const resumed = await statusSeq(again);
  const resumedLine = sim.lines.find((l, i) => i >= from && /therapy was active before the reboot/.test(l)) ?? "";
  report.restart = { before: running.state, abort: abort[0], afterAbort: stopped, after: resumed, sameKey: again === key, console: resumedLine };
  say(`after the restart: ${JSON.stringify(report.restart)}`);
  return again;
}

// The seed's JavaScript client rejects its connect() promise on every error, also from the
// reconnects it starts by itself, which nobody awaits: said, not fatal.
process.on("unhandledRejection", (reason) => say(`unhandled rejection (a client's): ${reason instanceof Error ? reason.message : String((reason as { message?: unknown })?.message ?? reason)}`));

try {
  let key = await boot();
  report.boot = { key, heap: heapLine(await sim.instruments()) };
  if (args.restart) key = await restartCheck(key);
  if (args.hostile) await hostile(key);
  if (args.browser) await browserCheck(key);
  if (args.soak) await soak(key, Number(args.soak));
  report.aborts = sim.lines.filter((l) => /XS abort/.test(l));
} finally {
  await sim.kill();
  const text = JSON.stringify(report, null, 2);
  if (args.out) writeFileSync(args.out, text);
  console.log(text);
}
// The seed JS client's own reconnect timers would keep the process alive.
process.exit(0);
