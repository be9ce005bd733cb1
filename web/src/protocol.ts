// The /ws messages the app reads (seed 000 with PRODUCT.md's additions), as sent.

export type IncubatorState = "STANDBY" | "PREHEATING" | "OPERATING" | "FAULT";
export type Priority = "high" | "medium" | "low";

export interface SensorData {
  readonly temperature: { readonly ambient: number | null; readonly skin: number | null };
  readonly humidity: number | null;
  readonly heater_power: number;
  readonly fan_speed: number;
  readonly humidifier: boolean;
  readonly setpoint?: { readonly temperature: number; readonly humidity: number };
  readonly mode?: "air" | "skin";
  /** The mode in control: "air" while skin mode has fallen back on a skin probe fault. */
  readonly effective_mode?: "air" | "skin";
  readonly state?: IncubatorState;
}

export interface AlarmData {
  readonly id: number;
  readonly code: string;
  readonly level: string;
  readonly message: string;
  readonly active: boolean;
  readonly priority?: Priority;
  readonly acknowledged?: boolean;
  readonly latching?: boolean;
  readonly value?: number | null;
  readonly limit?: number | null;
  readonly raised_at?: string | null;
  readonly acknowledged_at?: string | null;
  readonly cleared_at?: string | null;
}

export interface StateChangeData {
  readonly previous_state: IncubatorState | null;
  readonly new_state: IncubatorState;
  readonly reason?: string;
}

export interface CommandResponseData {
  readonly command_id: string | number | null;
  readonly success: boolean;
  readonly message: string;
  readonly code?: number;
}

export type ServerMessage =
  | { readonly type: "sensor_update"; readonly timestamp: string; readonly data: SensorData }
  | { readonly type: "alarm"; readonly timestamp: string; readonly data: AlarmData }
  | { readonly type: "state_change"; readonly timestamp: string; readonly data: StateChangeData }
  | { readonly type: "command_response"; readonly timestamp: string; readonly data: CommandResponseData }
  | { readonly type: "error"; readonly timestamp: string; readonly data: { readonly code: number; readonly message: string } }
  | { readonly type: "pong"; readonly timestamp: string };

/** What a command came to: the firmware's answer, or why there was none. */
export interface CommandOutcome {
  readonly success: boolean;
  readonly message: string;
  readonly code?: number;
}

/** Close codes the app treats specially. */
export const CLOSE_UNAUTHORISED = 4000;
export const CLOSE_SERVER_FULL = 1013;
