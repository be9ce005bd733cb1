// The readings at a glance: air, skin and humidity beside their setpoints, mode, state,
// outputs, the incubator's clock; all grey with "NO DATA since" when not current.
import { $, setAttr, setText } from "./dom";
import { clockTime, fixed } from "./format";
import type { LiveModel } from "./live-model";

const STATE_TEXT: Record<string, string> = { STANDBY: "Standby", PREHEATING: "Preheating", OPERATING: "Operating", FAULT: "FAULT" };

export function vitalsView(model: LiveModel): () => void {
  const air = $("air"), skin = $("skin"), hum = $("hum");
  const airSet = $("air-set"), skinSet = $("skin-set"), humSet = $("hum-set");
  const vAir = $("v-air"), vSkin = $("v-skin");
  const mode = $("mode"), heater = $("heater"), fan = $("fan"), humidifier = $("humidifier");
  const state = $("state"), clock = $("clock"), stale = $("stale"), link = $("link");
  const root = document.body;
  let lastSkinSet: number | null = null, lastAirSet: number | null = null;

  return () => {
    const s = model.sensor;
    setAttr(root, "data-stale", model.stale ? "true" : "false");
    if (s) {
      setText(air, fixed(s.temperature.ambient, 1, "NO READING"));
      setText(skin, fixed(s.temperature.skin, 1, s.temperature.skin === null ? "—" : "NO READING"));
      setText(hum, fixed(s.humidity, 0, "NO READING"));
      setAttr(air, "data-none", s.temperature.ambient === null ? "true" : "false");
      setAttr(skin, "data-none", s.temperature.skin === null ? "true" : "false");
      setAttr(hum, "data-none", s.humidity === null ? "true" : "false");
      const m = s.mode ?? "air", effective = s.effective_mode ?? m;
      const sp = s.setpoint;
      if (model.setpoints) {
        lastAirSet = model.setpoints.air;
        lastSkinSet = model.setpoints.skin;
      }
      if (sp) {
        if (m === "skin") lastSkinSet = sp.temperature;
        else lastAirSet = sp.temperature;
        setText(humSet, fixed(sp.humidity, 0));
      }
      // The other mode's setpoint is not in sensor_update: show it once known.
      // The mode not in control shows its stored setpoint as "for … mode"; one not yet
      // known (no REST) is not guessed.
      const other = (v: number | null, mine: "air" | "skin") =>
        v === null ? "not in use" : m === mine ? `set ${fixed(v, 1)} °C` : `${fixed(v, 1)} °C in ${mine} mode`;
      setText(airSet, other(lastAirSet, "air"));
      setText(skinSet, other(lastSkinSet, "skin"));
      setAttr(vAir, "data-control", effective === "air" ? "true" : "false");
      setAttr(vSkin, "data-control", effective === "skin" ? "true" : "false");
      setText(mode, m === effective ? (m === "air" ? "Air" : "Skin") : "Skin, FALLEN BACK to air control (no skin reading)");
      setAttr(mode, "data-fallback", m === effective ? "false" : "true");
      setText(heater, fixed(s.heater_power, 0));
      setText(fan, fixed(s.fan_speed, 0));
      setText(humidifier, s.humidifier ? "on" : "off");
    }
    const st = model.state ?? "";
    setText(state, STATE_TEXT[st] ?? "—");
    setAttr(state, "data-state", st);
    state.title = model.stateReason;
    if (model.incubatorMs !== null) setText(clock, clockTime(model.incubatorMs));

    const l = model.link;
    let linkText = "Connected";
    if (l.kind === "connecting") linkText = l.attempt > 1 ? `Reconnecting (attempt ${l.attempt})…` : "Connecting…";
    else if (l.kind === "waiting") linkText = `${cap(l.reason)}: retrying in ${Math.max(0, Math.ceil((l.retryAt - Date.now()) / 1000))} s`;
    else if (l.kind === "unauthorised") linkText = "API key refused";
    setText(link, linkText);
    setAttr(link, "data-link", l.kind);

    if (model.stale) {
      const since = model.incubatorMs === null ? "" : ` since ${clockTime(model.incubatorMs)}`;
      setText(stale, `NO DATA${since}${l.kind === "open" ? ": the incubator sends no readings" : ` — ${linkText}`}`);
      stale.hidden = false;
    } else stale.hidden = true;
  };
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
