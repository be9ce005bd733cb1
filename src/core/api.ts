// The face the firmware core shows to the protocols (/ws, Indigo feeds), the host-sim
// runner and the device entry. Everything here is plain data: frozen snapshots and events.
import type { ControlMode, IncubatorState } from "./types";

export type AlarmCode =
  | "OVERTEMP"
  | "TEMP_HIGH"
  | "TEMP_LOW"
  | "SKIN_TEMP_HIGH"
  | "SKIN_TEMP_LOW"
  | "HUMIDITY_HIGH"
  | "HUMIDITY_LOW"
  | "SENSOR_FAULT"
  | "FAN_FAILURE"
  | "HEATER_FAULT"
  | "POWER_FAILURE"
  | "STORAGE_FAULT"
  | "SETTINGS_LOST";

export type AlarmLevel = "CRITICAL" | "WARNING" | "INFO";
/** IEC 60601-1-8 priority. */
export type AlarmPriority = "high" | "medium" | "low";

/** One alarm occurrence. Each occurrence has its own id. Times are wall-clock epoch ms. */
export interface AlarmInfo {
  readonly id: number;
  readonly code: AlarmCode;
  readonly level: AlarmLevel;
  readonly priority: AlarmPriority;
  readonly message: string;
  /** The condition is (still) present, or a latched alarm is not yet reset. */
  readonly active: boolean;
  readonly acknowledged: boolean;
  readonly latching: boolean;
  /** The measured value that raised it, and the limit it crossed (null where none applies). */
  readonly value: number | null;
  readonly limit: number | null;
  readonly raisedAtMs: number;
  readonly acknowledgedAtMs: number | null;
  readonly clearedAtMs: number | null;
}

export interface Setpoints {
  /** Air temperature setpoint, °C. */
  readonly air: number;
  /** Skin temperature setpoint, °C. */
  readonly skin: number;
  /** Relative humidity setpoint, %RH. */
  readonly humidity: number;
  /** The air setpoint may exceed 37.0 °C (up to 39.0 °C). */
  readonly override: boolean;
}

/** One immutable picture of the incubator, published once per control tick. */
export interface Snapshot {
  /** Control tick counter. */
  readonly seq: number;
  /** Wall-clock time of the tick, epoch ms; `clockSet` false while the wall clock is not yet set. */
  readonly epochMs: number;
  readonly clockSet: boolean;
  readonly state: IncubatorState;
  readonly mode: ControlMode;
  /** The mode actually in control: "air" while skin mode has fallen back on a skin probe fault. */
  readonly effectiveMode: ControlMode;
  readonly setpoints: Setpoints;
  /** The temperature setpoint of the active mode (what `set_temperature` sets). */
  readonly temperatureSetpoint: number;
  /** Measurements, null while a channel has no valid reading. */
  readonly air: number | null;
  readonly skin: number | null;
  readonly probeAir: number | null;
  readonly humidity: number | null;
  readonly fanRpm: number | null;
  /** Actuator outputs as applied this tick. Percentages 0..100. */
  readonly heaterPercent: number;
  readonly fanPercent: number;
  readonly humidifierOn: boolean;
  /** Alarms that are active, or latched and not yet reset, oldest first. */
  readonly alarms: readonly AlarmInfo[];
  readonly overruns: number;
  readonly skippedTicks: number;
}

export type IncubatorEvent =
  | { readonly type: "tick"; readonly snapshot: Snapshot }
  // `origin` is set where a command caused the event (null: the firmware itself).
  | { readonly type: "state_change"; readonly previous: IncubatorState; readonly next: IncubatorState; readonly reason: string; readonly epochMs: number; readonly origin?: CommandOrigin | null }
  | { readonly type: "alarm"; readonly alarm: AlarmInfo; readonly change: "raised" | "acknowledged" | "cleared"; readonly epochMs: number; readonly origin?: CommandOrigin | null }
  | { readonly type: "settings"; readonly setpoints: Setpoints; readonly mode: ControlMode; readonly epochMs: number; readonly origin?: CommandOrigin | null }
  | { readonly type: "log"; readonly text: string; readonly source: string; readonly level: "info" | "warning" | "error"; readonly epochMs: number };

/** 4000 not authorised, 4001 invalid command, 4002 invalid parameters (nothing changes),
 *  5000 not stored: a valid change the store could not write (nothing changes; STORAGE_FAULT). */
export type CommandErrorCode = 4000 | 4001 | 4002 | 5000;

/** The interface a command or change came through (the event log records it). */
export type CommandInterface = "ws" | "indigo" | "rest" | "mqtt" | "local";

/** Who sent a command: the interface and the client on it (address, client id). */
export interface CommandOrigin {
  readonly via: CommandInterface;
  readonly client: string;
}

export type CommandResult =
  | { readonly success: true; readonly message: string }
  | { readonly success: false; readonly message: string; readonly code: CommandErrorCode };

/** The actions both protocols map onto; `data` is validated by the core. */
export type CommandAction =
  | "set_temperature" // { setpoint: number, override?: boolean }
  | "set_humidity" // { setpoint: number }
  | "set_mode" // { mode: "air" | "skin" }
  | "set_state" // { state: "start" | "stop" | "standby" | "reset" }
  | "acknowledge_alarm" // { alarm_id: number }
  | "acknowledge_all"; // {}

export interface IncubatorApi {
  /** The latest published snapshot. */
  snapshot(): Snapshot;
  /** Runs one command through the core's validation. Resolves once the command took
   *  effect and, where it changes what survives a reboot, once that is stored; a command
   *  that cannot be stored resolves as a failure and changes nothing. Never rejects. */
  execute(action: string, data: unknown, origin: CommandOrigin): Promise<CommandResult>;
  /** Every event, in order; returns the unsubscribe function. Listeners must not throw. */
  subscribe(listener: (event: IncubatorEvent) => void): () => void;
  /** Alarm history: the last 50 occurrences, oldest first. */
  alarmHistory(): readonly AlarmInfo[];
  /** Writes a text to the firmware log (e.g. `indigo.server.log`). */
  log(text: string, source: string): void;
}

/** A log label for an origin, e.g. "ws 127.0.0.1:5123". */
export function originLabel(origin: CommandOrigin): string {
  return `${origin.via} ${origin.client}`;
}
