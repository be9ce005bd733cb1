import type { ActuatorCommand, ActuatorSink } from "../src/core/types";
import type { DigitalOutput, PwmOutput } from "./bus";
import { Fan } from "./fan";
import { Heater, type HeatPermit } from "./heater";
import { Humidifier } from "./humidifier";

export interface ActuatorOutputs {
  readonly heater: PwmOutput;
  readonly fan: PwmOutput;
  readonly humidifier: DigitalOutput;
}

export interface ActuatorBankOptions {
  readonly heaterMaxDuty: number;
}

/** What the outputs were last set to, after clamp and interlock. */
export interface AppliedActuators {
  readonly heaterDuty: number;
  readonly heaterInterlocked: boolean;
  readonly fanDuty: number;
  readonly humidifierOn: boolean;
  readonly errors: readonly string[];
}

/** The board's ActuatorSink: heater (max-duty clamp + heat permit interlock), fan, humidifier. */
export class ActuatorBank implements ActuatorSink {
  readonly heater: Heater;
  readonly fan: Fan;
  readonly humidifier: Humidifier;

  constructor(outputs: ActuatorOutputs, permit: HeatPermit, options: ActuatorBankOptions) {
    this.heater = new Heater(outputs.heater, permit, { maxDuty: options.heaterMaxDuty });
    this.fan = new Fan(outputs.fan);
    this.humidifier = new Humidifier(outputs.humidifier);
  }

  apply(command: ActuatorCommand, nowMs: number): void {
    this.heater.set(command.heaterDuty, nowMs);
    this.fan.set(command.fanDuty);
    this.humidifier.set(command.humidifierOn === true);
  }

  get applied(): AppliedActuators {
    const errors = [this.heater.lastError, this.fan.lastError, this.humidifier.lastError].filter((e): e is string => e !== null);
    return {
      heaterDuty: this.heater.duty,
      heaterInterlocked: this.heater.interlocked,
      fanDuty: this.fan.duty,
      humidifierOn: this.humidifier.on,
      errors,
    };
  }
}
