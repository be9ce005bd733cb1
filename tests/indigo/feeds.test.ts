import assert from "node:assert/strict";
import fc from "fast-check";
import { IndigoFeeds, FEED_PATHS } from "../../src/protocol/indigo/feeds";
import { ACTION_GROUPS, DASHBOARD_PAGE_ID, DEVICES, FOLDER_IDS, VARIABLES, alarmVariableId } from "../../src/protocol/indigo/model";
import { FakeIncubator, mulberry32 } from "./fake-incubator";
import { FakeConnection, upgrade } from "./fake-connection";
import { FeedClientModel, sortedById } from "./feed-client";

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(seed = 1) {
  const core = new FakeIncubator(seed);
  const feeds = new IndigoFeeds(core);
  const connect = (feed: keyof typeof FEED_PATHS) => {
    const conn = new FakeConnection();
    const session = feeds.open(conn, upgrade(FEED_PATHS[feed]));
    const send = async (msg: unknown) => {
      session.onMessage(typeof msg === "string" ? msg : JSON.stringify(msg));
      await settled(); // a command's reply waits for the core
    };
    return { conn, session, send };
  };
  return { core, feeds, connect };
}

const variableId = (name: string) => VARIABLES.find((v) => v.name === name)!.id;
const actionId = (name: string) => ACTION_GROUPS.find((g) => g.name === name)!.id;

describe("indigo feeds", () => {
  it("serves exactly the five feed paths", async () => {
    const { feeds } = setup();
    for (const path of Object.values(FEED_PATHS)) assert.ok(feeds.accepts(path), path);
    assert.ok(!feeds.accepts("/ws"));
    assert.ok(!feeds.accepts("/v2/api/ws/schedule-feed"));
  });

  it("refreshes the device list with the thermostat, one device per sensor and actuator, and echoes id", async () => {
    const { core, connect } = setup();
    core.step();
    const { conn, send } = connect("device");
    await send({ message: "refresh", objectType: "indigo.Device", id: "r1" });
    const [reply] = conn.take();
    assert.equal(reply.message, "refresh");
    assert.equal(reply.objectType, "indigo.Device");
    assert.equal(reply.id, "r1");
    assert.equal(reply.list.length, 11);
    const t = reply.list.find((d: any) => d.class === "indigo.ThermostatDevice");
    const s = core.snapshot();
    assert.equal(t.id, DEVICES.incubator.id);
    assert.equal(t.heatSetpoint, s.temperatureSetpoint);
    assert.equal(t.states.setpointHeat, s.temperatureSetpoint);
    assert.equal(t.hvacMode, "indigo.kHvacMode.Off");
    assert.deepEqual(t.temperatures, [Math.round(s.air! * 100) / 100, Math.round(s.skin! * 100) / 100, Math.round(s.probeAir! * 100) / 100]);
    assert.deepEqual(t.humidities, [Math.round(s.humidity! * 10) / 10]);
    for (const k of ["heatIsOn", "fanIsOn", "humidifierIsOn", "dehumidifierIsOn", "coolIsOn"]) assert.equal(typeof t[k], "boolean", k);
    assert.equal(typeof t.displayStateValUi, "string");
    assert.equal(t.displayStateId, "temperatureInput1");
    const sensors = reply.list.filter((d: any) => d.class === "indigo.SensorDevice");
    assert.equal(sensors.length, 5);
    for (const d of sensors) {
      assert.ok("sensorValue" in d && "sensorValue.ui" in d.states, d.name);
      assert.equal(d.folderId, FOLDER_IDS.sensors);
    }
    const relays = reply.list.filter((d: any) => d.class === "indigo.RelayDevice" || d.class === "indigo.DimmerDevice");
    assert.equal(relays.length, 5);
    for (const d of relays) assert.equal(typeof d.onState, "boolean", d.name);
  });

  it("keeps ids stable across instances (reboots) and unique across all objects", async () => {
    const a = setup(1);
    const b = setup(99);
    const all: number[] = [];
    for (const s of [a, b]) {
      const ids: number[] = [];
      for (const feed of ["device", "variable", "action", "page"] as const) {
        const { conn, send } = s.connect(feed);
        const type = { device: "indigo.Device", variable: "indigo.Variable", action: "indigo.ActionGroup", page: "indigo.ControlPage" }[feed];
        await send({ message: "refresh", objectType: type });
        await send({ message: "refresh", objectType: type + ".Folder" });
        const [objects, folders] = conn.take();
        ids.push(...objects.list.map((o: any) => o.id), ...folders.list.map((o: any) => o.id));
      }
      all.push(...ids);
      assert.equal(new Set(ids).size, ids.length, "ids are unique");
      for (const id of ids) assert.ok(Number.isInteger(id) && id > 0 && id < 2 ** 31, String(id));
    }
    assert.deepEqual(all.slice(0, all.length / 2), all.slice(all.length / 2));
  });

  it("refreshes one object by objectId and folders; names unknown objects", async () => {
    const { connect } = setup();
    const { conn, send } = connect("device");
    await send({ message: "refresh", objectType: "indigo.Device", objectId: DEVICES.heater.id, id: 7 });
    const [one] = conn.take();
    assert.equal(one.objectDict.id, DEVICES.heater.id);
    assert.equal(one.id, 7);
    assert.equal(one.list, undefined);
    await send({ message: "refresh", objectType: "indigo.Device.Folder" });
    const [folders] = conn.take();
    assert.deepEqual(folders.list.map((f: any) => f.class), ["indigo.Folder", "indigo.Folder", "indigo.Folder"]);
    assert.equal(folders.id, undefined, "no id when none was sent");
    await send({ message: "refresh", objectType: "indigo.Device", objectId: 42, id: "x" });
    const [err] = conn.take();
    assert.equal(err.id, "x");
    assert.match(err.error, /unknown object.*42/);
    await send({ message: "refresh", objectType: "indigo.Variable" });
    assert.match(conn.take()[0].error, /objectType "indigo.Variable" is not served on the device-feed/);
  });

  it("answers bad frames with {error, id} naming the reason and keeps the connection open", async () => {
    const { connect } = setup();
    const { conn, send } = connect("device");
    await send("this is not json");
    await send("[1,2]");
    await send({ id: "a" });
    await send({ message: "indigo.dimmer.setBrightness", id: "b", objectId: DEVICES.heater.id });
    await send({ message: "indigo.variable.updateValue", id: "c", objectId: 1, parameters: { value: "1" } });
    await send({ message: "indigo.device.toggle", id: "d", objectId: "not-a-number" });
    const errs = conn.take();
    assert.equal(errs.length, 6);
    assert.match(errs[0].error, /invalid JSON/);
    assert.equal(errs[0].id, null);
    assert.match(errs[1].error, /JSON object/);
    assert.deepEqual([errs[2].id, errs[2].validationErrors], ["a", { message: '"message" is required and must be a string' }]);
    assert.match(errs[3].error, /unknown message "indigo.dimmer.setBrightness"/);
    assert.match(errs[4].error, /not accepted on the device-feed.*variable-feed/);
    assert.match(errs[5].error, /objectId must be an integer/);
    assert.equal(errs[5].id, "d");
    assert.equal(conn.closed, null);
  });

  it("sets the heat setpoint through the core and pushes the patch on the next tick", async () => {
    const { core, connect } = setup();
    core.step(1000, 0);
    const { conn, send } = connect("device");
    await send({ message: "refresh", objectType: "indigo.Device" });
    conn.take();
    await send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value: 36.8 }, id: "sp" });
    assert.deepEqual(conn.take(), [], "success is silent: the effect arrives as a patch");
    assert.deepEqual(core.executed.at(-1)!.action, "set_temperature");
    assert.deepEqual(core.executed.at(-1)!.data, { setpoint: 36.8 });
    core.step(1000, 0);
    const patch = conn.take().find((m) => m.message === "patch" && m.objectId === DEVICES.incubator.id);
    assert.ok(patch);
    assert.deepEqual(patch.patch.find((e: any) => e[1] === "heatSetpoint"), ["change", "heatSetpoint", [36.5, 36.8]]);
    assert.deepEqual(patch.patch.find((e: any) => e[1] === "states.setpointHeat"), ["change", "states.setpointHeat", [36.5, 36.8]]);

    await send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value: 38 }, id: "hi" });
    const [err] = conn.take();
    assert.equal(err.id, "hi");
    assert.equal(err.code, 4002);
    assert.match(err.error, /outside/);
    assert.equal(core.snapshot().setpoints.air, 36.8);
    await send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value: 38, override: true } });
    assert.deepEqual(conn.take(), []);
    assert.deepEqual(core.executed.at(-1)!.data, { setpoint: 38, override: true });
    await send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: {} });
    assert.match(conn.take()[0].error, /value is required/);
    await send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.heater.id, parameters: { value: 36 } });
    assert.match(conn.take()[0].error, /Heater is not a thermostat/);
    core.step(1000, 0);
    await send({ message: "indigo.thermostat.decreaseHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { delta: 0.5 } });
    assert.deepEqual(core.executed.at(-1)!.data, { setpoint: 37.5, override: true });
  });

  it("maps setHvacMode Heat/Off to start/standby and refuses cooling modes", async () => {
    const { core, connect } = setup();
    const { conn, send } = connect("device");
    await send({ message: "indigo.thermostat.setHvacMode", objectId: DEVICES.incubator.id, parameters: { value: "indigo.kHvacMode.Heat" } });
    assert.equal(core.snapshot().state, "STANDBY", "takes effect in the core; the snapshot follows on the tick");
    core.step(1000, 0);
    assert.equal(core.snapshot().state, "PREHEATING");
    await send({ message: "indigo.thermostat.setHvacMode", objectId: DEVICES.incubator.id, parameters: { value: "Heat" } });
    assert.deepEqual(conn.take(), [], "Heat while heating is a no-op");
    await send({ message: "indigo.thermostat.setHvacMode", objectId: DEVICES.incubator.id, parameters: { value: "indigo.kHvacMode.Cool" }, id: 3 });
    const [err] = conn.take();
    assert.match(err.error, /only heats/);
    assert.deepEqual(Object.keys(err.validationErrors), ["value"]);
    await send({ message: "indigo.thermostat.setHvacMode", objectId: DEVICES.incubator.id, parameters: { value: "indigo.kHvacMode.Off" } });
    core.step(1000, 0);
    assert.equal(core.snapshot().state, "STANDBY");
    assert.deepEqual(core.executed.map((c) => c.data), [{ state: "start" }, { state: "standby" }]);
  });

  it("turns devices on/off only where it means something", async () => {
    const { core, connect } = setup();
    const { conn, send } = connect("device");
    await send({ message: "indigo.device.turnOn", objectId: DEVICES.heater.id, id: 1 });
    assert.match(conn.take()[0].error, /Heater is driven by the incubator's controller/);
    await send({ message: "indigo.device.toggle", objectId: DEVICES.airTemperature.id });
    assert.match(conn.take()[0].error, /is a sensor/);
    await send({ message: "indigo.device.turnOn", objectId: DEVICES.buzzer.id });
    assert.match(conn.take()[0].error, /only for alarms/);
    core.raiseAlarm("TEMP_HIGH");
    await send({ message: "indigo.device.turnOff", objectId: DEVICES.buzzer.id });
    assert.deepEqual(conn.take(), []);
    assert.equal(core.executed.at(-1)!.action, "acknowledge_all");
    await send({ message: "indigo.device.turnOn", objectId: DEVICES.incubator.id });
    assert.equal(core.executed.at(-1)!.action, "set_state");
    await send({ message: "indigo.device.turnOn", objectId: DEVICES.humidifier.id, parameters: { delay: 5 } });
    assert.match(conn.take()[0].error, /delay is not supported/);
    await send({ message: "indigo.device.statusRequest", objectId: DEVICES.fan.id, id: "st" });
    const [status] = conn.take();
    assert.equal(status.message, "refresh");
    assert.equal(status.objectDict.id, DEVICES.fan.id);
    assert.equal(status.id, "st");
    await send({ message: "indigo.device.statusRequest", objectId: 5 });
    assert.match(conn.take()[0].error, /no indigo.Device with id 5/);
  });

  it("updates variables from validated strings and refuses read-only ones", async () => {
    const { core, connect } = setup();
    core.step(1000, 0);
    const { conn, send } = connect("variable");
    await send({ message: "refresh", objectType: "indigo.Variable" });
    const [list] = conn.take();
    for (const v of list.list) {
      assert.equal(typeof v.value, "string", v.name);
      assert.equal(v.class, "indigo.Variable");
    }
    const byName = (n: string) => list.list.find((v: any) => v.name === n);
    for (const n of ["air_temperature", "skin_temperature", "humidity", "alarm_count", "incubator_state", "setpoint_air"]) assert.equal(byName(n).readOnly, true, n);
    for (const n of ["setpoint_temperature", "setpoint_humidity", "control_mode"]) assert.equal(byName(n).readOnly, false, n);
    assert.equal(byName("setpoint_temperature").value, "36.5");

    await send({ message: "indigo.variable.updateValue", objectId: variableId("setpoint_humidity"), parameters: { value: " 65.5 " }, id: 1 });
    assert.deepEqual(conn.take(), []);
    assert.deepEqual(core.executed.at(-1)!.data, { setpoint: 65.5 });
    await send({ message: "indigo.variable.updateValue", objectId: variableId("setpoint_humidity"), parameters: { value: 65.5 }, id: 2 });
    const [notString] = conn.take();
    assert.deepEqual(notString, { error: "variable values must be strings", id: 2, validationErrors: { value: "variable values must be strings" } });
    await send({ message: "indigo.variable.updateValue", objectId: variableId("setpoint_humidity"), parameters: { value: "wet" }, id: 3 });
    assert.match(conn.take()[0].error, /must be a decimal number, got "wet"/);
    await send({ message: "indigo.variable.updateValue", objectId: variableId("setpoint_humidity"), parameters: { value: "" }, id: 4 });
    assert.match(conn.take()[0].error, /cannot be cleared/);
    await send({ message: "indigo.variable.updateValue", objectId: variableId("setpoint_humidity"), parameters: { value: "95" }, id: 5 });
    const [range] = conn.take();
    assert.equal(range.code, 4002);
    assert.match(range.error, /outside 30–85/);
    await send({ message: "indigo.variable.updateValue", objectId: variableId("air_temperature"), parameters: { value: "20" }, id: 6 });
    assert.match(conn.take()[0].error, /air_temperature is read-only/);
    await send({ message: "indigo.variable.updateValue", objectId: variableId("control_mode"), parameters: { value: "Skin" } });
    assert.deepEqual(core.executed.at(-1)!.data, { mode: "skin" });
    core.step(1000, 0);
    const patches = conn.take().filter((m) => m.message === "patch");
    const mode = patches.find((p) => p.objectId === variableId("control_mode"));
    assert.deepEqual(mode.patch, [["change", "value", ["air", "skin"]]]);
    const sp = patches.find((p) => p.objectId === variableId("setpoint_temperature"));
    assert.deepEqual(sp.patch, [["change", "value", ["36.5", "36"]]], "the active setpoint follows the mode");
  });

  it("adds and deletes one read-only variable per active alarm", async () => {
    const { core, connect } = setup();
    core.step(1000, 0);
    const { conn, send } = connect("variable");
    await send({ message: "refresh", objectType: "indigo.Variable" });
    conn.take();
    core.raiseAlarm("FAN_FAILURE", "fan stopped");
    core.step(1000, 0);
    const msgs = conn.take();
    const add = msgs.find((m) => m.message === "add");
    assert.equal(add.objectDict.name, "alarm_FAN_FAILURE");
    assert.equal(add.objectDict.value, "fan stopped");
    assert.equal(add.objectDict.readOnly, true);
    assert.deepEqual(msgs.find((m) => m.objectId === variableId("alarm_count")).patch, [["change", "value", ["0", "1"]]]);
    await send({ message: "indigo.variable.updateValue", objectId: alarmVariableId("FAN_FAILURE"), parameters: { value: "x" }, id: 1 });
    assert.match(conn.take()[0].error, /alarm_FAN_FAILURE is read-only/);
  });

  it("executes action groups through the core", async () => {
    const { core, connect } = setup();
    const { conn, send } = connect("action");
    await send({ message: "refresh", objectType: "indigo.ActionGroup", id: 1 });
    const [list] = conn.take();
    assert.deepEqual(list.list.map((g: any) => g.name), ["Start therapy", "Standby", "Acknowledge all alarms", "Reset fault"]);
    await send({ message: "indigo.actionGroup.execute", objectId: actionId("Start therapy") });
    await send({ message: "indigo.actionGroup.execute", objectId: actionId("Acknowledge all alarms") });
    await send({ message: "indigo.actionGroup.execute", objectId: actionId("Reset fault"), id: "r" });
    const [err] = conn.take();
    assert.equal(err.id, "r");
    assert.match(err.error, /reset only leaves FAULT/);
    await send({ message: "indigo.actionGroup.execute", objectId: 1234, id: "u" });
    assert.match(conn.take()[0].error, /no indigo.ActionGroup with id 1234/);
    assert.deepEqual(core.executed.map((c) => c.action), ["set_state", "acknowledge_all", "set_state"]);
  });

  it("serves the dashboard page read-only", async () => {
    const { connect } = setup();
    const { conn, send } = connect("page");
    await send({ message: "refresh", objectType: "indigo.ControlPage" });
    const [list] = conn.take();
    assert.equal(list.list[0].class, "indigo.ControlPage");
    assert.equal(list.list[0].id, DASHBOARD_PAGE_ID);
    await send({ message: "indigo.actionGroup.execute", objectId: actionId("Standby"), id: 9 });
    assert.match(conn.take()[0].error, /not accepted on the page-feed/);
    await send({ message: "refresh", objectType: "indigo.ControlPage.Folder" });
    assert.equal(conn.take()[0].list[0].class, "indigo.Folder");
  });

  it("replays the last 25 log entries in order on connect, then live entries", async () => {
    const { core, connect } = setup();
    for (let i = 0; i < 40; i++) core.log(`entry ${i}`, "test");
    const { conn, send } = connect("log");
    const replay = conn.take();
    assert.equal(replay.length, 25);
    assert.deepEqual(replay.map((m) => m.objectDict.message), Array.from({ length: 25 }, (_, i) => `entry ${i + 15}`));
    for (const m of replay) {
      assert.equal(m.message, "add");
      assert.equal(m.objectType, "indigo.LogEvent");
      assert.equal(m.objectDict.objectType, "indigo.LogEvent");
      assert.match(m.objectDict.timeStamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      assert.equal(typeof m.objectDict.typeVal, "number");
    }
    await send({ message: "indigo.server.log", messageText: "hello from a client", id: "l" });
    const [live] = conn.take();
    assert.equal(live.objectDict.message, "hello from a client");
    assert.match(live.objectDict.typeStr, /indigo log-feed/);
    await send({ message: "indigo.server.log", id: "empty" });
    assert.match(conn.take()[0].error, /messageText is required/);
    // Control characters are stripped (issue 11): no terminal escapes, no reordering, no line breaks.
    await send({ message: "indigo.server.log", messageText: "\u001b[2J\u001b[1;31mred\r\nnext\u0007 line\u202eevil\u0085", id: "ctl" });
    const [clean] = conn.take();
    assert.equal(clean.objectDict.message, "[2J [1;31mred next  line evil");
    assert.doesNotMatch(clean.objectDict.message, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    await send({ message: "indigo.server.log", messageText: "\u0000\u001b\t", id: "only-ctl" });
    assert.match(conn.take()[0].error, /control characters do not count/);
    core.raiseAlarm("OVERTEMP" as never, "air probe 38.2 °C");
    const [alarm] = conn.take();
    assert.match(alarm.objectDict.message, /Alarm OVERTEMP #1 raised/);
    core.forceState("FAULT");
    assert.match(conn.take()[0].objectDict.message, /State STANDBY → FAULT/);
    await send({ message: "refresh", objectType: "indigo.LogEvent" });
    assert.match(conn.take()[0].error, /log-feed has no refresh/);
  });

  it("resends the whole list to a client that missed a push", async () => {
    const { core, connect } = setup();
    core.step(1000, 0);
    const { conn, send } = connect("device");
    const client = new FeedClientModel();
    await send({ message: "refresh", objectType: "indigo.Device" });
    for (const m of conn.take()) client.apply(m);
    conn.dropNext = 1;
    core.step(1000, 0);
    assert.deepEqual(conn.take(), [], "the rest of that tick is skipped after a drop");
    core.step(1000, 0);
    const msgs = conn.take();
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].message, "refresh");
    client.apply(msgs[0]);
    core.step(1000, 0);
    for (const m of conn.take()) client.apply(m);
    await send({ message: "refresh", objectType: "indigo.Device" });
    const truth = conn.take()[0].list;
    assert.deepEqual(client.list(), sortedById(truth));
  });

  it("marks tick pushes droppable and replies not; answers rate refusals in Indigo's error form", async () => {
    const { core, connect } = setup();
    core.step(1000, 0);
    const { conn, send, session } = connect("device");
    await send({ message: "refresh", objectType: "indigo.Device", id: "r" });
    core.step(1000, 0);
    assert.ok(conn.frames.length >= 2);
    assert.equal(conn.droppable[0], false, "the refresh reply is never dropped");
    assert.ok(conn.droppable.slice(1).every((d) => d), "the pushed patches may be dropped");
    conn.take();
    session.onRefused!("message rate exceeded", JSON.stringify({ message: "refresh", id: "fast" }));
    session.onRefused!("message rate exceeded", "not json");
    assert.deepEqual(conn.take(), [
      { error: "message rate exceeded", id: "fast" },
      { error: "message rate exceeded", id: null },
    ]);
  });

  it("can run a tick's work after the tick (schedule), folding ticks that passed meanwhile", async () => {
    const core = new FakeIncubator(3);
    const queue: Array<() => void> = [];
    const feeds = new IndigoFeeds(core, { schedule: (work) => queue.push(work) });
    core.step(1000, 0);
    assert.equal(queue.length, 0, "nothing is scheduled without clients");
    const conn = new FakeConnection();
    const session = feeds.open(conn, upgrade(FEED_PATHS.device));
    const client = new FeedClientModel();
    session.onMessage(JSON.stringify({ message: "refresh", objectType: "indigo.Device" }));
    for (const m of conn.take()) client.apply(m);
    core.step(1000, 0);
    core.step(1000, 0);
    assert.equal(queue.length, 1, "one pending update for two ticks");
    assert.deepEqual(conn.take(), [], "nothing is sent inside the tick");
    queue.shift()!();
    client.patchedThisRound.clear();
    for (const m of conn.take()) client.apply(m);
    assert.ok(client.patchedThisRound.size > 0);
    for (const n of client.patchedThisRound.values()) assert.equal(n, 1);
    session.onMessage(JSON.stringify({ message: "refresh", objectType: "indigo.Device" }));
    assert.deepEqual(client.list(), sortedById(conn.take()[0].list));
  });

  it("keeps patched client copies identical to the objects over simulated hours (independent applier)", function () {
    this.timeout(120_000);
    const run = (seed: number, ticks: number, churn: number) => {
      const { core, connect } = setup(seed);
      const random = mulberry32(seed ^ 0x5eed);
      core.step(1000, churn);
      const devices = connect("device");
      const variables = connect("variable");
      const observerD = connect("device");
      const observerV = connect("variable");
      const clients = [
        { c: devices, model: new FeedClientModel(), type: "indigo.Device", observer: observerD },
        { c: variables, model: new FeedClientModel(), type: "indigo.Variable", observer: observerV },
      ];
      for (const k of clients) {
        k.c.send({ message: "refresh", objectType: k.type });
        for (const m of k.c.conn.take()) k.model.apply(m);
      }
      let patches = 0;
      for (let t = 0; t < ticks; t++) {
        // Random commands between ticks, as a nurse station or automation would send them.
        if (random() < 0.01) devices.send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value: Math.round((35 + random() * 2) * 10) / 10 } });
        if (random() < 0.003) devices.send({ message: "indigo.thermostat.setHvacMode", objectId: DEVICES.incubator.id, parameters: { value: random() < 0.7 ? "Heat" : "Off" } });
        if (random() < 0.003) variables.send({ message: "indigo.variable.updateValue", objectId: variableId("control_mode"), parameters: { value: random() < 0.5 ? "air" : "skin" } });
        if (random() < 0.005) variables.send({ message: "indigo.variable.updateValue", objectId: variableId("setpoint_humidity"), parameters: { value: String(Math.round(30 + random() * 55)) } });
        core.step(1000, churn);
        for (const k of clients) {
          k.model.patchedThisRound.clear();
          for (const m of k.c.conn.take()) {
            assert.ok(!("error" in m), JSON.stringify(m));
            if (m.message === "patch") patches++;
            k.model.apply(m);
          }
          for (const [id, n] of k.model.patchedThisRound) assert.equal(n, 1, `object ${id} patched ${n} times in one tick`);
          if (t % 10 === 0 || t === ticks - 1) {
            k.observer.conn.take();
            k.observer.send({ message: "refresh", objectType: k.type });
            const truth = k.observer.conn.take().at(-1).list;
            assert.deepEqual(k.model.list(), sortedById(truth), `seed ${seed} tick ${t} ${k.type}`);
          }
        }
      }
      return patches;
    };
    // Two simulated hours with alarm churn, then a spread of shorter random runs.
    assert.ok(run(7, 7200, 0.01) > 7200);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.double({ min: 0, max: 0.1, noNaN: true }), (seed, churn) => {
        run(seed, 600, churn);
      }),
      { numRuns: 8 },
    );
  });
});
