// The simulator's hardware: a small thermal model of the incubator behind ideal sensors,
// stepped once per sample. (Placeholder until the simulated chips and the plant model
// are bound here.)
import type { ActuatorCommand, Reading, SensorFrame } from "../core/types";
import type { DeviceConfig, Hardware, MonotonicClockAndTimers, OpenHardware } from "./platform";

export const openHardware: OpenHardware = (_config: DeviceConfig, _clock: MonotonicClockAndTimers, _log: (text: string) => void): Hardware => {
  let air = 25;
  let skin = 34;
  let rh = 40;
  let lastMs: number | null = null;
  let command: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  const ok = (value: number, atMs: number): Reading => ({ value, atMs });
  return {
    description: "simulated incubator (ideal sensors, one-node thermal model)",
    sensors: {
      sample(nowMs: number): SensorFrame {
        const dtS = lastMs === null ? 0 : Math.min(10, (nowMs - lastMs) / 1000);
        lastMs = nowMs;
        air += ((25 + 20 * command.heaterDuty - air) * dtS) / 600;
        skin += ((air + 0.8 - skin) * dtS) / 900;
        rh += ((command.humidifierOn ? 95 : 35) - rh) * (dtS / 300);
        return { air: ok(air, nowMs), humidity: ok(rh, nowMs), skin: ok(skin, nowMs), probeAir: ok(air, nowMs), fanRpm: ok(command.fanDuty * 3000, nowMs) };
      },
    },
    actuators: {
      apply(next: ActuatorCommand): void {
        command = next;
      },
    },
  };
};
