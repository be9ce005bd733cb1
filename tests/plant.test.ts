import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IncubatorPlant, type PlantInputs } from "../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS, PlantParamsError, parsePlantParams } from "../host-sim/plant/params";
import { loadPlantParams } from "../host-sim/plant/load-plant-params";
import { DirectSensors, SENSOR_CHARACTERISTICS } from "../host-sim/direct-sensors";

const FULL: PlantInputs = { heaterDuty: 1, fanDuty: 1, humidifierOn: false };
const OFF: PlantInputs = { heaterDuty: 0, fanDuty: 0.5, humidifierOn: false };

function run(plant: IncubatorPlant, seconds: number, inputs: PlantInputs | ((p: IncubatorPlant) => PlantInputs)): void {
  for (let t = 0; t < seconds; t++) plant.step(1, typeof inputs === "function" ? inputs(plant) : inputs);
}

/** A crude proportional hold of the air temperature, enough to put the plant at a steady state. */
const hold = (setC: number, humidifierOn = false) => (p: IncubatorPlant): PlantInputs => ({
  heaterDuty: Math.min(1, Math.max(0, 0.35 + 0.5 * (setC - p.state.airC))),
  fanDuty: 0.6,
  humidifierOn,
});

describe("incubator plant model", () => {
  it("warms at full power from a 25 °C room to 36 °C air in a realistic 25-50 minutes", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    let reachedS = -1;
    for (let t = 1; t <= 3 * 3600 && reachedS < 0; t++) {
      plant.step(1, FULL);
      if (plant.state.airC >= 36) reachedS = t;
    }
    assert.ok(reachedS > 25 * 60 && reachedS < 50 * 60, `warm-up took ${reachedS / 60} min`);
    const s = plant.state;
    assert.ok(s.heaterC > s.airC + 10, "the heater element is much hotter than the air it heats");
    assert.ok(s.airC > s.wallC && s.wallC > s.roomC, "heat flows from the air through the walls to the room");
  });

  it("cools toward the room with the heater off", () => {
    const plant = new IncubatorPlant({ ...DEFAULT_PLANT_PARAMS, initialC: 36 });
    let previous = plant.state.airC;
    for (let hour = 0; hour < 8; hour++) {
      run(plant, 3600, OFF);
      assert.ok(plant.state.airC < previous, `air still cooling in hour ${hour}`);
      previous = plant.state.airC;
    }
    const s = plant.state;
    // The neonate's few watts keep the hood a little above the room.
    assert.ok(s.airC > s.roomC && s.airC - s.roomC < 1.5, `air ${s.airC} vs room ${s.roomC}`);
    assert.ok(s.coreC > s.skinC && s.skinC > s.airC, "the neonate loses heat from core to skin to air");
  });

  it("needs a plausible share of the heater power to hold 36 °C in a 25 °C room", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    run(plant, 8 * 3600, hold(36));
    const before = plant.energy.heaterJ;
    run(plant, 3600, hold(36));
    const meanW = (plant.energy.heaterJ - before) / 3600;
    assert.ok(meanW > 60 && meanW < 250, `mean heater power ${meanW} W`);
  });

  it("drops the air temperature while a porthole is open, and recovers after it closes", () => {
    const open = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    run(open, 8 * 3600, hold(36));
    const before = open.state.airC;
    open.openPorthole(60);
    assert.equal(open.state.portholeOpen, true);
    let lowest = before;
    for (let t = 0; t < 120; t++) {
      open.step(1, { heaterDuty: 0.35, fanDuty: 0.6, humidifierOn: false });
      lowest = Math.min(lowest, open.state.airC);
    }
    assert.equal(open.state.portholeOpen, false);
    assert.ok(before - lowest > 0.7, `air dropped only ${before - lowest} °C`);
    run(open, 3600, hold(36));
    assert.ok(Math.abs(open.state.airC - before) < 0.1, "back near the old steady state an hour later");
  });

  it("a colder room means a colder incubator at the same heater power", () => {
    const a = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const b = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    b.setRoomTemperature(20);
    const fixed = { heaterDuty: 0.35, fanDuty: 0.6, humidifierOn: false };
    run(a, 6 * 3600, fixed);
    run(b, 6 * 3600, fixed);
    assert.equal(b.state.roomC, 20);
    assert.ok(a.state.airC - b.state.airC > 3, `${a.state.airC} vs ${b.state.airC}`);
  });

  it("the humidifier raises the humidity, and condensation on the cooler walls caps it below 100 %RH", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    run(plant, 8 * 3600, hold(36));
    const dry = plant.state.rh;
    assert.ok(dry > 20 && dry < 45, `without humidifier ${dry} %RH`);
    assert.equal(plant.condensedWaterKg, 0);
    run(plant, 3 * 3600, hold(36, true));
    const wet = plant.state;
    assert.ok(wet.rh > 75, `humidifier reached only ${wet.rh} %RH`);
    assert.ok(wet.rh < 95, `condensation did not cap the humidity: ${wet.rh} %RH`);
    assert.ok(plant.condensedWaterKg > 0, "water condenses on the walls");
    // The cap is the wall's dew point: the hood air's dew point sits at (or a hair above) the wall temperature.
    assert.ok(Math.abs(plant.dewPointC - wet.wallC) < 0.3, `dew point ${plant.dewPointC} vs wall ${wet.wallC}`);
    // Switching the humidifier off: the humidity falls again and the walls dry.
    run(plant, 6 * 3600, hold(36));
    assert.ok(plant.state.rh < dry + 5, `humidity after switching off ${plant.state.rh}`);
  });

  it("conserves energy: stored heat changes by sources minus losses minus latent heat", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const stored0 = plant.storedHeatJ;
    run(plant, 3600, FULL);
    plant.openPorthole(300);
    run(plant, 4 * 3600, hold(36, true));
    const e = plant.energy;
    const expected = e.heaterJ + e.metabolicJ + e.fanJ - e.toRoomJ - e.latentJ;
    const actual = plant.storedHeatJ - stored0;
    assert.ok(Math.abs(actual - expected) < 1e-6 * e.heaterJ, `stored ${actual} J, ledger says ${expected} J`);
    assert.ok(e.heaterJ > 400 * 3600 * 0.99, "a full hour at 400 W");
    assert.ok(e.latentJ > 0, "the mist took up heat as it evaporated");
  });

  it("a broken heater does not heat", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    plant.faults.heaterBroken = true;
    run(plant, 3600, FULL);
    assert.ok(plant.state.airC < DEFAULT_PLANT_PARAMS.roomC + 1, `air ${plant.state.airC}`);
    assert.equal(plant.heaterPowerW, 0);
  });

  it("a stuck fan reads 0 rpm and lets the heater element run much hotter", () => {
    const good = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const stuck = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    run(good, 10, FULL);
    assert.ok(Math.abs(good.state.fanRpm - DEFAULT_PLANT_PARAMS.fanMaxRpm) < 50);
    stuck.faults.fanStuck = true;
    run(good, 1200, FULL);
    run(stuck, 1210, FULL);
    assert.equal(stuck.state.fanRpm, 0);
    assert.ok(stuck.state.heaterC > good.state.heaterC + 30, `${stuck.state.heaterC} vs ${good.state.heaterC}`);
  });

  it("the outlet air point follows the air with a lag and reads a little warmer while heating", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    run(plant, 600, FULL);
    const s = plant.state;
    assert.ok(s.outletAirC < s.airC + 1.0 && s.outletAirC > s.airC - 1.0, `outlet ${s.outletAirC} vs air ${s.airC}`);
    run(plant, 8 * 3600, hold(36));
    const steady = plant.state;
    assert.ok(Math.abs(steady.outletAirC - steady.airC) < 0.5);
  });

  it("refuses bad steps and disturbances with a named reason", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    assert.throws(() => plant.step(-1, FULL), /plant step/);
    assert.throws(() => plant.openPorthole(Number.NaN), /porthole duration/);
    assert.throws(() => plant.setRoomTemperature(80), /room temperature/);
  });

  it("runs a simulated day with sensors sampled every second in a few seconds", function () {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const sensors = new DirectSensors(plant, { seed: 7 });
    let frames = 0;
    for (let t = 0; t < 86400; t++) {
      const f = sensors.sample(t * 1000);
      const air = f.air.value ?? 25;
      plant.step(1, { heaterDuty: Math.min(1, Math.max(0, 0.35 + 0.5 * (36 - air))), fanDuty: 0.6, humidifierOn: t % 60 < 20 });
      frames++;
    }
    assert.equal(frames, 86400);
    assert.equal(plant.state.timeS, 86400);
    assert.ok(Math.abs(plant.state.airC - 36) < 1, `air after a day ${plant.state.airC}`);
  });
});

describe("plant parameters", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "plant-params-")); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it("are frozen defaults when no file is given", () => {
    assert.equal(loadPlantParams(), DEFAULT_PLANT_PARAMS);
    assert.ok(Object.isFrozen(DEFAULT_PLANT_PARAMS));
  });

  it("merge a JSON file over the defaults, and the shipped example loads", () => {
    const p = loadPlantParams("host-sim/plant/example-plant.json");
    assert.equal(p.heaterPowerW, 300);
    assert.equal(p.airVolumeM3, DEFAULT_PLANT_PARAMS.airVolumeM3);
    assert.ok(Object.isFrozen(p));
  });

  it("refuse an unknown key by name", () => {
    const file = join(dir, "typo.json");
    writeFileSync(file, JSON.stringify({ heaterPowrW: 300 }));
    assert.throws(() => loadPlantParams(file), (err: unknown) =>
      err instanceof PlantParamsError && /unknown key "heaterPowrW"/.test(err.message) && err.message.includes(file));
  });

  it("refuse a bad value by name, and list every problem at once", () => {
    assert.throws(() => parsePlantParams({ heaterPowerW: -5, roomC: "warm", airVolumeM3: 0 }), (err: unknown) => {
      assert.ok(err instanceof PlantParamsError);
      assert.equal(err.problems.length, 3);
      assert.match(err.message, /"heaterPowerW" = -5 is out of range/);
      assert.match(err.message, /"roomC" must be a finite number, got "warm"/);
      assert.match(err.message, /"airVolumeM3" = 0 is out of range/);
      return true;
    });
    assert.throws(() => parsePlantParams([1]), /expected a JSON object, got an array/);
  });

  it("refuse a file that is missing or not JSON", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ heaterPowerW: 300 ");
    assert.throws(() => loadPlantParams(file), /not valid JSON/);
    assert.throws(() => loadPlantParams(join(dir, "none.json")), /cannot read the file/);
  });
});

describe("direct sensors", () => {
  it("quantise like the chips: DS18B20 in 1/16 °C, SHT31 in 16-bit steps", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const sensors = new DirectSensors(plant, { seed: 3 });
    for (let t = 0; t < 50; t++) {
      const f = sensors.sample(t * 1000);
      assert.equal((f.skin.value! * 16) % 1, 0);
      assert.equal((f.probeAir.value! * 16) % 1, 0);
      const raw = ((f.air.value! + 45) / 175) * 65535;
      assert.ok(Math.abs(raw - Math.round(raw)) < 1e-6);
    }
  });

  it("are repeatable for a seed, with noise and offsets of the datasheets' size", () => {
    const read = (seed: number) => {
      const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
      const sensors = new DirectSensors(plant, { seed });
      return { sensors, values: Array.from({ length: 400 }, (_, t) => sensors.sample(t * 1000)) };
    };
    const a = read(11);
    const b = read(11);
    const c = read(12);
    assert.deepEqual(a.values.map((f) => f.air.value), b.values.map((f) => f.air.value));
    assert.notDeepEqual(a.values.map((f) => f.air.value), c.values.map((f) => f.air.value));
    const k = SENSOR_CHARACTERISTICS;
    const o = a.sensors.offsets;
    assert.ok(Math.abs(o.sht31C) <= k.sht31TypicalOffsetC && Math.abs(o.skinProbeC) <= k.ds18b20TypicalOffsetC);
    // The plant sits at 25 °C: the SHT31's readings scatter by its noise around 25 + its offset.
    const air = a.values.map((f) => f.air.value!);
    const mean = air.reduce((s, x) => s + x, 0) / air.length;
    const sd = Math.sqrt(air.reduce((s, x) => s + (x - mean) ** 2, 0) / air.length);
    assert.ok(Math.abs(mean - (25 + o.sht31C)) < 0.01, `mean ${mean}`);
    assert.ok(sd > k.sht31NoiseC * 0.7 && sd < k.sht31NoiseC * 1.3, `noise ${sd}`);
  });

  it("report an absent chip as a fault, never as a value, and the stuck fan as 0 rpm", () => {
    const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
    const sensors = new DirectSensors(plant, { offsets: "none" });
    plant.step(10, FULL);
    assert.ok(sensors.sample(10_000).fanRpm.value! > 2000);
    sensors.faults.skinProbeAbsent = true;
    plant.faults.fanStuck = true;
    plant.step(1, FULL);
    const f = sensors.sample(11_000);
    assert.equal(f.skin.value, null);
    assert.equal(f.skin.fault, "absent");
    assert.equal(f.skin.atMs, 10_000);
    assert.equal(f.skin.faultSinceMs, 11_000);
    assert.equal(f.fanRpm.value, 0);
    assert.notEqual(f.air.value, null);
  });
});
