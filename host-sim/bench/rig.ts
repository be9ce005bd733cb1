import type { ActuatorCommand, ControlMode, SensorFrame, SensorSource } from "../../src/core/types";
import { DirectSensors } from "../direct-sensors";
import { IncubatorPlant, type SavedPlantState } from "../plant/model";
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
  /** Wires the controller to the rig and boots it; called once, at time 0. */
  attach(io: ControllerIo): void;
  setMode(mode: ControlMode): void;
  /** The active mode's temperature setpoint. */
  setTemperature(c: number): void;
  setHumidity(rh: number): void;
  /** Starts therapy (STANDBY → PREHEATING). */
  start(): void;
  /** Mains off: the controller stops at once and forgets whatever a reboot forgets. */
  powerOff(): void;
  /** Mains back: it boots again and resumes therapy with what it kept. */
  powerOn(): void;
}

export interface ControllerEntry {
  readonly name: string;
  /** A new controller for `params`: the per-plant references are tuned from the true model. */
  readonly create: (params: PlantParams) => BenchController;
}

export interface RigOptions {
  /** Sensor noise seed. */
  readonly seed?: number;
  /** "off": the rig holds the humidifier off whatever the controller asks (the temperature
   *  scenarios, so that its latent heat is the same for everyone); "controller": as asked. */
  readonly humidifier?: "off" | "controller";
}

const IDLE: ActuatorCommand = Object.freeze({ heaterDuty: 0, fanDuty: 0, humidifierOn: false });

/** Forwards to the current sensor set, so that the rig can replace it (new state, new seed). */
class SwappableSensors implements SensorSource {
  constructor(public current: DirectSensors) {}
  sample(nowMs: number): SensorFrame {
    return this.current.sample(nowMs);
  }
}

/**
 * One plant, one set of sensors and one simulated clock for one controller: the plant steps
 * once per second with whatever the controller applied at its last tick. The bench can put
 * the plant into a saved state (every controller then meets a scenario's event from the same
 * state), cut the mains, and in temperature scenarios hold the humidifier off.
 */
export class BenchRig {
  readonly time = new SimTime();
  readonly plant: IncubatorPlant;
  private readonly sensors: SwappableSensors;
  command: ActuatorCommand = IDLE;
  private powered = true;
  private readonly humidifierMode: "off" | "controller";
  private seed: number;

  constructor(params: PlantParams, readonly controller: BenchController, options: RigOptions = {}) {
    this.plant = new IncubatorPlant(params);
    this.seed = options.seed ?? 2026;
    this.humidifierMode = options.humidifier ?? "controller";
    // A calibrated sensor set (noise and quantisation, no offsets): the bench measures control, not calibration.
    this.sensors = new SwappableSensors(new DirectSensors(this.plant, { seed: this.seed, offsets: "none" }));
    controller.attach({
      time: this.time,
      sensors: this.sensors,
      apply: (c) => {
        if (this.powered) this.command = this.humidifierMode === "off" && c.humidifierOn ? { ...c, humidifierOn: false } : c;
      },
    });
  }

  /** Advances one second: timers (the controller's tick) fire, then the plant integrates that second. */
  second(): void {
    this.time.advance(1000);
    this.plant.step(1, this.powered ? this.command : IDLE);
  }

  run(seconds: number, each?: () => void): void {
    for (let i = 0; i < seconds; i++) {
      this.second();
      each?.();
    }
  }

  /** Puts the plant into `state`; the sensors start again on it (their lag settled) with a new noise stream. */
  restore(state: SavedPlantState, noiseStream: number): void {
    this.plant.restoreState(state);
    this.sensors.current = new DirectSensors(this.plant, { seed: this.seed * 7919 + noiseStream, offsets: "none" });
    // A first reading now, so that the sensors' own lag runs from here (a first sample after a
    // mains cut would otherwise still show the state they were created on).
    this.sensors.current.sample(this.time.now());
  }

  /** Cuts the mains: every actuator stops, the controller with it. */
  powerOff(): void {
    this.powered = false;
    this.command = IDLE;
    this.controller.powerOff();
  }

  powerOn(): void {
    this.powered = true;
    this.controller.powerOn();
  }
}
