// The seed's Python client on Debian's /usr/bin/python3 with python3-websockets
// (apt-get install python3-websockets) against host-sim's /ws server.
import { strict as assert } from "node:assert";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnLines } from "./support/line-process";
import { seedPythonClientSource } from "./support/seed-clients";
import { TEST_KEY, until, wsFixture, type WsFixture } from "./support/ws-fixture";

const PYTHON = "/usr/bin/python3";
const support = (name: string) => fileURLToPath(new URL(`./support/${name}`, import.meta.url));

function runPython(args: string[]) {
  return spawnLines<any>(PYTHON, args, (line) => JSON.parse(line));
}

describe("the seed's Python client (python3-websockets)", function () {
  let f: WsFixture;
  let dir: string;
  const children: ChildProcess[] = [];

  before(async function () {
    const probe = runPython(["-c", "import websockets"]);
    if ((await probe.exited) !== 0) {
      throw new Error(`${PYTHON} cannot import websockets: apt-get install python3-websockets (${probe.stderr.trim()})`);
    }
  });
  beforeEach(async () => {
    f = await wsFixture();
    dir = mkdtempSync(join(tmpdir(), "incunest-py-"));
  });
  afterEach(async () => {
    for (const c of children) c.kill();
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("subscribes, streams sensor updates and sees a setpoint changed from another Python client", async () => {
    const seedFile = join(dir, "seed_client.py");
    writeFileSync(seedFile, seedPythonClientSource());
    f.run(1); // the incubator has measured (no sensor_update goes out before its first readings)
    const seed = runPython([support("run_seed_python.py"), seedFile, `${f.wsUrl}?api-key=${TEST_KEY}`]);
    children.push(seed.child);
    const updates = () => seed.lines.filter((l) => l.type === "sensor_update");
    await until(() => updates().length >= 1 || seed.child.exitCode !== null, "the subscription's sensor_update", 15000);
    assert.equal(seed.child.exitCode, null, seed.stderr);
    f.run(3);
    await until(() => updates().length >= 4, "sensor updates per tick", 10000);
    const u = updates()[3];
    assert.deepEqual(Object.keys(u.data), ["temperature", "humidity", "heater_power", "fan_speed", "humidifier", "setpoint", "mode", "effective_mode", "state"]);
    assert.equal(typeof u.data.temperature.ambient, "number");
    assert.equal(u.data.setpoint.temperature, 36);

    const command = runPython([
      support("python_command.py"),
      f.wsUrl,
      TEST_KEY,
      JSON.stringify({ type: "command", command_id: "py_1", action: "set_temperature", data: { setpoint: 35.0 } }),
    ]);
    children.push(command.child);
    assert.equal(await command.exited, 0, command.stderr);
    assert.deepEqual(
      { id: command.lines[0].data.command_id, ok: command.lines[0].data.success },
      { id: "py_1", ok: true },
    );
    const seen = updates().length;
    f.run(1);
    await until(() => updates().length > seen, "an update after the change", 10000);
    assert.equal(updates()[updates().length - 1].data.setpoint.temperature, 35);
    assert.equal(f.toy.incubator.snapshot().setpoints.air, 35);
  });

  it("is refused with 4000 without the key (the client sees the close)", async () => {
    const seedFile = join(dir, "seed_client.py");
    writeFileSync(seedFile, seedPythonClientSource());
    const seed = runPython([support("run_seed_python.py"), seedFile, f.wsUrl]);
    children.push(seed.child);
    const code = await seed.exited;
    assert.notEqual(code, 0);
    assert.match(seed.stderr, /4000/);
    assert.match(seed.stderr, /API key required/);
  });
});
