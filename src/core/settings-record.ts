// The therapy settings as one record (RecordStore name "settings"): setpoints, mode and
// whether therapy is running, written whole or not at all. Integers only (hundredths), so
// the text is the same on every platform. `override` is not stored: it follows from the air
// setpoint (above 37.0 °C), so a stored record can never hold a raised cut-out limit the
// setpoint does not need.
import type { PersistedSettings } from "./persisted-settings";
import type { ControlMode } from "./types";
import { SETPOINT_LIMITS } from "./control-config";

export const SETTINGS_RECORD = "settings";
const FORMAT = 2;
const MODES: readonly ControlMode[] = Object.freeze(["air", "skin"]);
/** The air setpoint above which the override is in force, °C. */
const OVERRIDE_ABOVE_C = SETPOINT_LIMITS.air.max;

export type DecodedSettings = { readonly ok: true; readonly settings: PersistedSettings } | { readonly ok: false; readonly error: string };

function hundredths(v: number): number {
  return Math.round(v * 100);
}

export function encodeSettingsRecord(s: PersistedSettings): string {
  return JSON.stringify({
    v: FORMAT,
    air: hundredths(s.setpoints.air),
    skin: hundredths(s.setpoints.skin),
    humidity: hundredths(s.setpoints.humidity),
    mode: s.mode,
    therapy: s.therapyActive,
  });
}

/** The same settings give the same text: what `encodeSettingsRecord` compares by. */
export function sameSettings(a: PersistedSettings, b: PersistedSettings): boolean {
  return encodeSettingsRecord(a) === encodeSettingsRecord(b);
}

function setpoint(data: Record<string, unknown>, key: string, min: number, max: number, unit: string): number | string {
  const raw = data[key];
  if (typeof raw !== "number" || !Number.isInteger(raw)) return `${key} must be an integer (hundredths of ${unit}), got ${JSON.stringify(raw)}`;
  const v = raw / 100;
  if (v < min || v > max) return `${key} ${v.toFixed(2)} ${unit} is outside ${min.toFixed(1)}-${max.toFixed(1)} ${unit}`;
  return v;
}

/** All or nothing: a record with any field wrong is unreadable as a whole (a mix of stored
 *  and default values is exactly what a settings record exists to prevent). */
export function decodeSettingsRecord(text: string): DecodedSettings {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { ok: false, error: "not a JSON object" };
  const d = data as Record<string, unknown>;
  if (d.v !== FORMAT) return { ok: false, error: `format ${JSON.stringify(d.v)}, this firmware reads ${FORMAT}` };
  const L = SETPOINT_LIMITS;
  const air = setpoint(d, "air", L.air.min, L.air.overrideMax, "°C");
  const skin = setpoint(d, "skin", L.skin.min, L.skin.max, "°C");
  const humidity = setpoint(d, "humidity", L.humidity.min, L.humidity.max, "%RH");
  for (const v of [air, skin, humidity]) if (typeof v === "string") return { ok: false, error: v };
  if (!MODES.includes(d.mode as ControlMode)) return { ok: false, error: `mode must be "air" or "skin", got ${JSON.stringify(d.mode)}` };
  if (typeof d.therapy !== "boolean") return { ok: false, error: `therapy must be true or false, got ${JSON.stringify(d.therapy)}` };
  const a = air as number;
  return {
    ok: true,
    settings: Object.freeze({
      setpoints: Object.freeze({ air: a, skin: skin as number, humidity: humidity as number, override: a > OVERRIDE_ABOVE_C }),
      mode: d.mode as ControlMode,
      therapyActive: d.therapy,
    }),
  };
}
