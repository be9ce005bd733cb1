// The bedside app: one /ws connection for live data and commands, REST for the trend
// log, the event log and settings. The API key is asked once and kept in this browser.
import "./styles.css";
import { alarmBanners } from "./alarm-banners";
import { controls } from "./controls";
import { askKey } from "./dialogs";
import { $ } from "./dom";
import { storedKey, storeKey } from "./key-store";
import { LiveLink } from "./live-link";
import { LiveModel } from "./live-model";
import { Rest } from "./rest";
import { restTrendSource } from "./trend-source";
import { trendView } from "./trend-view";
import { setUpTheme } from "./theme";
import { vitalsView } from "./vitals-view";
import { setUpViews } from "./views";

const model = new LiveModel();
const wsUrl = (key: string | null) => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws${key ? `?api-key=${encodeURIComponent(key)}` : ""}`;

/** Why the key is asked for: none kept yet, or the kept one was refused. */
const keyWhy = () =>
  storedKey()
    ? "The incubator refused this API key. Enter the key it prints on its console (host-sim: printed by npm start)."
    : "This incubator needs its API key. It is printed on its console (host-sim: by npm start). It is kept in this browser only.";

let asking = false;
async function needKey(): Promise<void> {
  if (asking) return;
  asking = true;
  link.stop();
  const key = await askKey(keyWhy());
  asking = false;
  storeKey(key);
  link.start();
  views.onNewKey();
}

let wasDown = true;
const link = new LiveLink(wsUrl, storedKey, {
  message: (m) => model.receive(m),
  status: (s) => {
    // History once the key is proven, and again after an outage (the log fills the gap).
    if (s.kind === "open") {
      if (wasDown) trend.reload();
      wasDown = false;
    } else if (s.kind === "waiting" || s.kind === "unauthorised") wasDown = true;
    model.setLink(s);
    if (s.kind === "unauthorised") void needKey();
  },
});
const rest = new Rest(storedKey, () => void needKey());

const send = (action: string, data: Record<string, unknown>) => link.command(action, data);
model.onRender(vitalsView(model));
model.onRender(alarmBanners($("alarms"), $("announce"), model, (id) => send("acknowledge_alarm", { alarm_id: id })));
model.onRender(controls(model, send));
const trend = trendView(model, restTrendSource(rest));
const views = setUpViews(rest);
setUpTheme(() => trend.restyle());

// Both temperature setpoints, fetched again whenever the mode or the active one changes.
let controlKey = "";
const refreshControl = () =>
  rest.get<{ temperature?: { air_setpoint?: number; skin_setpoint?: number } }>("/api/control").then(
    (c) => {
      const t = c.temperature;
      if (typeof t?.air_setpoint === "number" && typeof t.skin_setpoint === "number") model.setpoints = { air: t.air_setpoint, skin: t.skin_setpoint };
      model.invalidate();
    },
    () => {},
  );
model.onSample(({ data }) => {
  const key = `${data.mode}/${data.setpoint?.temperature}`;
  if (key !== controlKey) {
    controlKey = key;
    void refreshControl();
  }
});

setInterval(() => model.checkStale(), 500);
link.start();
