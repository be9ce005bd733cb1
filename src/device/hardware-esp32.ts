// The IncuNest board: the drivers on the ESP32's buses, pins from the manifest config.
import { ActuatorBank } from "../../drivers/actuator-bank";
import type { SensorCalibration } from "../../drivers/calibration";
import { AlarmSignal } from "../../drivers/buzzer";
import { SensorArray } from "../../drivers/sensor-array";
import { SHT31 } from "../../drivers/sht31";
import { openBoardBuses, type BoardPins } from "./buses";
import type { DeviceConfig, Hardware, MonotonicClockAndTimers, OpenHardware } from "./platform";
import { ProbeHeatPermit } from "./probe-heat-permit";

function boardPins(p: Readonly<Record<string, number>>): BoardPins {
  return {
    i2c: { data: p.i2cSda, clock: p.i2cScl, hz: p.i2cHz ?? 100_000 },
    oneWire: p.oneWire,
    heater: { pin: p.heater, hz: p.heaterHz ?? 10 },
    fan: { pin: p.fan, hz: p.fanHz ?? 25_000 },
    tachometer: p.fanTach,
    humidifier: p.humidifier,
    buzzer: p.buzzer,
    alarmLed: p.alarmLed,
  };
}

export const openHardware: OpenHardware = (config: DeviceConfig, clock: MonotonicClockAndTimers, log: (text: string) => void, calibration?: SensorCalibration): Hardware => {
  const buses = openBoardBuses(boardPins(config.pins), SHT31.ADDRESS);
  const array = new SensorArray(
    { i2cSht31: buses.i2cSht31, oneWire: buses.oneWire, tachometer: buses.tachometer },
    { skinRom: config.skinRom, probeAirRom: config.probeAirRom, resolution: 12, tachPulsesPerRevolution: config.pins.tachPulses ?? 2, calibration, clock },
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
    description: `ESP32 board: SHT31 on I2C ${config.pins.i2cSda}/${config.pins.i2cScl}, DS18B20s on 1-Wire ${config.pins.oneWire}`,
  };
};
