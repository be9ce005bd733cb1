// Sensor frames for the alarm unit tests.
import type { Setpoints } from "../../src/core/api";
import type { Reading, SensorFrame } from "../../src/core/types";
import type { AlarmInputs } from "../../src/alarms/alarm-system";

export interface FrameValues {
  air?: number | null;
  probeAir?: number | null;
  skin?: number | null;
  humidity?: number | null;
  fanRpm?: number | null;
}

export function frameOf(nowMs: number, v: FrameValues = {}, faults: Partial<Record<keyof SensorFrame, Reading>> = {}): SensorFrame {
  const r = (value: number | null): Reading => (value === null ? { value: null, atMs: null, fault: "timeout" } : { value, atMs: nowMs });
  return {
    air: faults.air ?? r(v.air === undefined ? 36 : v.air),
    probeAir: faults.probeAir ?? r(v.probeAir === undefined ? (v.air ?? 36) : v.probeAir),
    skin: faults.skin ?? r(v.skin === undefined ? 36.5 : v.skin),
    humidity: faults.humidity ?? r(v.humidity === undefined ? 60 : v.humidity),
    fanRpm: faults.fanRpm ?? r(v.fanRpm === undefined ? 1500 : v.fanRpm),
  };
}

export const SETPOINTS: Setpoints = Object.freeze({ air: 36, skin: 36.5, humidity: 60, override: false });

export function inputs(nowMs: number, v: FrameValues = {}, over: Partial<AlarmInputs> = {}, faults: Partial<Record<keyof SensorFrame, Reading>> = {}): AlarmInputs {
  return {
    nowMs,
    epochMs: 1_768_464_000_000 + nowMs,
    state: "OPERATING",
    mode: "air",
    setpoints: SETPOINTS,
    frame: frameOf(nowMs, v, faults),
    heaterDuty: 0.3,
    fanDuty: 0.5,
    steadyReached: true,
    ...over,
  };
}
