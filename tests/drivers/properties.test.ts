import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeDs18b20Temperature, encodeDs18b20Temperature } from "../../drivers/ds18b20";
import { romToHex, searchRoms } from "../../drivers/onewire-rom";
import { SHT31, Sht31, sht31TemperatureC } from "../../drivers/sht31";
import { ds18b20Rom, SimDs18b20 } from "../../host-sim/chips/ds18b20";
import { SimI2cBus } from "../../host-sim/chips/i2c-bus";
import { SimOneWireBus } from "../../host-sim/chips/onewire-bus";
import { SeededRandom } from "../../host-sim/seeded-random";
import { SimSht31 } from "../../host-sim/chips/sht31";
import { SimTime } from "../../host-sim/sim-time";

describe("driver properties", () => {
  it("every DS18B20 12-bit step from -55 to +125 °C encodes and decodes to itself", () => {
    for (let sixteenths = -55 * 16; sixteenths <= 125 * 16; sixteenths++) {
      const c = sixteenths / 16;
      assert.equal(decodeDs18b20Temperature(encodeDs18b20Temperature(c)), c);
    }
  });

  it("ROM search finds exactly the devices on the bus, for any set of serials", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 48 - 1 }), { minLength: 0, maxLength: 12 }), (serials) => {
        const time = new SimTime();
        const bus = new SimOneWireBus();
        const prng = new SeededRandom(1);
        for (const s of serials) bus.attach(new SimDs18b20(ds18b20Rom(s), () => 20, time, prng));
        const result = searchRoms(bus);
        assert.ok(result.ok);
        assert.deepEqual(result.roms.map(romToHex).sort(), serials.map((s) => romToHex(ds18b20Rom(s))).sort());
      }),
      { numRuns: 60 },
    );
  });

  it("the SHT31 driver reads any temperature in its range to within its quantisation", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 125, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (t, rh) => {
        const time = new SimTime();
        const bus = new SimI2cBus();
        bus.attach(SHT31.ADDRESS, new SimSht31(() => t, () => rh, time, new SeededRandom(2), { tSdC: 0, rhSd: 0 }));
        const d = new Sht31(bus.open(SHT31.ADDRESS));
        d.sample(0);
        time.advance(1000);
        const r = d.sample(1000);
        assert.ok(Math.abs((r.air.value ?? NaN) - t) <= sht31TemperatureC(1) - sht31TemperatureC(0), `${r.air.value} vs ${t}`);
        assert.ok(Math.abs((r.humidity.value ?? NaN) - rh) <= 100 / 65535, `${r.humidity.value} vs ${rh}`);
      }),
      { numRuns: 100 },
    );
  });
});
