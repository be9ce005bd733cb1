// The device side of drivers/bus.ts: ECMA-419 IO classes and Moddable's `onewire` module
// bound to the bus interfaces the drivers use. Pins come from the manifest config (the
// device entry passes them in); nothing here holds a pin number of its own.
import Digital from "embedded:io/digital";
import I2C from "embedded:io/i2c";
import PulseCount from "embedded:io/pulsecount";
import PWM from "embedded:io/pwm";
import OneWire from "onewire";
import type { DigitalOutput, I2cDevice, OneWireBus, PulseCounter, PwmOutput } from "../../drivers/bus";
import { romInWireOrder } from "../../drivers/onewire-rom";

export interface BoardPins {
  readonly i2c: { readonly data: number; readonly clock: number; readonly hz: number; readonly port?: number };
  readonly oneWire: number;
  readonly heater: { readonly pin: number; readonly hz: number };
  readonly fan: { readonly pin: number; readonly hz: number };
  readonly tachometer: number;
  readonly humidifier: number;
  readonly buzzer: number;
  readonly alarmLed: number;
}

/** One I2C target. The ECMA-419 class already has the shape of I2cDevice: it throws on NACK. */
export function openI2cDevice(pins: BoardPins["i2c"], address: number): I2cDevice {
  const options = { data: pins.data, clock: pins.clock, hz: pins.hz, address };
  return pins.port === undefined ? new I2C(options) : new I2C({ ...options, port: pins.port });
}

/** Moddable's `onewire` offers byte-level access and a native search, no bit slots, so the
 *  drivers' ROM search takes its native path here; Match ROM is ours (reset + 0x55 + ROM). */
export function openOneWire(pin: number): OneWireBus {
  const ow = new OneWire({ pin });
  return {
    reset: () => ow.reset(),
    writeByte: (byte: number) => ow.write(byte & 0xff),
    readByte: () => ow.read(),
    readBytes: (count: number) => new Uint8Array(ow.read(count)),
    nativeSearch: () => ow.search().map((rom) => romInWireOrder(new Uint8Array(rom))),
  };
}

export function openPwm(pin: number, hz: number): PwmOutput {
  return new PWM({ pin, hz });
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
  const heater = openPwm(pins.heater.pin, pins.heater.hz);
  heater.write(0);
  const fan = openPwm(pins.fan.pin, pins.fan.hz);
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
