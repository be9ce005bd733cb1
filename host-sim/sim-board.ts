import { ActuatorBank } from "../drivers/actuator-bank";
import { AlarmSignal } from "../drivers/buzzer";
import type { Ds18b20Resolution } from "../drivers/ds18b20";
import type { HeatPermit } from "../drivers/heater";
import { romToHex } from "../drivers/onewire-rom";
import type { SensorCalibration } from "../drivers/calibration";
import { SensorArray } from "../drivers/sensor-array";
import { SHT31 } from "../drivers/sht31";
import type { MonotonicClock } from "../src/core/types";
import { ds18b20Rom, SimDs18b20 } from "./chips/ds18b20";
import { SimI2cBus } from "./chips/i2c-bus";
import { SimDigitalOut, SimPulseCounter, SimPwm } from "./chips/io";
import { SimOneWireBus } from "./chips/onewire-bus";
import { SeededRandom } from "./seeded-random";
import { SimSht31 } from "./chips/sht31";

/** The part of the incubator model the board needs: what the sensors sit in, and the
 *  model's own failure switches (host-sim/plant/model.ts provides these). */
export interface PlantLike {
  /** What the chips measure, read each time they measure. */
  readonly sensed: {
    readonly airC: number;
    readonly outletAirC: number;
    readonly skinC: number;
    readonly rh: number;
    readonly fanRpm: number;
  };
  readonly faults: { heaterBroken: boolean; fanStuck: boolean };
}

export interface SimBoardOptions {
  readonly plant: PlantLike;
  readonly clock: MonotonicClock;
  /** The safety layer's permission to heat; the heater output is 0 whenever it says no. */
  readonly heatPermit: HeatPermit;
  /** Seed for sensor noise and fault dice. */
  readonly seed?: number;
  readonly heaterMaxDuty?: number;
  readonly resolution?: Ds18b20Resolution;
  /** Calibration offsets the drivers apply (set through the REST config). */
  readonly calibration?: SensorCalibration;
}

/** The simulated board's probe ROM codes (valid CRCs), as its config would list them. */
export const SIM_BOARD_ROMS = Object.freeze({
  skin: romToHex(ds18b20Rom(0x0000_0a1b_2c3d)),
  probeAir: romToHex(ds18b20Rom(0x0000_0a1b_2c7e)),
});

export const TACH_PULSES_PER_REVOLUTION = 2;

/** What the drivers put on the outputs, for feeding the plant. */
export interface BoardOutputs {
  readonly heaterDuty: number;
  readonly fanDuty: number;
  readonly humidifierOn: boolean;
  readonly buzzerOn: boolean;
  readonly alarmLedOn: boolean;
}

/**
 * The IncuNest board in simulation: the firmware's drivers on simulated buses with
 * simulated chips that read the plant. `sensors` and `actuators` are what the core gets.
 */
export class SimBoard {
  readonly oneWire = new SimOneWireBus();
  readonly i2c = new SimI2cBus();
  readonly skinChip: SimDs18b20;
  readonly probeAirChip: SimDs18b20;
  readonly sht31Chip: SimSht31;
  readonly heaterPwm = new SimPwm(10);
  readonly fanPwm = new SimPwm(10);
  readonly humidifierOut = new SimDigitalOut();
  readonly buzzerOut = new SimDigitalOut();
  readonly alarmLedOut = new SimDigitalOut();
  readonly tachometer: SimPulseCounter;
  readonly sensors: SensorArray;
  readonly actuators: ActuatorBank;
  readonly alarmSignal: AlarmSignal;
  /** Power-stage failures past the drivers: what the outputs really do, whatever is written. */
  readonly outputFaults: { heaterStuckOn: boolean; humidifier: "stuck-on" | "dead" | null } = { heaterStuckOn: false, humidifier: null };

  constructor(readonly options: SimBoardOptions) {
    const { plant, clock } = options;
    const prng = new SeededRandom(options.seed ?? 0x1c0ffee);
    this.skinChip = new SimDs18b20(ds18b20Rom(0x0000_0a1b_2c3d), () => plant.sensed.skinC, clock, prng);
    this.probeAirChip = new SimDs18b20(ds18b20Rom(0x0000_0a1b_2c7e), () => plant.sensed.outletAirC, clock, prng);
    this.oneWire.attach(this.skinChip);
    this.oneWire.attach(this.probeAirChip);
    this.sht31Chip = new SimSht31(() => plant.sensed.airC, () => plant.sensed.rh, clock, prng);
    this.i2c.attach(SHT31.ADDRESS, this.sht31Chip);
    this.tachometer = new SimPulseCounter(() => plant.sensed.fanRpm, clock, TACH_PULSES_PER_REVOLUTION);

    this.sensors = new SensorArray(
      { i2cSht31: this.i2c.open(SHT31.ADDRESS), oneWire: this.oneWire, tachometer: this.tachometer },
      {
        skinRom: SIM_BOARD_ROMS.skin,
        probeAirRom: SIM_BOARD_ROMS.probeAir,
        resolution: options.resolution ?? 12,
        tachPulsesPerRevolution: TACH_PULSES_PER_REVOLUTION,
        clock,
        calibration: options.calibration,
      },
    );
    this.actuators = new ActuatorBank(
      { heater: this.heaterPwm, fan: this.fanPwm, humidifier: this.humidifierOut },
      options.heatPermit,
      { heaterMaxDuty: options.heaterMaxDuty ?? 1 },
    );
    this.alarmSignal = new AlarmSignal(this.buzzerOut, this.alarmLedOut);
  }

  get plant(): PlantLike {
    return this.options.plant;
  }

  get outputs(): BoardOutputs {
    const { heaterStuckOn, humidifier } = this.outputFaults;
    return {
      heaterDuty: heaterStuckOn ? 1 : this.heaterPwm.duty,
      fanDuty: this.fanPwm.duty,
      humidifierOn: humidifier === null ? this.humidifierOut.value === 1 : humidifier === "stuck-on",
      buzzerOn: this.buzzerOut.value === 1,
      alarmLedOn: this.alarmLedOut.value === 1,
    };
  }
}
