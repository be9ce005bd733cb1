import type { ActuatorCommand, ControlMode, SensorSource } from "../../src/core/types";
import { DirectSensors } from "../direct-sensors";
import { IncubatorPlant } from "../plant/model";
import type { PlantParams } from "../plant/params";
import { SimTime } from "../sim-time";

/** What a controller under test gets: the same clock, sensors and actuator path for every one. */
export interface ControllerIo {
  readonly time: SimTime;
  readonly sensors: SensorSource;
  apply(command: ActuatorCommand): void;
}

/** A controller the bench can drive through the same scenario as every other. */
export interface BenchController {
  /** Wires the controller to the rig; called once, at time 0. */
  attach(io: ControllerIo): void;
  setMode(mode: ControlMode): void;
  /** The active mode's temperature setpoint. */
  setTemperature(c: number): void;
  setHumidity(rh: number): void;
  /** Starts therapy (STANDBY → PREHEATING). */
  start(): void;
}

export interface ControllerEntry {
  readonly name: string;
  readonly create: () => BenchController;
}

/**
 * One plant, one set of sensors and one simulated clock for one controller: the plant steps
 * once per second with whatever the controller applied at its last tick.
 */
export class BenchRig {
  readonly time = new SimTime();
  readonly plant: IncubatorPlant;
  readonly sensors: DirectSensors;
  command: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };

  constructor(params: PlantParams, readonly controller: BenchController, seed = 2026) {
    this.plant = new IncubatorPlant(params);
    // A calibrated sensor set (noise and quantisation, no offsets): the bench measures control, not calibration.
    this.sensors = new DirectSensors(this.plant, { seed, offsets: "none" });
    controller.attach({ time: this.time, sensors: this.sensors, apply: (c) => { this.command = c; } });
  }

  /** Advances one second: timers (the controller's tick) fire, then the plant integrates that second. */
  second(): void {
    this.time.advance(1000);
    this.plant.step(1, this.command);
  }

  run(seconds: number, each?: () => void): void {
    for (let i = 0; i < seconds; i++) {
      this.second();
      each?.();
    }
  }
}
