import { Incubator, type PersistedSettings } from "../src/core/incubator";
import type { ActuatorCommand, MonotonicClock, SensorFrame, SensorSource, Timers, WallClock } from "../src/core/types";
import { DirectSensors } from "./direct-sensors";
import { IncubatorPlant } from "./plant/model";
import { DEFAULT_PLANT_PARAMS, type PlantParams } from "./plant/params";

export type HostTime = MonotonicClock & Timers & WallClock;

export interface SimulatedIncubatorOptions {
  readonly time: HostTime;
  readonly plant?: PlantParams;
  /** Sensor noise seed. */
  readonly seed?: number;
  /** Builds the sensor side from the plant; defaults to the plant read directly with the chips' noise. */
  readonly sensors?: (plant: IncubatorPlant) => SensorSource;
  readonly settings?: PersistedSettings;
  readonly persist?: (settings: PersistedSettings) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * The firmware core wired to the physical model: the plant advances lazily to the
 * present, under the actuator outputs last applied, whenever the firmware reads its
 * sensors, so the same wiring runs on simulated time (tests, bench) and real time
 * (`npm start`).
 */
export class SimulatedIncubator {
  readonly plant: IncubatorPlant;
  readonly sensors: SensorSource;
  readonly incubator: Incubator;
  private command: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  private plantMs: number;

  constructor(readonly options: SimulatedIncubatorOptions) {
    this.plant = new IncubatorPlant(options.plant ?? DEFAULT_PLANT_PARAMS);
    this.plantMs = options.time.now();
    const inner = options.sensors?.(this.plant) ?? new DirectSensors(this.plant, { seed: options.seed ?? 1 });
    this.sensors = inner;
    const sensors: SensorSource = {
      sample: (nowMs: number): SensorFrame => {
        this.advancePlant(nowMs);
        return inner.sample(nowMs);
      },
    };
    this.incubator = new Incubator({
      clock: options.time,
      wall: options.time,
      timers: options.time,
      sensors,
      actuators: { apply: (command, nowMs) => { this.advancePlant(nowMs); this.command = command; } },
      settings: options.settings,
      persist: options.persist,
      onError: options.onError,
    });
  }

  /** The actuator outputs the plant is currently under. */
  get applied(): ActuatorCommand {
    return this.command;
  }

  /** Brings the plant up to `nowMs` under the outputs last applied. */
  advancePlant(nowMs: number): void {
    const dtS = (nowMs - this.plantMs) / 1000;
    if (dtS > 0) this.plant.step(dtS, this.command);
    this.plantMs = Math.max(this.plantMs, nowMs);
  }
}
