// Settings (REST /api/config): device name and calibration offsets; device facts from
// /api/status. Every change needs the key and is validated by the firmware.
import { $, el, say } from "./dom";
import { storeKey } from "./key-store";
import type { Rest } from "./rest";

interface Config {
  readonly device?: { readonly name?: string; readonly id?: string };
  readonly control?: { readonly limits?: Readonly<Record<string, number>>; readonly pid?: { readonly kp?: number; readonly ki?: number; readonly kd?: number } };
  readonly calibration?: { readonly temp_ambient_offset?: number; readonly temp_skin_offset?: number; readonly humidity_offset?: number };
}

interface Status {
  readonly device_id?: string;
  readonly firmware_version?: string;
  readonly hardware_version?: string;
  readonly uptime?: number;
  readonly state?: string;
  readonly memory?: { readonly heap_free?: number; readonly heap_total?: number };
}

export function settingsView(rest: Rest): { refresh(): void } {
  const name = $<HTMLInputElement>("cf-name"), air = $<HTMLInputElement>("cf-air"), skin = $<HTMLInputElement>("cf-skin"), humidity = $<HTMLInputElement>("cf-humidity");
  const message = $("m-config"), about = $("about");
  let limits: Array<[string, string]> = [];

  async function refresh(): Promise<void> {
    say(message, "Loading…", "busy");
    try {
      const config = await rest.get<Config>("/api/config");
      name.value = config.device?.name ?? "";
      air.value = String(config.calibration?.temp_ambient_offset ?? 0);
      skin.value = String(config.calibration?.temp_skin_offset ?? 0);
      humidity.value = String(config.calibration?.humidity_offset ?? 0);
      $("device-name").textContent = config.device?.name ?? "";
      const l = config.control?.limits ?? {};
      const range = (a?: number, b?: number, unit = "°C") => (a === undefined || b === undefined ? "" : `${a}–${b} ${unit}`);
      limits = [
        ["Air setpoint", `${range(l.temp_min, l.temp_max)}${l.temp_max_override !== undefined ? `, up to ${l.temp_max_override} °C with the override` : ""}`],
        ["Skin setpoint", range(l.skin_min, l.skin_max)],
        ["Humidity setpoint", range(l.humidity_min, l.humidity_max, "%RH")],
      ];
      say(message, "", "");
    } catch (error) {
      say(message, `Settings not available: ${(error as Error).message}`, "error");
    }
    try {
      const s = await rest.get<Status>("/api/status");
      const facts: Array<[string, string]> = [
        ["Device", s.device_id ?? ""],
        ["Firmware", s.firmware_version ?? ""],
        ["Hardware", s.hardware_version ?? ""],
        ["Up", s.uptime === undefined ? "" : `${Math.floor(s.uptime / 3600)} h ${Math.floor((s.uptime % 3600) / 60)} min`],
        ["Memory free", s.memory?.heap_free === undefined ? "" : `${Math.round(s.memory.heap_free / 1024)} of ${Math.round((s.memory.heap_total ?? 0) / 1024)} kB`],
      ];
      about.replaceChildren(...[...facts, ...limits].filter(([, v]) => v !== "").flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    } catch {
      about.replaceChildren();
    }
  }

  $("f-config").addEventListener("submit", async (event) => {
    event.preventDefault();
    const number = (input: HTMLInputElement) => (input.value.trim() === "" ? 0 : Number(input.value));
    const body = {
      device: { name: name.value.trim() },
      calibration: { temp_ambient_offset: number(air), temp_skin_offset: number(skin), humidity_offset: number(humidity) },
    };
    say(message, "Saving…", "busy");
    try {
      const answer = `✓ ${(await rest.change("/api/config", body)) || "Saved"}`;
      say(message, answer, "ok");
      void refresh().then(() => say(message, answer, "ok"));
    } catch (error) {
      say(message, `✗ ${(error as Error).message}`, "error");
    }
  });
  $("cf-reload").addEventListener("click", () => void refresh());
  $("forget-key").addEventListener("click", () => {
    storeKey(null);
    location.reload();
  });
  return { refresh: () => void refresh() };
}
