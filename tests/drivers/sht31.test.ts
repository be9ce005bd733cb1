import assert from "node:assert/strict";
import { SHT31, Sht31 } from "../../drivers/sht31";
import { SimI2cBus } from "../../host-sim/chips/i2c-bus";
import { SeededRandom } from "../../host-sim/seeded-random";
import { SimSht31 } from "../../host-sim/chips/sht31";
import { SimTime } from "../../host-sim/sim-time";

function rig(env = { airC: 33.3, rh: 61.2 }) {
  const time = new SimTime();
  const bus = new SimI2cBus();
  const chip = new SimSht31(() => env.airC, () => env.rh, time, new SeededRandom(5), { tSdC: 0.01, rhSd: 0.03 });
  bus.attach(SHT31.ADDRESS, chip);
  const i2c = bus.open(SHT31.ADDRESS);
  return { time, env, chip, i2c, driver: new Sht31(i2c) };
}

describe("SHT31 driver on a simulated I2C bus", () => {
  it("reads status and clears it, then measures: values arrive one tick after the command", () => {
    const { time, driver } = rig();
    let r = driver.sample(time.now());
    assert.equal(r.air.value, null);
    assert.equal(r.air.fault, "stale");
    assert.equal(driver.counters.lastStatus, 0x8010); // alert pending + reset detected after power-up
    time.advance(1000);
    r = driver.sample(time.now());
    assert.ok(Math.abs((r.air.value ?? NaN) - 33.3) < 0.06, `air ${r.air.value}`);
    assert.ok(Math.abs((r.humidity.value ?? NaN) - 61.2) < 0.2, `rh ${r.humidity.value}`);
    assert.equal(r.air.atMs, 0);
  });

  it("the chip NACKs the read header while measuring; the driver does not read before 15 ms", () => {
    const { time, chip, i2c, driver } = rig();
    driver.sample(time.now());
    time.advance(1000);
    driver.sample(time.now()); // commanded a new measurement at t=1000
    time.advance(5);
    assert.throws(() => i2c.read(6), /not acknowledged/);
    const before = chip.measurements;
    const r = driver.sample(time.now()); // 5 ms later: too early, nothing on the bus
    assert.equal(r.air.atMs, 0);
    assert.equal(chip.measurements, before);
    time.advance(10);
    assert.equal(driver.sample(time.now()).air.atMs, 1000);
  });

  it("a NACKing chip is absent within one tick, gets a soft reset after repeated failures, and recovers", () => {
    const { time, chip, driver } = rig();
    driver.sample(time.now());
    time.advance(1000);
    assert.notEqual(driver.sample(time.now()).air.value, null);
    chip.faults.nack = true;
    time.advance(1000);
    let r = driver.sample(time.now());
    assert.equal(r.air.fault, "absent");
    assert.equal(r.humidity.fault, "absent");
    assert.equal(r.air.faultSinceMs, 2000);
    for (let i = 0; i < SHT31.FAILURES_BEFORE_RESET; i++) {
      time.advance(1000);
      r = driver.sample(time.now());
    }
    assert.ok(driver.counters.softResets >= 1);
    chip.faults.nack = false;
    for (let i = 0; i < 3; i++) {
      time.advance(1000);
      r = driver.sample(time.now());
    }
    assert.notEqual(r.air.value, null);
    assert.equal(r.air.fault, undefined);
  });

  it("the soft reset reaches the chip when it answers but its data is bad", () => {
    const { time, chip, driver } = rig();
    chip.faults.crcErrorRate = 1;
    for (let i = 0; i <= SHT31.FAILURES_BEFORE_RESET + 1; i++) {
      driver.sample(time.now());
      time.advance(1000);
    }
    assert.ok(chip.softResets >= 1);
    assert.ok(driver.counters.crcErrors >= SHT31.FAILURES_BEFORE_RESET);
  });

  it("a CRC error costs only its own word's channel", () => {
    const { time, driver, i2c } = rig();
    driver.sample(time.now());
    time.advance(1000);
    // Hand-built frame: good temperature word, humidity word with a wrong CRC.
    const frame = Uint8Array.of(0x66, 0x66, 0, 0x80, 0x00, 0);
    const { crc8Sensirion } = require_crc();
    frame[2] = crc8Sensirion(frame, 0);
    frame[5] = crc8Sensirion(frame, 3) ^ 0xff;
    const d = new Sht31({ write: () => undefined, read: () => frame.slice().buffer });
    d.sample(0);
    const r = d.sample(1000);
    assert.ok(Math.abs((r.air.value ?? NaN) - 25) < 0.01);
    assert.equal(r.humidity.fault, "crc");
    void i2c;
  });

  it("a stuck chip (same raw words every time) is reported stale", () => {
    const { time, chip, driver } = rig();
    driver.sample(time.now());
    time.advance(1000);
    driver.sample(time.now());
    chip.faults.stuck = true;
    let ticks = 0;
    let r = driver.sample(time.now());
    while (r.air.fault !== "stale" && ticks < 20) {
      time.advance(1000);
      r = driver.sample(time.now());
      ticks++;
    }
    assert.equal(r.air.fault, "stale");
    assert.ok(ticks <= SHT31.STUCK_REPEATS, `took ${ticks} ticks`);
    assert.match(r.air.detail ?? "", /same raw words/);
  });
});

import { crc8Sensirion as crc } from "../../drivers/crc8";
function require_crc() {
  return { crc8Sensirion: crc };
}
