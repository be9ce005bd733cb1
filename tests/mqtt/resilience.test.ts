// The MQTT link when things go wrong: a broker stopped for a minute, an incubator killed
// (its last will), TLS with a generated certificate, a refused password.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyFault, clearFaults } from "../../host-sim/faults";
import { startMosquitto } from "../../host-sim/mqtt/mosquitto";
import { createHostMqtt } from "../../host-sim/mqtt/host-mqtt";
import { validateMqttConfig } from "../../src/protocol/mqtt/mqtt-config";
import { toyIncubator } from "../support/toy-incubator";
import { TEST_ORIGIN } from "../support/origin";
import { spawnLines } from "../support/line-process";
import { DOCS, matchesDocs } from "./support/docs-examples";
import { DEVICE, mqttRig, sleep, USERS } from "./support/mqtt-rig";
import { Subscriber } from "./support/subscriber";

const T = (path: string) => `incunest/${DEVICE}/${path}`;

async function realUntil(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("MQTT when the broker or the incubator goes away", () => {
  it("a broker stopped for 60 s loses no alarm raised meanwhile: they arrive in order on reconnection", async () => {
    // Persistence keeps the nurse station's session (clean: false) across the restart, as
    // a hospital broker would; the firmware's queue is what is under test.
    const rig = await mqttRig({ broker: { persistence: true } });
    const station = await Subscriber.connect(rig.broker.url, [T("alarms"), T("state"), T("status")], { username: "nurse", password: USERS.nurse, clientId: "station-1", clean: false });
    try {
      await rig.sim.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
      await rig.until(() => station.on(T("state")).length >= 1 && rig.bridge.stats().queued === 0, "the bed online and idle");
      const raisedMeanwhile: Array<{ id: number; change: string }> = [];
      const off = rig.sim.incubator.subscribe((e) => {
        if (e.type === "alarm") raisedMeanwhile.push({ id: e.alarm.id, change: e.change });
      });
      await rig.broker.halt();
      const outageStart = rig.time.now();
      // During the outage: a sensor fault raised, acknowledged and cleared, a fan failure
      // (FAULT state), all on the firmware's clock while the broker is really down.
      applyFault(rig.sim.board!, { target: "sht31", fault: "nack" });
      await rig.run(10_000);
      await rig.sim.incubator.execute("acknowledge_all", {}, TEST_ORIGIN);
      clearFaults(rig.sim.board!, "sht31");
      await rig.run(15_000);
      applyFault(rig.sim.board!, { target: "fan", fault: "stop" });
      await rig.run(60_000 - (rig.time.now() - outageStart));
      off();
      assert.ok(rig.time.now() - outageStart >= 60_000);
      assert.notEqual(rig.bridge.stats().state, "connected");
      assert.ok(raisedMeanwhile.length >= 5, `only ${JSON.stringify(raisedMeanwhile)} during the outage`);
      assert.ok(raisedMeanwhile.some((a) => a.change === "cleared") && raisedMeanwhile.some((a) => a.change === "acknowledged"));
      const before = station.on(T("alarms")).length;

      await rig.broker.resume();
      await realUntil(() => station.client.connected, "the nurse station back on the broker");
      await rig.until(() => station.on(T("alarms")).length - before >= raisedMeanwhile.length, "every alarm event of the outage", 60_000);
      const got = station.json(T("alarms")).slice(before).map((a) => ({ id: a.id, change: a.change }));
      assert.deepEqual(got.slice(0, raisedMeanwhile.length), raisedMeanwhile, "in order, none lost");
      for (const a of station.json(T("alarms")).slice(before)) matchesDocs(a, DOCS.alarms);
      assert.ok(station.json(T("state")).some((s) => s.state === "FAULT"), "the FAULT state change of the outage arrived too");
      assert.equal(rig.bridge.stats().droppedEvents, 0);
      const status = station.json(T("status")).at(-1);
      assert.equal(status.online, true);
      assert.equal(status.dropped_events, 0);
    } finally {
      await station.close();
      await rig.close();
    }
  });

  it("reconnects with growing, jittered delays while the broker is away", async () => {
    const rig = await mqttRig();
    try {
      await rig.until(() => rig.bridge.stats().state === "connected", "connected");
      await rig.broker.halt();
      const attempts: number[] = [];
      let last = rig.bridge.stats().connects;
      const origConnect = rig.transport.connect.bind(rig.transport);
      rig.transport.connect = (o, h) => {
        attempts.push(rig.time.now());
        return origConnect(o, h);
      };
      await rig.run(90_000);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
      assert.ok(gaps.length >= 5, `attempts at ${attempts.join(", ")}`);
      assert.ok(gaps.every((g) => g <= 20_000 + 200), `a delay beyond the 20 s cap: ${gaps.join(", ")}`);
      assert.ok(gaps[3] > gaps[0], `delays do not grow: ${gaps.join(", ")}`);
      await rig.broker.resume();
      await rig.until(() => rig.bridge.stats().connects > last, "reconnected", 30_000);
      last = rig.bridge.stats().connects;
      assert.equal(last, 2);
    } finally {
      await rig.close();
    }
  });

  it("a killed incubator's last will marks it offline at once (npm start --mqtt, SIGKILL)", async function () {
    this.timeout(60_000);
    const broker = await startMosquitto({ users: USERS });
    const dir = mkdtempSync(join(tmpdir(), "incunest-will-"));
    const station = await Subscriber.connect(broker.url, ["incunest/BED_WILL/status"], { username: "nurse", password: USERS.nurse });
    const main = fileURLToPath(new URL("../../host-sim/main.ts", import.meta.url));
    const child = spawnLines(process.execPath, ["--import", "tsx", main, "--port", "0", "--no-auth", "--quiet", "--state", join(dir, "state.json"),
      "--mqtt", `mqtt://incunest:${USERS.incunest}@127.0.0.1:${broker.port}`, "--mqtt-device-id", "BED_WILL"], (l) => l);
    try {
      await realUntil(() => station.json("incunest/BED_WILL/status").some((s) => s.online === true), `the bed online (${child.stderr})`, 30_000);
      const killedAt = Date.now();
      child.child.kill("SIGKILL");
      await realUntil(() => station.json("incunest/BED_WILL/status").some((s) => s.online === false), "the last will", 5000);
      const will = station.on("incunest/BED_WILL/status").find((m) => JSON.parse(m.text).online === false)!;
      assert.ok(will.atMs - killedAt < 2000, `the will came ${will.atMs - killedAt} ms after the kill`);
      matchesDocs(JSON.parse(will.text), DOCS.will);
      // Retained: whoever looks later sees it offline too.
      const later = await Subscriber.connect(broker.url, ["incunest/BED_WILL/status"], { username: "nurse", password: USERS.nurse });
      await realUntil(() => later.messages.length > 0, "the retained status");
      assert.equal(JSON.parse(later.messages[0].text).online, false);
      await later.close();
    } finally {
      child.child.kill("SIGKILL");
      await station.close();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("connects over TLS to a broker with a generated certificate (CA given), and refuses one it cannot verify", async () => {
    const broker = await startMosquitto({ users: USERS, tls: true });
    const station = await Subscriber.connect(`mqtts://127.0.0.1:${broker.tlsPort}`, ["incunest/BED_TLS/#"], { username: "nurse", password: USERS.nurse, ca: broker.caPem!, servername: "localhost" });
    try {
      for (const [ca, expectConnected] of [[broker.caPem!, true], [undefined, false]] as const) {
        const toy = toyIncubator();
        const r = validateMqttConfig({ enabled: true, broker: "127.0.0.1", port: broker.tlsPort!, use_tls: true, username: "incunest", password: USERS.incunest, device_id: "BED_TLS" });
        assert.ok(r.ok);
        const { bridge } = createHostMqtt({ api: toy.incubator, config: r.config, time: toy.time, tls: ca ? { ca } : {}, random: () => 0.5 });
        toy.incubator.start();
        bridge.start();
        const end = Date.now() + 5000;
        while (Date.now() < end && bridge.stats().state !== "connected" && bridge.stats().lastError === null) {
          toy.time.advance(100);
          await sleep(5);
        }
        try {
          if (expectConnected) {
            assert.equal(bridge.stats().state, "connected", JSON.stringify(bridge.stats()));
            await realUntil(() => station.json("incunest/BED_TLS/status").some((m) => m.online === true), "the status over TLS");
          } else {
            assert.notEqual(bridge.stats().state, "connected");
            assert.match(bridge.stats().lastError ?? "", /certificate/i);
          }
        } finally {
          bridge.stop(false);
          toy.incubator.stop();
        }
      }
    } finally {
      await station.close();
      await broker.stop();
    }
  });

  it("a refused password is reported and retried, never published as if connected", async () => {
    const rig = await mqttRig({ config: { password: "wrong" } });
    try {
      await rig.until(() => rig.bridge.stats().lastError !== null, "the refusal", 10_000);
      assert.match(rig.bridge.stats().lastError!, /not authorized|bad user name or password/i);
      assert.equal(rig.bridge.stats().connects, 0);
      assert.equal(rig.sub.on(T("status")).length, 0);
    } finally {
      await rig.close();
    }
  });
});
