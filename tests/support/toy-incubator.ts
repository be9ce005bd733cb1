// A deliberately simple incubator for unit tests of the core: one thermal node for the air,
// a skin node following it, exact sensors. The physical model lives in host-sim/plant.
import { Incubator, type IncubatorOptions } from "../../src/core/incubator";
import type { ActuatorCommand, Reading, SensorFrame } from "../../src/core/types";
import { SimTime } from "../../host-sim/sim-time";

export class ToyPlant {
  air = 25;
  skin = 34;
  rh = 40;
  roomC = 25;
  command: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  /** Per-channel override: a function returning the reading the "driver" reports. */
  faults: Partial<Record<keyof SensorFrame, (nowMs: number) => Reading>> = {};

  step(dtS: number): void {
    // 25 °C room, full heat holds about 45 °C, air time constant 10 min.
    const target = this.roomC + 20 * this.command.heaterDuty;
    this.air += ((target - this.air) * dtS) / 600;
    this.skin += ((this.air + 0.8 - this.skin) * dtS) / 900;
    this.rh += ((this.command.humidifierOn ? 95 : 35) - this.rh) * (dtS / 300);
  }

  frame(nowMs: number): SensorFrame {
    const ok = (value: number): Reading => ({ value, atMs: nowMs });
    const f: Record<keyof SensorFrame, Reading> = {
      air: ok(this.air),
      humidity: ok(this.rh),
      skin: ok(this.skin),
      probeAir: ok(this.air),
      fanRpm: ok(this.command.fanDuty * 3000),
    };
    for (const key of Object.keys(this.faults) as Array<keyof SensorFrame>) f[key] = this.faults[key]!(nowMs);
    return f;
  }
}

export function toyIncubator(options: Partial<IncubatorOptions> = {}) {
  const time = new SimTime();
  const plant = new ToyPlant();
  const incubator = new Incubator({
    clock: time,
    wall: time,
    timers: time,
    sensors: { sample: (nowMs) => plant.frame(nowMs) },
    actuators: { apply: (command) => { plant.command = command; } },
    ...options,
  });
  /** Runs `seconds` of simulated time, stepping the plant every second. */
  const run = (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      time.advance(1000);
      plant.step(1);
    }
  };
  return { time, plant, incubator, run };
}
