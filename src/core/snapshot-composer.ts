// The frozen snapshot the core publishes: composed once per control tick, and refreshed
// between ticks when a command or an alarm changes what it shows.
import type { AlarmInfo, Setpoints, Snapshot } from "./api";
import type { SchedulerStats } from "./scheduler";
import type { ActuatorCommand, ControlMode, IncubatorState, SensorFrame, WallClock } from "./types";

/** What the actuators were told before the first tick. */
export const NOTHING_APPLIED: ActuatorCommand = Object.freeze({ heaterDuty: 0, fanDuty: 0, humidifierOn: false });

/** The snapshot of a tick: its measurements (none before the first), what the actuators
 *  were told, and the state, settings and active alarms in force. */
export function composeSnapshot(
  state: IncubatorState, mode: ControlMode, setpoints: Setpoints, alarms: readonly AlarmInfo[],
  frame: SensorFrame | null, applied: ActuatorCommand, effectiveMode: ControlMode, stats: SchedulerStats, wall: WallClock,
): Snapshot {
  return Object.freeze({
    seq: stats.ticks,
    epochMs: wall.epochMs(),
    clockSet: wall.isSet(),
    state,
    mode,
    effectiveMode,
    setpoints,
    temperatureSetpoint: mode === "skin" ? setpoints.skin : setpoints.air,
    air: frame?.air.value ?? null,
    skin: frame?.skin.value ?? null,
    probeAir: frame?.probeAir.value ?? null,
    humidity: frame?.humidity.value ?? null,
    fanRpm: frame?.fanRpm.value ?? null,
    heaterPercent: round1(applied.heaterDuty * 100),
    fanPercent: round1(applied.fanDuty * 100),
    humidifierOn: applied.humidifierOn,
    alarms,
    overruns: stats.overruns,
    skippedTicks: stats.skipped,
  });
}

/** Between ticks, a command's effect shows at once; measurements stay those of the last tick. */
export function refreshedSnapshot(previous: Snapshot, state: IncubatorState, mode: ControlMode, setpoints: Setpoints, alarms: readonly AlarmInfo[]): Snapshot {
  return Object.freeze({
    ...previous,
    state,
    mode,
    setpoints,
    temperatureSetpoint: mode === "skin" ? setpoints.skin : setpoints.air,
    alarms,
  });
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
