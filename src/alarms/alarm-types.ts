// What the alarm system is handed each tick and what it answers.
import type { AlarmCode, AlarmInfo, IncubatorEvent, Setpoints } from "../core/api";
import type { StorageFault } from "../core/storage-health";
import type { ControlMode, IncubatorState, SensorFrame } from "../core/types";

export type AlarmEvent = Extract<IncubatorEvent, { type: "alarm" }>;

export interface AlarmInputs {
  /** Monotonic ms. */
  readonly nowMs: number;
  /** Wall-clock epoch ms, for the alarm times. */
  readonly epochMs: number;
  readonly state: IncubatorState;
  /** The selected mode (the effective one is decided here: see AlarmOutputs.effectiveMode). */
  readonly mode: ControlMode;
  readonly setpoints: Setpoints;
  readonly frame: SensorFrame;
  /** Duties actually applied during the tick that just ended, 0..1. */
  readonly heaterDuty: number;
  readonly fanDuty: number;
  /** The controlled temperature has reached steady state (OPERATING) since therapy started
   *  or the setpoint was last raised: cold-side deviation alarms are armed. */
  readonly steadyReached: boolean;
  /** PREHEATING since therapy started (from cold), not re-entered by a raised target or a
   *  mode change; the heater's "no rise" is judged only then. Default: state is PREHEATING. */
  readonly warmUpFromStart?: boolean;
  /** Stores failing now (StorageHealth): one STORAGE_FAULT each while they fail. */
  readonly storageFaults?: readonly StorageFault[];
}

export interface FaultLatch {
  readonly code: AlarmCode;
  readonly reason: string;
  readonly sinceEpochMs: number;
}

export interface AlarmOutputs {
  /** The heater must be off this tick. */
  readonly heaterInhibit: boolean;
  /** Why, one line per cause (empty when not inhibited). */
  readonly inhibitReasons: readonly string[];
  /** An equipment fault or the cut-out has latched: the core must be (or go) in FAULT. */
  readonly fault: FaultLatch | null;
  /** Skin mode has lost its probe and controls the air at `controlSetpointC` instead. */
  readonly skinFallback: boolean;
  readonly effectiveMode: ControlMode;
  /** The temperature the controller should servo to in `effectiveMode`. */
  readonly controlSetpointC: number;
  readonly cutoutLimitC: number;
  /** The independent probe reads at or above the cut-out limit right now. */
  readonly cutoutTripped: boolean;
  /** Active alarms (and latched ones not yet reset), oldest first. */
  readonly alarms: readonly AlarmInfo[];
  /** Alarm events of this tick, in order. */
  readonly events: readonly AlarmEvent[];
}

export interface CommandOutcome {
  readonly ok: boolean;
  readonly message: string;
  readonly events: readonly AlarmEvent[];
}
