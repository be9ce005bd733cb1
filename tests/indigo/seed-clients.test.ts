// Seed 003's own example clients, verbatim but for the address and the key, against
// host-sim's WebSocket server serving the Indigo feeds over real sockets:
//  - "Complete Example (Python)" on Debian's /usr/bin/python3 with python3-websockets
//    (websockets.connect(uri, extra_headers=headers));
//  - "Complete Example (JavaScript/Node.js)" on node with the `ws` package.
// Each sees the refresh list, patches, and a heat setpoint command taking effect.
import { strict as assert } from "node:assert";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEVICES } from "../../src/protocol/indigo/model";
import { spawnLines } from "../support/line-process";
import { TestClient, until } from "../support/ws-fixture";
import { INDIGO_KEY, indigoFixture, type IndigoFixture } from "./support/indigo-fixture";
import { seedNodeClient, seedPythonClient } from "./support/seed-003";

const PYTHON = "/usr/bin/python3";
const support = (name: string) => fileURLToPath(new URL(`./support/${name}`, import.meta.url));
const NODE_MODULES = fileURLToPath(new URL("../../node_modules", import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnLines(command, args, (line) => line, env);
}

const setpointCommand = (value: number) =>
  JSON.stringify({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value }, id: "seed-test" });

describe("seed 003's example clients against host-sim's Indigo feeds", function () {
  this.timeout(30_000);
  let f: IndigoFixture;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    f = await indigoFixture();
    dir = mkdtempSync(join(tmpdir(), "incunest-indigo-"));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill();
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the Python example (python3-websockets, extra_headers) sees the devices, patches and a setpoint taking effect", async () => {
    const probe = run(PYTHON, ["-c", "import websockets; print(websockets.__version__)"]);
    assert.equal(await probe.exited, 0, `${PYTHON} cannot import websockets: apt-get install python3-websockets (${probe.stderr.trim()})`);
    f.run(3);
    const file = join(dir, "seed_monitor_devices.py");
    writeFileSync(file, seedPythonClient(f.baseUrl, INDIGO_KEY));
    const seed = run(PYTHON, ["-u", file]);
    children.push(seed.child);
    const fail = () => `python output:\n${seed.lines.join("\n")}\nstderr:\n${seed.stderr}`;
    await until(() => seed.lines.includes("Received 11 devices") || seed.child.exitCode !== null, "the refresh list", 15_000).catch((e) => assert.fail(`${e}\n${fail()}`));
    assert.equal(seed.child.exitCode, null, fail());

    f.run(2);
    await until(() => seed.lines.some((l) => l === `Device ${DEVICES.incubator.id} updated`), "a thermostat patch", 10_000).catch((e) => assert.fail(`${e}\n${fail()}`));

    const command = run(PYTHON, [support("indigo_command.py"), `${f.baseUrl}/v2/api/ws/device-feed`, INDIGO_KEY, setpointCommand(36.8)]);
    children.push(command.child);
    assert.equal(await command.exited, 0, command.stderr);
    assert.deepEqual(command.lines, [], "a successful command gets no reply; its effect arrives as a patch");
    f.run(1);
    await until(() => seed.lines.includes("  heatSetpoint: 36 → 36.8"), "the setpoint change printed by the seed client", 10_000).catch((e) => assert.fail(`${e}\n${fail()}`));
    assert.ok(seed.lines.includes("  states.setpointHeat: 36 → 36.8"), fail());
    assert.equal(f.sim.incubator.snapshot().setpoints.air, 36.8);

    // A refused command comes back as {"error", "id"} to the client that sent it.
    const refused = run(PYTHON, [support("indigo_command.py"), `${f.baseUrl}/v2/api/ws/device-feed`, INDIGO_KEY, setpointCommand(45)]);
    children.push(refused.child);
    assert.equal(await refused.exited, 0, refused.stderr);
    const [reply] = refused.lines.map((l) => JSON.parse(l));
    assert.equal(reply.id, "seed-test");
    assert.equal(reply.code, 4002);
    assert.equal(typeof reply.error, "string");
    assert.equal(seed.child.exitCode, null, fail());
  });

  it("the Node example (ws package, Authorization header) sees the devices, patches and a setpoint taking effect", async () => {
    f.run(3);
    const file = join(dir, "seed_device_feed.cjs");
    writeFileSync(file, seedNodeClient(f.baseUrl, INDIGO_KEY));
    const seed = run(process.execPath, [file], { ...process.env, NODE_PATH: NODE_MODULES });
    children.push(seed.child);
    const fail = () => `node output:\n${seed.lines.join("\n")}\nstderr:\n${seed.stderr}`;
    await until(() => seed.lines.includes("Received 11 devices") || seed.child.exitCode !== null, "the refresh list", 15_000).catch((e) => assert.fail(`${e}\n${fail()}`));
    assert.equal(seed.child.exitCode, null, fail());

    // Our own client next to it shows what the seed client's "updated" lines carry.
    const watcher = await TestClient.connect(`${f.baseUrl}/v2/api/ws/device-feed?api-key=${INDIGO_KEY}`);
    try {
      f.run(2);
      await until(() => seed.lines.some((l) => l === `Device ${DEVICES.incubator.id} updated`), "a thermostat patch", 10_000).catch((e) => assert.fail(`${e}\n${fail()}`));
      const before = seed.lines.length;
      const from = watcher.messages.length;
      watcher.send(setpointCommand(36.4));
      await new Promise((r) => setTimeout(r, 200));
      f.run(1);
      const patch: any = await watcher.next((m: any) => m.message === "patch" && m.objectId === DEVICES.incubator.id, from);
      assert.deepEqual(patch.patch.find((e: any) => e[1] === "heatSetpoint"), ["change", "heatSetpoint", [36, 36.4]]);
      await until(() => seed.lines.slice(before).includes(`Device ${DEVICES.incubator.id} updated`), "the seed client's update after the setpoint", 10_000).catch((e) => assert.fail(`${e}\n${fail()}`));
      assert.equal(f.sim.incubator.snapshot().setpoints.air, 36.4);
      assert.ok(!watcher.messages.slice(from).some((m: any) => "error" in m), JSON.stringify(watcher.messages.slice(from)));
    } finally {
      watcher.close();
    }
  });

  it("refuses a wrong key and serves the query-string key form", async () => {
    const good = await TestClient.connect(`${f.baseUrl}/v2/api/ws/variable-feed?api-key=${INDIGO_KEY}`);
    good.send({ message: "refresh", objectType: "indigo.Variable", id: 1 });
    const list: any = await good.next((m: any) => m.message === "refresh");
    assert.equal(list.id, 1);
    assert.ok(list.list.length >= 13);
    good.close();
    // PRODUCT.md: without the key the socket is closed with 4000 after the handshake.
    const bad = await TestClient.connect(`${f.baseUrl}/v2/api/ws/device-feed?api-key=wrong`);
    assert.equal((await bad.waitClosed()).code, 4000);
    const none = await TestClient.connect(`${f.baseUrl}/v2/api/ws/log-feed`);
    assert.equal((await none.waitClosed()).code, 4000);
  });
});
