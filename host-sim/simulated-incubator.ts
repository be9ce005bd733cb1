import type { SensorCalibration } from "../drivers/calibration";
import { Incubator, type IncubatorOptions } from "../src/core/incubator";
import type { ActuatorCommand, MonotonicClock, SensorFrame, SensorSource, Timers, WallClock } from "../src/core/types";
import { DirectSensors } from "./direct-sensors";
import { IncubatorPlant, type PlantInputs } from "./plant/model";
import { DEFAULT_PLANT_PARAMS, type PlantParams } from "./plant/params";
import { SimBoard } from "./sim-board";

export type HostTime = MonotonicClock & Timers & WallClock;

/** The incubator's electronics as the simulation sees them. */
export interface SimulatedHardware {
  readonly sensors: SensorSource;
  readonly actuators: IncubatorOptions["actuators"];
  /** What is really on the heater, fan and humidifier outputs now. */
  outputs(): PlantInputs;
  readonly alarmSignal?: IncubatorOptions["alarmSignal"];
}

export interface SimulatedIncubatorOptions extends Partial<Omit<IncubatorOptions, "clock" | "wall" | "timers" | "sensors" | "actuators">> {
  readonly time: HostTime;
  readonly plant?: PlantParams;
  /** Sensor noise seed. */
  readonly seed?: number;
  /**
   * "board" (default): the firmware's drivers on simulated buses with simulated chips;
   * "direct": the plant read directly with the chips' noise (no bus traffic; fastest).
   */
  readonly hardware?: "board" | "direct";
  /** Calibration offsets for the board's drivers ("board" hardware only). */
  readonly calibration?: SensorCalibration;
}

/**
 * The firmware core wired to the physical model. The plant advances lazily to the
 * present, under the outputs actually on the actuators, whenever the firmware reads its
 * sensors or drives its outputs, so the same wiring runs on simulated time (tests,
 * bench) and on real time (`npm start`).
 */
export class SimulatedIncubator {
  readonly plant: IncubatorPlant;
  readonly incubator: Incubator;
  /** The simulated board (chips, buses, drivers) when hardware is "board". */
  readonly board: SimBoard | null;
  readonly hardware: SimulatedHardware;
  private plantMs: number;

  constructor(readonly options: SimulatedIncubatorOptions) {
    const { time, plant, seed, hardware, calibration, ...core } = options;
    this.plant = new IncubatorPlant(plant ?? DEFAULT_PLANT_PARAMS);
    this.plantMs = time.now();
    // The heater driver asks the core for permission; the core exists only below.
    const permit = { heatAllowed: () => this.incubator?.heatAllowed() ?? false };
    if (hardware === "direct") {
      this.board = null;
      this.hardware = directHardware(this.plant, seed ?? 1, permit);
    } else {
      const board = new SimBoard({ plant: this.plant, clock: time, heatPermit: permit, seed, calibration });
      this.board = board;
      this.hardware = { sensors: board.sensors, actuators: board.actuators, outputs: () => board.outputs, alarmSignal: board.alarmSignal };
    }
    const inner = this.hardware;
    const sensors: SensorSource = {
      sample: (nowMs: number): SensorFrame => {
        this.advancePlant(nowMs);
        return inner.sensors.sample(nowMs);
      },
    };
    this.incubator = new Incubator({
      alarmSignal: inner.alarmSignal,
      ...core,
      clock: time,
      wall: time,
      timers: time,
      sensors,
      actuators: { apply: (command, nowMs) => { this.advancePlant(nowMs); inner.actuators.apply(command, nowMs); } },
    });
  }

  /** Brings the plant up to `nowMs` under the outputs on the actuators until now. */
  advancePlant(nowMs: number): void {
    const dtS = (nowMs - this.plantMs) / 1000;
    if (dtS > 0) this.plant.step(dtS, this.hardware.outputs());
    this.plantMs = Math.max(this.plantMs, nowMs);
  }
}

function directHardware(plant: IncubatorPlant, seed: number, permit: { heatAllowed(): boolean }): SimulatedHardware {
  let applied: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  return {
    sensors: new DirectSensors(plant, { seed }),
    actuators: { apply: (command) => { applied = command; } },
    outputs: () => ({ ...applied, heaterDuty: permit.heatAllowed() ? applied.heaterDuty : 0 }),
  };
}
