// The ward bench's nurse station, in a process of its own (so that the runner's CPU is the
// beds' alone): an MQTT.js subscriber on incunest/+/{sensors,alarms,state} with a
// persistent session (it outlives a broker restart), or one /ws client per bed. It records
// what arrived and when; "dump <file>" on stdin writes the records and answers "dumped".
// argv[2]: JSON {"mqtt": {url, username, password}} or {"ws": [url, ...]}.
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import mqtt from "mqtt";
import { WebSocket } from "ws";
import { payloadKey } from "./bed-group";

export interface StationRecord {
  /** Device id, "sensors" | "alarms" | "state", payload key, arrival (epoch ms). */
  readonly d: string;
  readonly t: string;
  readonly k: string;
  readonly at: number;
  /** The payload's own timestamp (epoch ms): the firmware tick that made it. */
  readonly ts: number;
}

const spec = JSON.parse(process.argv[2]) as { mqtt?: { url: string; username: string; password: string }; ws?: string[] };
const records: StationRecord[] = [];
const now = () => performance.timeOrigin + performance.now();

if (spec.mqtt) {
  const client = mqtt.connect(spec.mqtt.url, { username: spec.mqtt.username, password: spec.mqtt.password, clientId: "bench-station", clean: false, reconnectPeriod: 100, protocolVersion: 4 });
  client.on("error", () => {});
  client.on("connect", (ack) => {
    if (!ack.sessionPresent) client.subscribe(["incunest/+/sensors", "incunest/+/alarms", "incunest/+/state"], { qos: 1 });
    process.stdout.write("connected\n");
  });
  client.on("message", (topic, payload) => {
    const at = now();
    const text = payload.toString();
    const parts = topic.split("/");
    records.push({ d: parts[1], t: parts[2], k: payloadKey(topic, text), at, ts: Date.parse(text.slice(14, 38)) });
  });
} else {
  let open = 0;
  for (const url of spec.ws ?? []) {
    const ws = new WebSocket(url);
    ws.on("error", () => {});
    ws.on("open", () => {
      ws.send(JSON.stringify({ type: "subscribe", channel: "all" }));
      if (++open === spec.ws!.length) process.stdout.write("connected\n");
    });
    let device = "";
    ws.on("message", (data) => {
      const at = now();
      const m = JSON.parse(data.toString());
      if (!device) device = url;
      const t = m.type === "sensor_update" ? "sensors" : m.type === "alarm" ? "alarms" : m.type === "state_change" ? "state" : "";
      if (!t) return;
      const k = t === "alarms" ? `${m.data.id}:${m.data.active ? (m.data.acknowledged ? "acknowledged" : "raised") : "cleared"}` : t === "state" ? `${m.data.new_state}<${m.data.previous_state}` : m.timestamp;
      records.push({ d: device, t, k, at, ts: Date.parse(m.timestamp) });
    });
  }
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const [verb, file] = line.split(" ");
  if (verb === "dump") {
    writeFileSync(file, JSON.stringify(records.splice(0)));
    process.stdout.write("dumped\n");
  } else if (verb === "quit") process.exit(0);
});
