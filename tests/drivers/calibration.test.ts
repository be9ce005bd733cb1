import assert from "node:assert/strict";
import type { SensorCalibration } from "../../drivers/calibration";
import { SHT31, Sht31 } from "../../drivers/sht31";
import { SimI2cBus } from "../../host-sim/chips/i2c-bus";
import { SimSht31 } from "../../host-sim/chips/sht31";
import { SeededRandom } from "../../host-sim/seeded-random";
import { SimBoard } from "../../host-sim/sim-board";
import { SimTime } from "../../host-sim/sim-time";
import { IncubatorPlant } from "../../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../host-sim/plant/params";

/** A calibration the test changes between readings, as the REST config does. */
function calibration(): SensorCalibration & { airOffsetC: number; skinOffsetC: number; humidityOffsetRh: number } {
  return { airOffsetC: 0, skinOffsetC: 0, humidityOffsetRh: 0 };
}

describe("calibration offsets in the drivers", () => {
  it("the SHT31 driver adds the air and humidity offsets to its conversions, from the next reading on, humidity kept within 0..100", () => {
    const time = new SimTime();
    const bus = new SimI2cBus();
    const env = { airC: 30, rh: 96 };
    bus.attach(SHT31.ADDRESS, new SimSht31(() => env.airC, () => env.rh, time, new SeededRandom(3), { tSdC: 0, rhSd: 0 }));
    const cal = calibration();
    const driver = new Sht31(bus.open(SHT31.ADDRESS), cal);
    const read = () => {
      time.advance(1000);
      return driver.sample(time.now());
    };
    read();
    const plain = read();
    cal.airOffsetC = -1.25;
    cal.humidityOffsetRh = 6;
    read(); // the measurement commanded before the change is converted with the new offsets
    const offset = read();
    assert.ok(Math.abs(offset.air.value! - (plain.air.value! - 1.25)) < 0.01, `${plain.air.value} → ${offset.air.value}`);
    assert.equal(offset.humidity.value, 100, "96 %RH + 6 is clamped to 100");
    cal.humidityOffsetRh = -10;
    const low = read();
    assert.ok(Math.abs(low.humidity.value! - (plain.humidity.value! - 10)) < 0.01);
  });

  it("the board's skin probe takes the skin offset; the outlet probe (cut-out channel) none", () => {
    const time = new SimTime();
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const cal = calibration();
    const board = new SimBoard({ plant, clock: time, heatPermit: { heatAllowed: () => false }, seed: 9, calibration: cal });
    const sample = () => {
      time.advance(1000);
      return board.sensors.sample(time.now());
    };
    for (let i = 0; i < 3; i++) sample();
    const before = sample();
    cal.skinOffsetC = 1.5;
    cal.airOffsetC = 0.5;
    sample();
    const after = sample();
    assert.ok(Math.abs(after.skin.value! - before.skin.value! - 1.5) < 0.2, `skin ${before.skin.value} → ${after.skin.value}`);
    assert.ok(Math.abs(after.air.value! - before.air.value! - 0.5) < 0.2, `air ${before.air.value} → ${after.air.value}`);
    assert.ok(Math.abs(after.probeAir.value! - before.probeAir.value!) < 0.2, `outlet probe ${before.probeAir.value} → ${after.probeAir.value}`);
  });
});
