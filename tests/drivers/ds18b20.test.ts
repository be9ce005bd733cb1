import assert from "node:assert/strict";
import type { OneWireBus } from "../../drivers/bus";
import { Ds18b20 } from "../../drivers/ds18b20";
import { ds18b20Rom, SimDs18b20 } from "../../host-sim/chips/ds18b20";
import { SimOneWireBus } from "../../host-sim/chips/onewire-bus";
import { SimulatedIncubator } from "../../host-sim/simulated-incubator";
import { SeededRandom } from "../../host-sim/seeded-random";
import { SimTime } from "../../host-sim/sim-time";

function rig(temperatures: { a: number; b: number }, resolution: 9 | 10 | 11 | 12 = 12) {
  const time = new SimTime();
  const prng = new SeededRandom(11);
  const bus = new SimOneWireBus();
  const chipA = new SimDs18b20(ds18b20Rom(0xa), () => temperatures.a, time, prng, 0);
  const chipB = new SimDs18b20(ds18b20Rom(0xb), () => temperatures.b, time, prng, 0);
  bus.attach(chipA);
  bus.attach(chipB);
  const a = new Ds18b20(bus, chipA.rom, { resolution, clock: time });
  const b = new Ds18b20(bus, chipB.rom, { resolution, clock: time });
  return { time, bus, chipA, chipB, a, b };
}

describe("DS18B20 driver on a simulated shared bus", () => {
  it("reads each probe by its ROM code, one tick after starting the conversion, sign extension included", () => {
    const t = { a: 36.5, b: -10.125 };
    const { time, a, b } = rig(t);
    assert.equal(a.sample(time.now()).value, null); // conversion only started
    assert.equal(b.sample(time.now()).fault, "stale");
    time.advance(1000);
    const ra = a.sample(time.now());
    const rb = b.sample(time.now());
    assert.deepEqual(ra, { value: 36.5, atMs: 0 });
    assert.deepEqual(rb, { value: -10.125, atMs: 0 });
  });

  it("never waits: a tick that comes before the conversion time keeps the last reading with its own timestamp", () => {
    const t = { a: 30, b: 31 };
    const { time, a, chipA } = rig(t);
    a.sample(time.now());
    time.advance(1000);
    t.a = 32;
    assert.equal(a.sample(time.now()).value, 30); // the conversion started at 0; the next one measures 32
    time.advance(300); // 300 ms after the conversion started: not done at 12 bits
    assert.deepEqual(a.sample(time.now()), { value: 30, atMs: 0 });
    assert.equal(chipA.conversions, 2);
    time.advance(500);
    assert.deepEqual(a.sample(time.now()), { value: 32, atMs: 1000 });
  });

  it("writes the resolution once, not on every read, and converts at that resolution", () => {
    const t = { a: 25.0625, b: 0 };
    const { time, a, chipA } = rig(t, 9);
    for (let i = 0; i < 10; i++) {
      a.sample(time.now());
      time.advance(1000);
    }
    assert.equal(chipA.configWrites, 1);
    assert.equal(a.counters.configWrites, 1);
    assert.equal(chipA.resolution, 9);
    assert.equal(a.reading.value, 25); // 9 bits: 0.5 °C steps
  });

  it("rejects the 85 °C power-on value when the probe reset and no conversion followed, then reconfigures", () => {
    const t = { a: 36, b: 36 };
    const { time, a, chipA } = rig(t);
    a.sample(time.now());
    time.advance(1000);
    assert.equal(a.sample(time.now()).value, 36);
    chipA.faults.powerOnEachReset = true;
    time.advance(1000);
    const r = a.sample(time.now());
    assert.equal(r.value, null);
    assert.equal(r.fault, "implausible");
    assert.match(r.detail ?? "", /85\.0 °C power-on/);
    assert.equal(r.faultSinceMs, 2000);
    chipA.faults.powerOnEachReset = false;
    time.advance(1000);
    a.sample(time.now()); // reconfigures and converts
    time.advance(1000);
    assert.equal(a.sample(time.now()).value, 36);
    assert.ok(a.counters.configWrites >= 2);
  });

  it("a tick whose bus work starts late never reads the 85.0 °C power-on value as a temperature (issue 11: skin 85.00 probe 85.00 after a restart under load)", () => {
    // Under load the process is held up between the tick's start and the bus traffic: every
    // reset pulse here costs 300 ms, so Convert T goes out 600 ms into the first tick and the
    // next tick reads the scratchpad before the first conversion has finished.
    const loaded = (withClock: boolean) => {
      const time = new SimTime();
      const prng = new SeededRandom(3);
      const sim = new SimOneWireBus();
      const chip = new SimDs18b20(ds18b20Rom(0xa), () => 36.5, time, prng, 0);
      sim.attach(chip);
      const bus: OneWireBus = { reset: () => { time.spend(300); return sim.reset(); }, writeByte: (b) => sim.writeByte(b), readByte: () => sim.readByte() };
      const probe = new Ds18b20(bus, chip.rom, withClock ? { clock: time } : {});
      const values: Array<number | null> = [];
      for (let tick = 0; tick < 6; tick++) {
        const start = tick * 1000;
        if (time.now() < start) time.advance(start - time.now());
        values.push(probe.sample(start).value);
      }
      return values;
    };
    for (const withClock of [true, false]) {
      const values = loaded(withClock);
      assert.ok(!values.includes(85), `${withClock ? "timed by the clock" : "no clock"}: ${values.join(", ")}`);
      assert.ok(values.includes(36.5), `then the real temperature: ${values.join(", ")}`);
    }
  });

  it("through the whole firmware on the simulated board: no snapshot shows the power-on value, however late the first ticks' bus work", () => {
    for (const lateMs of [0, 100, 200, 250, 300, 350, 400]) {
      const time = new SimTime();
      const sim = new SimulatedIncubator({ time, seed: lateMs + 1 });
      const bus = sim.board!.oneWire;
      const reset = bus.reset.bind(bus);
      bus.reset = () => { time.spend(lateMs); return reset(); };
      const seen: Array<[number | null, number | null]> = [];
      sim.incubator.subscribe((e) => { if (e.type === "tick") seen.push([e.snapshot.skin, e.snapshot.probeAir]); });
      sim.incubator.start();
      time.advance(20_000);
      assert.ok(seen.length >= 4, `${seen.length} ticks`);
      assert.ok(!seen.flat().includes(85), `late by ${lateMs} ms per reset: ${JSON.stringify(seen)}`);
      assert.ok(seen.some(([skin, probe]) => skin !== null && probe !== null), "the probes read");
    }
  });

  it("accepts a genuine 85 °C after a conversion it started", () => {
    const t = { a: 85, b: 20 };
    const { time, a } = rig(t);
    a.sample(time.now());
    time.advance(1000);
    assert.equal(a.sample(time.now()).value, 85);
  });

  it("reports an all-zero scratchpad (line held low) as a bus fault, all ones as absent", () => {
    const stuckLow: OneWireBus = { reset: () => true, writeByte: () => undefined, readByte: () => 0x00 };
    const open: OneWireBus = { reset: () => true, writeByte: () => undefined, readByte: () => 0xff };
    for (const [bus, kind] of [[stuckLow, "bus"], [open, "absent"]] as const) {
      const d = new Ds18b20(bus, ds18b20Rom(1));
      d.sample(0);
      const r = d.sample(1000);
      assert.equal(r.value, null);
      assert.equal(r.fault, kind);
      assert.match(r.detail ?? "", /28010000000000/);
    }
  });

  it("reports no presence pulse as absent and a throwing bus as a bus fault, without throwing", () => {
    const silent: OneWireBus = { reset: () => false, writeByte: () => undefined, readByte: () => 0xff };
    const d = new Ds18b20(silent, ds18b20Rom(2));
    assert.equal(d.sample(0).fault, "absent");
    const throwing: OneWireBus = { reset: () => true, writeByte: () => { throw new Error("RMT timeout"); }, readByte: () => 0 };
    const e = new Ds18b20(throwing, ds18b20Rom(3));
    const r = e.sample(0);
    assert.equal(r.fault, "bus");
    assert.match(r.detail ?? "", /RMT timeout/);
  });

  it("retries a scratchpad with a bad CRC once within the tick and counts the error", () => {
    const t = { a: 20, b: 21 };
    const { time, a, chipA } = rig(t);
    chipA.faults.crcErrorRate = 1;
    a.sample(time.now());
    time.advance(1000);
    const r = a.sample(time.now());
    assert.equal(r.fault, "crc");
    assert.equal(a.counters.crcErrors, 2);
  });
});

describe("simulated DS18B20 chip", () => {
  it("answers read slots with 0 while converting, for the conversion time of its resolution", () => {
    for (const [resolution, ms] of [[12, 750], [9, 93.75]] as const) {
      const { time, bus, chipA, a } = rig({ a: 20, b: 20 }, resolution);
      a.sample(time.now()); // configures the resolution and starts a conversion
      assert.equal(chipA.resolution, resolution);
      // Poll as a master would after Convert T: the device holds the line low until done.
      time.advance(ms - 1);
      assert.equal(bus.readBit(), 0);
      time.advance(1);
      assert.equal(bus.readBit(), 1);
    }
  });
});
