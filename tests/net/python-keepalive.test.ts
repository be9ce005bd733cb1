// The seed's Python client on Debian's /usr/bin/python3 + python3-websockets, with its
// library's default keepalive (a ping with a random 4-byte payload every 20 s, the pong
// due within 20 s), held for 10 minutes at one sensor_update a second. Client and server
// both run 10 times faster than real time (the client's asyncio clock is scaled; see
// tests/support/run_seed_python.py), so the 10 minutes take one.
import { strict as assert } from "node:assert";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RealTime } from "../../host-sim/real-time";
import { startServer, type HostServer } from "../../host-sim/server";
import { spawnLines } from "../support/line-process";
import { seedPythonClientSource } from "../support/seed-clients";
import { toyIncubator } from "../support/toy-incubator";
import { until } from "../support/ws-fixture";

const SPEED = 10;
const MINUTES = 10;
const KEY = "keepalive-key-3141";

describe("the seed's Python client with its default keepalive pings, 10 minutes", function () {
  this.timeout(((MINUTES * 60) / SPEED + 60) * 1000);
  let server: HostServer;
  let child: ChildProcess | null = null;
  let dir = "";
  const time = new RealTime(SPEED);
  const toy = toyIncubator({ clock: time, timers: time, wall: time });

  after(async () => {
    child?.kill();
    await server?.close();
    toy.incubator.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("is never dropped: every ping answered, a sensor_update every second, to the end", async () => {
    toy.incubator.start();
    server = await startServer({ api: toy.incubator, port: 0, apiKey: KEY, clock: time, timers: time, wall: time, log: () => {} });
    dir = mkdtempSync(join(tmpdir(), "incunest-keepalive-"));
    const seedFile = join(dir, "seed_client.py");
    writeFileSync(seedFile, seedPythonClientSource());
    const runner = fileURLToPath(new URL("../support/run_seed_python.py", import.meta.url));
    const seed = spawnLines<any>("/usr/bin/python3", [runner, seedFile, `${server.wsUrl}?api-key=${KEY}`], (line) => JSON.parse(line), { ...process.env, INCUNEST_TIME_SPEED: String(SPEED) });
    child = seed.child;
    const updates = () => seed.lines.filter((l) => l.type === "sensor_update");
    await until(() => updates().length > 0 || seed.child.exitCode !== null, "the first sensor_update", 15_000);
    const startedMs = time.now();
    const seqAtStart = toy.incubator.snapshot().seq;
    const firstUpdate = updates().length;
    await until(() => time.now() - startedMs >= MINUTES * 60_000 || seed.child.exitCode !== null, "ten minutes", ((MINUTES * 60) / SPEED + 30) * 1000);
    assert.equal(seed.child.exitCode, null, `the client ended: ${seed.stderr}`);
    const ticks = toy.incubator.snapshot().seq - seqAtStart;
    const received = updates().length - firstUpdate;
    // At 10× a loaded machine may make the scheduler skip a deadline now and then (it
    // skips, never bunches); what counts is that the client got every tick there was.
    assert.ok(ticks >= MINUTES * 60 * 0.9, `${ticks} ticks in ${MINUTES} minutes`);
    assert.ok(received >= ticks - 2, `${received} updates for ${ticks} ticks`);
    const stats = server.http.stats();
    // One keepalive ping every 20 s of the client's clock.
    assert.ok(stats.pingsAnswered >= (MINUTES * 60) / 20 - 2, `${stats.pingsAnswered} pings answered`);
    assert.equal(server.router.connectionCount, 1);
    assert.equal(server.router.stats().closed.idle, 0);
  });
});
