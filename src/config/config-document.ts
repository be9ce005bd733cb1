// The configuration document of GET /api/config (the IncuNest docs' shape) and how a
// partial update of it (POST /api/config; MQTT config/set may use the same) becomes a
// change of the device settings. Writable: device.name and calibration.*. Everything else
// is read-only: a patch may repeat its current value (a saved copy sent back), never
// change it. Thresholds are PRODUCT.md's, relative to the setpoint, shown as the values
// now in force.
import { LIMITS } from "../alarms/catalog";
import { cutoutLimitC } from "../alarms/overtemp-cutout";
import type { Snapshot } from "../core/api";
import { AIR_PID, SETPOINT_LIMITS } from "../core/control-config";
import { CALIBRATION_KEYS, calibrationProblem, describe, nameProblem, type CalibrationOffsets, type DeviceSettingsChange } from "./device-settings";

export interface ConfigSources {
  readonly deviceId: string;
  readonly name: string;
  readonly calibration: CalibrationOffsets;
  readonly snapshot: Snapshot;
  readonly network: { readonly hostname: string; readonly mqttEnabled: boolean };
}

/** A refused field of a configuration patch. */
export class ConfigFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const WRITABLE: readonly string[] = Object.freeze(["device.name", ...CALIBRATION_KEYS.map((k) => `calibration.${k}`)]);

const READ_ONLY_WHY: Readonly<Record<string, string>> = Object.freeze({
  "device.id": "the device id is fixed",
  "control.pid": "the PID gains are part of the validated control design and cannot be changed at run time",
  "control.limits": "the setpoint ranges are those of the product contract",
  alarms: "the alarm thresholds follow the setpoint as the product contract fixes them",
  network: "network settings are changed on the set-up page",
});

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export function configView(c: ConfigSources) {
  const s = c.snapshot;
  const air = s.setpoints.air;
  return {
    device: { name: c.name, id: c.deviceId },
    control: {
      pid: { kp: AIR_PID.gains.kp, ki: AIR_PID.gains.ki, kd: AIR_PID.gains.kd },
      limits: {
        temp_min: SETPOINT_LIMITS.air.min,
        temp_max: SETPOINT_LIMITS.air.max,
        humidity_min: SETPOINT_LIMITS.humidity.min,
        humidity_max: SETPOINT_LIMITS.humidity.max,
        temp_max_override: SETPOINT_LIMITS.air.overrideMax,
        skin_min: SETPOINT_LIMITS.skin.min,
        skin_max: SETPOINT_LIMITS.skin.max,
      },
    },
    alarms: {
      temp_high_warning: round2(air + LIMITS.airDeviationC),
      temp_high_alarm: cutoutLimitC(s.setpoints.override, s.mode === "skin"),
      temp_low_warning: round2(air - LIMITS.airDeviationC),
      air_deviation: LIMITS.airDeviationC,
      skin_deviation: LIMITS.skinDeviationC,
      humidity_deviation: LIMITS.humidityDeviationPct,
    },
    calibration: { ...c.calibration },
    network: { hostname: c.network.hostname, mqtt_enabled: c.network.mqttEnabled },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readOnlyReason(path: string): string {
  for (const prefix of Object.keys(READ_ONLY_WHY)) if (path === prefix || path.startsWith(prefix + ".")) return READ_ONLY_WHY[prefix];
  return "it is not a setting";
}

/**
 * Turns a partial update into a settings change; throws ConfigFieldError naming the first
 * field that is unknown, of the wrong type, out of range or read-only. Checks everything
 * before anything changes.
 */
export function parseConfigPatch(view: Record<string, unknown>, patch: unknown): DeviceSettingsChange {
  if (!isObject(patch)) throw new ConfigFieldError("body", `the configuration update must be a JSON object, got ${describe(patch)}`);
  const writes: Record<string, unknown> = {};
  const walk = (current: Record<string, unknown>, update: Record<string, unknown>, prefix: string): void => {
    for (const key of Object.keys(update)) {
      const path = prefix + key;
      if (!(key in current)) throw new ConfigFieldError(path, `unknown field ${JSON.stringify(path)} (known here: ${Object.keys(current).join(", ")})`);
      const now = current[key];
      const value = update[key];
      if (isObject(now)) {
        if (!isObject(value)) throw new ConfigFieldError(path, `${path} must be an object, got ${describe(value)}`);
        walk(now, value, path + ".");
      } else if (WRITABLE.includes(path)) {
        writes[path] = value;
      } else if (value !== now) {
        throw new ConfigFieldError(path, `${path} is read-only: ${readOnlyReason(path)}`);
      }
    }
  };
  walk(view, patch, "");
  const change: { name?: string; calibration?: Partial<Record<string, number>> } = {};
  if ("device.name" in writes) {
    const why = nameProblem(writes["device.name"]);
    if (why) throw new ConfigFieldError("device.name", why);
    change.name = writes["device.name"] as string;
  }
  for (const key of CALIBRATION_KEYS) {
    const path = `calibration.${key}`;
    if (!(path in writes)) continue;
    const why = calibrationProblem(key, writes[path]);
    if (why) throw new ConfigFieldError(path, why);
    change.calibration = { ...change.calibration, [key]: writes[path] as number };
  }
  return change as DeviceSettingsChange;
}
