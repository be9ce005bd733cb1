// The nurse-station page: MQTT.js in the browser over the broker's WebSocket listener.
// Every bed a tile (air, skin, humidity, state), beds with an active alarm first by
// priority, an offline bed (its last will) shown offline at once, a click opens the
// bed's own page. Bundled by host-sim/ward/page.ts with esbuild.
import mqtt from "mqtt";
import { topPriority, WardModel, wardOrder, type Bed } from "./ward-model";

interface StationConfig {
  readonly wsUrl: string;
  readonly username: string;
  readonly password: string;
  readonly beds: ReadonlyArray<{ readonly deviceId: string; readonly url: string | null }>;
}

const model = new WardModel();
const links = new Map<string, string>();
const grid = document.getElementById("beds")!;
const banner = document.getElementById("connection")!;
let renderQueued = false;

function fmt(value: number | null, digits: number, unit: string): string {
  return value === null || value === undefined ? "—" : `${value.toFixed(digits)} ${unit}`;
}

function tile(bed: Bed): HTMLElement {
  const a = document.createElement("a");
  const priority = topPriority(bed);
  a.className = `bed${priority ? ` alarm-${priority}` : ""}${bed.online === false ? " offline" : ""}`;
  a.dataset.bed = bed.id;
  a.dataset.priority = priority ?? "";
  a.dataset.online = String(bed.online);
  const url = links.get(bed.id);
  if (url) a.href = url;
  a.target = "_blank";
  const stale = bed.online === true && bed.lastSeenMs > 0 && Date.now() - bed.lastSeenMs > 10_000;
  const alarms = bed.alarms.map((x) => `<li class="p-${x.priority}${x.acknowledged ? " ack" : ""}" title="${escapeHtml(x.message)}">${x.code}${x.acknowledged ? " (ack)" : ""}</li>`).join("");
  a.innerHTML =
    `<header><span class="id">${bed.id}</span><span class="state">${bed.online === false ? "OFFLINE" : bed.state ?? "…"}</span></header>` +
    `<dl><dt>Air</dt><dd class="air">${fmt(bed.air, 1, "°C")}</dd><dt>Skin</dt><dd class="skin">${fmt(bed.skin, 1, "°C")}</dd>` +
    `<dt>RH</dt><dd class="rh">${fmt(bed.humidity, 0, "%")}</dd><dt>Set</dt><dd>${fmt(bed.setpoint, 1, "°C")}</dd></dl>` +
    (alarms ? `<ul class="alarms">${alarms}</ul>` : "") +
    (bed.online === false ? `<p class="note">offline since ${new Date(bed.offlineSince ?? Date.now()).toLocaleTimeString()}</p>` : stale ? `<p class="note">no data for ${Math.round((Date.now() - bed.lastSeenMs) / 1000)} s</p>` : "");
  return a;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

function render(): void {
  renderQueued = false;
  const ordered = wardOrder(model.beds.values());
  grid.replaceChildren(...ordered.map(tile));
  const alarmed = ordered.filter((b) => b.alarms.length > 0).length;
  const offline = ordered.filter((b) => b.online === false).length;
  document.getElementById("summary")!.textContent = `${ordered.length} beds · ${alarmed} with alarms · ${offline} offline`;
}

function queueRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  // At most a few renders a second whatever the message rate (300 beds at 1 Hz).
  setTimeout(render, 200);
}

async function main(): Promise<void> {
  const config = (await (await fetch("config.json")).json()) as StationConfig;
  for (const b of config.beds) if (b.url) links.set(b.deviceId, b.url);
  const client = mqtt.connect(config.wsUrl, { username: config.username, password: config.password, reconnectPeriod: 1000, protocolVersion: 4 });
  client.on("connect", () => {
    banner.textContent = "connected to the broker";
    banner.className = "ok";
    client.subscribe(["incunest/+/status", "incunest/+/sensors", "incunest/+/state", "incunest/+/alarms/active"], { qos: 1 });
  });
  client.on("close", () => {
    banner.textContent = "broker unreachable: reconnecting…";
    banner.className = "down";
  });
  client.on("message", (topic, payload) => {
    const text = new TextDecoder().decode(payload);
    if (!model.receive(topic, text, Date.now())) return;
    // An offline bed or a new alarm shows at once; sensor updates are batched.
    if (topic.endsWith("/status") || topic.endsWith("/alarms/active")) render();
    else queueRender();
  });
  setInterval(queueRender, 5000); // "no data for" notes age
  (window as unknown as { ward: WardModel }).ward = model;
}

void main();
