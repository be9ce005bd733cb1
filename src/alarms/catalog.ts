// The alarm table of PRODUCT.md as data: level, IEC 60601-1-8 priority, latching rule,
// what the heater does, whether it forces the FAULT state, and the timing that keeps
// noise from making an alarm flicker while a real condition still raises within seconds.
import type { AlarmCode, AlarmLevel, AlarmPriority } from "../core/api";

export type HeaterAction = "none" | "off_while_active" | "off_until_reset" | "stays_on";

export interface AlarmDefinition {
  readonly code: AlarmCode;
  readonly level: AlarmLevel;
  readonly priority: AlarmPriority;
  readonly latching: boolean;
  readonly heater: HeaterAction;
  /** Raising it puts the incubator in FAULT (left only by an operator reset). */
  readonly forcesFault: boolean;
  /** How long the condition must hold (net of noise) before the alarm is raised, ms. */
  readonly onsetMs: number;
  /** How long the condition must be gone (beyond the hysteresis band) before it clears, ms. */
  readonly clearMs: number;
  /** Hysteresis on the limit, in the value's unit: the clear side is this far inside the limit. */
  readonly hysteresis: number;
  readonly title: string;
}

function def(d: AlarmDefinition): AlarmDefinition {
  return Object.freeze(d);
}

export const ALARM_TABLE: Readonly<Record<AlarmCode, AlarmDefinition>> = Object.freeze({
  // Latches at the first reading at or beyond the limit: a thermal cut-out does not wait.
  OVERTEMP: def({ code: "OVERTEMP", level: "CRITICAL", priority: "high", latching: true, heater: "off_until_reset", forcesFault: true, onsetMs: 0, clearMs: 0, hysteresis: 0.5, title: "Over-temperature cut-out" }),
  TEMP_HIGH: def({ code: "TEMP_HIGH", level: "WARNING", priority: "medium", latching: false, heater: "off_while_active", forcesFault: false, onsetMs: 3_000, clearMs: 5_000, hysteresis: 0.3, title: "Air temperature high" }),
  TEMP_LOW: def({ code: "TEMP_LOW", level: "WARNING", priority: "medium", latching: false, heater: "stays_on", forcesFault: false, onsetMs: 5_000, clearMs: 5_000, hysteresis: 0.3, title: "Air temperature low" }),
  SKIN_TEMP_HIGH: def({ code: "SKIN_TEMP_HIGH", level: "WARNING", priority: "medium", latching: false, heater: "off_while_active", forcesFault: false, onsetMs: 3_000, clearMs: 5_000, hysteresis: 0.2, title: "Skin temperature high" }),
  SKIN_TEMP_LOW: def({ code: "SKIN_TEMP_LOW", level: "WARNING", priority: "medium", latching: false, heater: "stays_on", forcesFault: false, onsetMs: 5_000, clearMs: 5_000, hysteresis: 0.2, title: "Skin temperature low" }),
  HUMIDITY_HIGH: def({ code: "HUMIDITY_HIGH", level: "INFO", priority: "low", latching: false, heater: "none", forcesFault: false, onsetMs: 300_000, clearMs: 10_000, hysteresis: 2, title: "Humidity high" }),
  HUMIDITY_LOW: def({ code: "HUMIDITY_LOW", level: "INFO", priority: "low", latching: false, heater: "none", forcesFault: false, onsetMs: 300_000, clearMs: 10_000, hysteresis: 2, title: "Humidity low" }),
  // Onset/clear of sensor faults live in SENSOR_HEALTH (per kind of fault).
  SENSOR_FAULT: def({ code: "SENSOR_FAULT", level: "CRITICAL", priority: "high", latching: false, heater: "off_while_active", forcesFault: true, onsetMs: 0, clearMs: 3_000, hysteresis: 0.2, title: "Sensor fault" }),
  FAN_FAILURE: def({ code: "FAN_FAILURE", level: "CRITICAL", priority: "high", latching: false, heater: "off_while_active", forcesFault: true, onsetMs: 5_000, clearMs: 3_000, hysteresis: 0, title: "Fan failure" }),
  HEATER_FAULT: def({ code: "HEATER_FAULT", level: "WARNING", priority: "medium", latching: false, heater: "off_while_active", forcesFault: true, onsetMs: 0, clearMs: 0, hysteresis: 0, title: "Heater fault" }),
  // An event rather than a condition: active until acknowledged.
  POWER_FAILURE: def({ code: "POWER_FAILURE", level: "WARNING", priority: "medium", latching: false, heater: "none", forcesFault: false, onsetMs: 0, clearMs: 0, hysteresis: 0, title: "Power failure" }),
  // Active while a store cannot write (one occurrence per store); the previous value stays in force.
  STORAGE_FAULT: def({ code: "STORAGE_FAULT", level: "WARNING", priority: "medium", latching: false, heater: "none", forcesFault: false, onsetMs: 0, clearMs: 0, hysteresis: 0, title: "Storage fault" }),
  // An event like POWER_FAILURE: raised at boot when the stored therapy settings were unreadable,
  // active until acknowledged (across reboots too).
  SETTINGS_LOST: def({ code: "SETTINGS_LOST", level: "WARNING", priority: "medium", latching: false, heater: "none", forcesFault: false, onsetMs: 0, clearMs: 0, hysteresis: 0, title: "Settings lost" }),
});

export const ALARM_CODES: readonly AlarmCode[] = Object.freeze(Object.keys(ALARM_TABLE) as AlarmCode[]);

export const LIMITS = Object.freeze({
  /** Cut-out limit on the independent air probe, °C. */
  cutoutC: 38.0,
  /** Cut-out limit with the override setpoint or in skin mode, °C. */
  cutoutOverrideC: 40.0,
  airDeviationC: 3.0,
  skinDeviationC: 1.0,
  humidityDeviationPct: 10,
  /** Air setpoint while skin mode has fallen back on a skin probe fault, °C. */
  skinFallbackAirC: 36.0,
  /** Acknowledging pauses an alarm's audio this long, ms. */
  audioPauseMs: 600_000,
});
