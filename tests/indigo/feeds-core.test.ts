// The Indigo feeds on the real Incubator (toy plant, simulated time): commands go through
// the core's own validation and show up as patches and log entries.
import assert from "node:assert/strict";
import { IndigoFeeds, FEED_PATHS } from "../../src/protocol/indigo/feeds";
import { ACTION_GROUPS, DEVICES, VARIABLES } from "../../src/protocol/indigo/model";
import { toyIncubator } from "../support/toy-incubator";
import { FakeConnection, upgrade } from "./fake-connection";
import { FeedClientModel, sortedById } from "./feed-client";
import { TEST_ORIGIN } from "../support/origin";

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("indigo feeds on the real Incubator", () => {
  function setup() {
    const toy = toyIncubator();
    toy.incubator.start();
    const feeds = new IndigoFeeds(toy.incubator);
    const connect = (feed: keyof typeof FEED_PATHS) => {
      const conn = new FakeConnection();
      const session = feeds.open(conn, upgrade(FEED_PATHS[feed], "10.0.0.7:4242"));
      return { conn, send: async (m: unknown) => {
        session.onMessage(JSON.stringify(m));
        await settled(); // a command's reply waits for the core
      }, session };
    };
    return { toy, feeds, connect };
  }

  it("drives the incubator: setpoint, hvac mode, range refusal, all visible as patches and log entries", async () => {
    const { toy, feeds, connect } = setup();
    toy.run(5);
    const dev = connect("device");
    const log = connect("log");
    const client = new FeedClientModel();
    await dev.send({ message: "refresh", objectType: "indigo.Device" });
    for (const m of dev.conn.take()) client.apply(m);
    const thermostat = () => client.objects.get(DEVICES.incubator.id);
    assert.equal(thermostat().heatSetpoint, 36);
    assert.equal(thermostat().hvacMode, "indigo.kHvacMode.Off");
    log.conn.take();

    await dev.send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value: 36.8 }, id: "sp" });
    await dev.send({ message: "indigo.thermostat.setHvacMode", objectId: DEVICES.incubator.id, parameters: { value: "indigo.kHvacMode.Heat" }, id: "on" });
    assert.deepEqual(dev.conn.take(), []);
    toy.run(1);
    for (const m of dev.conn.take()) client.apply(m);
    assert.equal(thermostat().heatSetpoint, 36.8);
    assert.equal(thermostat().states.setpointHeat, 36.8);
    assert.equal(thermostat().hvacMode, "indigo.kHvacMode.Heat");
    assert.equal(thermostat().states.incubatorState, "PREHEATING");
    const logged = log.conn.take().map((m) => m.objectDict.message as string);
    assert.ok(logged.some((t) => /indigo device-feed 10\.0\.0\.7:4242: set_temperature ok/.test(t)), logged.join("\n"));
    assert.ok(logged.some((t) => /State STANDBY → PREHEATING/.test(t)), logged.join("\n"));

    await dev.send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value: 37.5 }, id: "too-hot" });
    const [err] = dev.conn.take();
    assert.equal(err.id, "too-hot");
    assert.equal(err.code, 4002);
    assert.match(err.error, /37/);
    toy.run(1);
    for (const m of dev.conn.take()) client.apply(m);
    assert.equal(thermostat().heatSetpoint, 36.8, "a refused setpoint changes nothing");

    // After a while of heating the heater device reports its duty, and the copy still matches.
    toy.run(30);
    for (const m of dev.conn.take()) client.apply(m);
    assert.equal(client.objects.get(DEVICES.heater.id).onState, true);
    await dev.send({ message: "refresh", objectType: "indigo.Device" });
    assert.deepEqual(client.list(), sortedById(dev.conn.take()[0].list));
    feeds.dispose();
  });

  it("updates variables and runs action groups through the core", async () => {
    const { toy, connect } = setup();
    toy.run(2);
    const vars = connect("variable");
    const actions = connect("action");
    const id = (name: string) => VARIABLES.find((v) => v.name === name)!.id;
    await vars.send({ message: "indigo.variable.updateValue", objectId: id("setpoint_humidity"), parameters: { value: "70" } });
    await vars.send({ message: "indigo.variable.updateValue", objectId: id("setpoint_humidity"), parameters: { value: "90" }, id: 2 });
    const [err] = vars.conn.take();
    assert.equal(err.id, 2);
    assert.equal(err.code, 4002);
    assert.equal(toy.incubator.snapshot().setpoints.humidity, 70);
    await actions.send({ message: "indigo.actionGroup.execute", objectId: ACTION_GROUPS.find((g) => g.name === "Start therapy")!.id });
    toy.run(1);
    assert.equal(toy.incubator.snapshot().state, "PREHEATING");
    await actions.send({ message: "indigo.actionGroup.execute", objectId: ACTION_GROUPS.find((g) => g.name === "Standby")!.id });
    toy.run(1);
    assert.equal(toy.incubator.snapshot().state, "STANDBY");
  });

  it("logs each alarm change once", async () => {
    const { toy, connect } = setup();
    toy.run(5);
    const log = connect("log");
    log.conn.take();
    toy.plant.faults.skin = () => ({ value: null, atMs: null, fault: "absent", detail: "no presence pulse" });
    toy.incubator.execute("set_mode", { mode: "skin" }, TEST_ORIGIN);
    toy.run(20);
    const alarmLines = log.conn.take().map((m: any) => m.objectDict.message as string).filter((t) => t.includes("SENSOR_FAULT"));
    assert.equal(alarmLines.length, 1, alarmLines.join("\n"));
    assert.match(alarmLines[0], /raised/);
  });
});
