// The device side of drivers/bus.ts: ECMA-419 IO classes and Moddable's `onewire` module
// bound to the bus interfaces the drivers use. Pins come from the manifest config, read and
// checked by drivers/board-pins.ts; nothing here holds a pin number of its own.
import Digital from "embedded:io/digital";
import I2C from "embedded:io/i2c";
import PulseCount from "embedded:io/pulsecount";
import PWM from "embedded:io/pwm";
import OneWire from "onewire";
import type { BoardPins, PwmPin } from "../../drivers/board-pins";
import type { DigitalOutput, I2cDevice, OneWireBus, PulseCounter, PwmOutput } from "../../drivers/bus";
import { moddableOneWireBus } from "../../drivers/moddable-onewire";

/** One I2C target. The ECMA-419 class already has the shape of I2cDevice: it throws on NACK. */
export function openI2cDevice(pins: BoardPins["i2c"], address: number): I2cDevice {
  return new I2C({ data: pins.data, clock: pins.clock, hz: pins.hz, address });
}

/** Moddable's `onewire` (on the ESP32 the `espressif/onewire_bus` component over RMT). */
export function openOneWire(pin: number): OneWireBus {
  return moddableOneWireBus(new OneWire({ pin }));
}

export function openPwm(p: PwmPin): PwmOutput {
  // The ESP32 implementation takes `resolution` (modules/io/pwm/esp32/_pwm.c); the SDK's
  // typings of the constructor do not list it.
  return new PWM({ pin: p.pin, hz: p.hz, resolution: p.resolution } as ConstructorParameters<typeof PWM>[0]);
}

export function openDigitalOutput(pin: number): DigitalOutput {
  const out = new Digital({ pin, mode: Digital.Output });
  out.write(0);
  return out;
}

export function openPulseCounter(signal: number): PulseCounter {
  // The ESP32 implementation makes `control` optional (PCNT_PIN_NOT_USED); the typings do not.
  return new PulseCount({ signal } as ConstructorParameters<typeof PulseCount>[0]);
}

export interface BoardBuses {
  readonly i2cSht31: I2cDevice;
  readonly oneWire: OneWireBus;
  readonly tachometer: PulseCounter;
  readonly heater: PwmOutput;
  readonly fan: PwmOutput;
  readonly humidifier: DigitalOutput;
  readonly buzzer: DigitalOutput;
  readonly alarmLed: DigitalOutput;
}

/** Opens every bus of the board. Outputs start off (heater PWM at 0 before anything else). */
export function openBoardBuses(pins: BoardPins, sht31Address: number): BoardBuses {
  const heater = openPwm(pins.heater);
  heater.write(0);
  const fan = openPwm(pins.fan);
  fan.write(0);
  return {
    heater,
    fan,
    humidifier: openDigitalOutput(pins.humidifier),
    buzzer: openDigitalOutput(pins.buzzer),
    alarmLed: openDigitalOutput(pins.alarmLed),
    i2cSht31: openI2cDevice(pins.i2c, sht31Address),
    oneWire: openOneWire(pins.oneWire),
    tachometer: openPulseCounter(pins.tachometer),
  };
}
