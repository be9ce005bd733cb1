// XS entry for tests/xs/indigo-on-xs.test.ts: a scripted client session on every Indigo
// feed (refresh, commands, bad frames, ticks, the log replay) over an in-memory
// connection, on the toy incubator and simulated time. Returns every frame sent.
import type { Connection } from "../../../src/net/endpoint";
import { FEED_PATHS, IndigoFeeds, type FeedName } from "../../../src/protocol/indigo/feeds";
import { DEVICES, VARIABLES, ACTION_GROUPS } from "../../../src/protocol/indigo/model";
import { toyIncubator } from "../../support/toy-incubator";

class Recorder implements Connection {
  readonly frames: string[] = [];
  bufferedBytes = 0;
  send(text: string): boolean {
    this.frames.push(text);
    return true;
  }
  close(): void {}
}

export function run(input: { ticks: number }) {
  const toy = toyIncubator();
  toy.incubator.start();
  toy.run(3);
  const feeds = new IndigoFeeds(toy.incubator);
  const open = (feed: FeedName) => {
    const conn = new Recorder();
    const session = feeds.open(conn, { path: FEED_PATHS[feed], query: {}, remote: "xs" });
    return { conn, send: (m: unknown) => session.onMessage(typeof m === "string" ? m : JSON.stringify(m)) };
  };
  const log = open("log");
  const dev = open("device");
  const vars = open("variable");
  const actions = open("action");
  const page = open("page");
  dev.send({ message: "refresh", objectType: "indigo.Device", id: 1 });
  dev.send({ message: "refresh", objectType: "indigo.Device.Folder" });
  vars.send({ message: "refresh", objectType: "indigo.Variable" });
  actions.send({ message: "refresh", objectType: "indigo.ActionGroup" });
  page.send({ message: "refresh", objectType: "indigo.ControlPage", objectId: 1 });
  dev.send("not json {");
  dev.send({ message: "indigo.thermostat.setHeatSetpoint", objectId: DEVICES.incubator.id, parameters: { value: 36.7 } });
  dev.send({ message: "indigo.thermostat.setHvacMode", objectId: DEVICES.incubator.id, parameters: { value: "indigo.kHvacMode.Heat" } });
  vars.send({ message: "indigo.variable.updateValue", objectId: VARIABLES.find((v) => v.name === "setpoint_humidity")!.id, parameters: { value: "65" } });
  vars.send({ message: "indigo.variable.updateValue", objectId: VARIABLES.find((v) => v.name === "humidity")!.id, parameters: { value: "65" }, id: "ro" });
  actions.send({ message: "indigo.actionGroup.execute", objectId: ACTION_GROUPS[2].id });
  log.send({ message: "indigo.server.log", messageText: "from XS" });
  toy.run(input.ticks);
  dev.send({ message: "indigo.device.statusRequest", objectId: DEVICES.heater.id, id: "s" });
  const late = open("log");
  feeds.dispose();
  return { log: log.conn.frames, dev: dev.conn.frames, vars: vars.conn.frames, actions: actions.conn.frames, page: page.conn.frames, late: late.conn.frames };
}
