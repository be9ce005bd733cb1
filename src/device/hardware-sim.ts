// Moddable's desktop simulator: the same drivers on simulated buses and chips (the
// host-sim board) reading the physical incubator model, which advances under the
// board's outputs whenever the firmware samples its sensors.
import type { SensorCalibration } from "../../drivers/calibration";
import { SimBoard } from "../../host-sim/sim-board";
import { IncubatorPlant } from "../../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../host-sim/plant/params";
import type { SensorFrame, SensorSource } from "../core/types";
import type { AllocationMeasure, DeviceConfig, Hardware, MonotonicClockAndTimers, OpenHardware } from "./platform";
import { ProbeHeatPermit } from "./probe-heat-permit";

export const openHardware: OpenHardware = (config: DeviceConfig, clock: MonotonicClockAndTimers, log: (text: string) => void, calibration?: SensorCalibration, profile?: AllocationMeasure): Hardware => {
  if (config.crashAfterS > 0) {
    // The crash test (mcconfig ... crashAfterS=20): an exception escaping a timer callback,
    // as a bug would; XS aborts (see docs/device.md, "Fail safe").
    log(`crash test: an exception will escape a timer callback ${config.crashAfterS} s after boot`);
    clock.after(config.crashAfterS * 1000, () => {
      throw new Error("crash test (crashAfterS): an exception escaping a timer callback");
    });
  }
  const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
  let plantMs = clock.now();
  let board: SimBoard | null = null;
  const advance = (nowMs: number): void => {
    const dtS = (nowMs - plantMs) / 1000;
    if (board && dtS > 0) {
      const o = board.outputs;
      if (profile?.enabled) profile.measure("sim: plant step", () => plant.step(dtS, { heaterDuty: o.heaterDuty, fanDuty: o.fanDuty, humidifierOn: o.humidifierOn }));
      else plant.step(dtS, { heaterDuty: o.heaterDuty, fanDuty: o.fanDuty, humidifierOn: o.humidifierOn });
    }
    plantMs = Math.max(plantMs, nowMs);
  };
  const boardSensors: SensorSource = {
    sample(nowMs: number): SensorFrame {
      advance(nowMs);
      if (profile?.enabled) return profile.measure("sim: drivers and chips sample", () => (board as SimBoard).sensors.sample(nowMs));
      return (board as SimBoard).sensors.sample(nowMs);
    },
  };
  const sensors = new ProbeHeatPermit(boardSensors);
  board = new SimBoard({ plant, clock, heatPermit: sensors, calibration });
  const actuators = board.actuators;
  return {
    sensors,
    actuators: {
      apply(command, nowMs) {
        advance(nowMs);
        actuators.apply(command, nowMs);
      },
    },
    alarmSignal: board.alarmSignal,
    description: "simulated board (SHT31, two DS18B20, tachometer) on the incubator model",
  };
};
