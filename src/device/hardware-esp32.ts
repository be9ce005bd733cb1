// The IncuNest board: the drivers on the ESP32's buses, pins from the manifest config.
import { ActuatorBank } from "../../drivers/actuator-bank";
import { boardPinsFromConfig } from "../../drivers/board-pins";
import type { SensorCalibration } from "../../drivers/calibration";
import { AlarmSignal } from "../../drivers/buzzer";
import { SensorArray, UnavailableSensors } from "../../drivers/sensor-array";
import { SHT31 } from "../../drivers/sht31";
import { openBoardBuses, type BoardBuses } from "./buses";
import type { DeviceConfig, Hardware, MonotonicClockAndTimers, OpenHardware } from "./platform";
import { ProbeHeatPermit } from "./probe-heat-permit";

/** No buses: every channel absent (SENSOR_FAULT), nothing driven. The pins float, so the
 *  board's pull-downs keep heater and fan off. */
function unavailable(why: string, log: (text: string) => void): Hardware {
  log(`WARNING: board not opened: ${why}`);
  return {
    sensors: new UnavailableSensors(`board not opened: ${why}`),
    actuators: { apply() {} },
    alarmSignal: { set() {} },
    description: `ESP32 board NOT OPENED: ${why}`,
  };
}

export const openHardware: OpenHardware = (config: DeviceConfig, clock: MonotonicClockAndTimers, log: (text: string) => void, calibration?: SensorCalibration): Hardware => {
  const read = boardPinsFromConfig(config.pins);
  if (!read.ok) return unavailable(read.problems.join("; "), log);
  const pins = read.pins;
  let buses: BoardBuses;
  try {
    buses = openBoardBuses(pins, SHT31.ADDRESS);
  } catch (e) {
    return unavailable(String(e), log);
  }
  const array = new SensorArray(
    { i2cSht31: buses.i2cSht31, oneWire: buses.oneWire, tachometer: buses.tachometer },
    { skinRom: config.skinRom, probeAirRom: config.probeAirRom, resolution: 12, tachPulsesPerRevolution: pins.tachPulsesPerRevolution, calibration, clock },
  );
  // The first sample runs the 1-Wire ROM search: say what it found, once.
  let reported = false;
  const sensors = new ProbeHeatPermit({
    sample(nowMs: number) {
      const frame = array.sample(nowMs);
      const inventory = array.inventory;
      if (!reported && inventory) {
        reported = true;
        log(`1-Wire: found ${inventory.found.length ? inventory.found.join(", ") : "no DS18B20"}${inventory.problems.length ? `; ${inventory.problems.join("; ")}` : ""}`);
      }
      return frame;
    },
  });
  const actuators = new ActuatorBank({ heater: buses.heater, fan: buses.fan, humidifier: buses.humidifier }, sensors, { heaterMaxDuty: 1 });
  if (!config.skinRom || !config.probeAirRom) log("DS18B20 ROM codes not configured (config.skinRom / config.probeAirRom): the boot log lists the ROM codes found");
  return {
    sensors,
    actuators,
    alarmSignal: new AlarmSignal(buses.buzzer, buses.alarmLed),
    description: `ESP32 board: SHT31 on I2C ${pins.i2c.data}/${pins.i2c.clock}, DS18B20s on 1-Wire ${pins.oneWire}, heater PWM ${pins.heater.hz} Hz/${pins.heater.resolution} bits, fan PWM ${pins.fan.hz} Hz/${pins.fan.resolution} bits`,
  };
};
