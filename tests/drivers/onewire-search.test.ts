import assert from "node:assert/strict";
import type { OneWireBus } from "../../drivers/bus";
import { crc8Maxim } from "../../drivers/crc8";
import { romToHex, searchRoms } from "../../drivers/onewire-rom";
import { ds18b20Rom, SimDs18b20 } from "../../host-sim/chips/ds18b20";
import { SimOneWireBus } from "../../host-sim/chips/onewire-bus";
import { SeededRandom } from "../../host-sim/seeded-random";
import { SimTime } from "../../host-sim/sim-time";

function busWith(serials: readonly number[]): { bus: SimOneWireBus; chips: SimDs18b20[] } {
  const time = new SimTime();
  const prng = new SeededRandom(7);
  const bus = new SimOneWireBus();
  const chips = serials.map((s) => new SimDs18b20(ds18b20Rom(s), () => 25, time, prng));
  for (const c of chips) bus.attach(c);
  return { bus, chips };
}

describe("1-Wire ROM search (Maxim AN187) against simulated devices", () => {
  it("finds every device on a bus of several, including ROMs that differ only in their last serial bit", () => {
    const serials = [0x000000000001, 0x000000000000, 0x800000000000, 0x123456789abc, 0x123456789abd, 0xffffffffffff, 0x0a0b0c0d0e0f];
    const { bus, chips } = busWith(serials);
    const result = searchRoms(bus);
    assert.ok(result.ok, !result.ok ? result.error : "");
    const found = result.roms.map(romToHex).sort();
    const expected = chips.map((c) => romToHex(c.rom)).sort();
    assert.deepEqual(found, expected);
    for (const rom of result.roms) assert.equal(crc8Maxim(rom), 0);
  });

  it("returns the devices in ascending ROM bit order (LSB first), as AN187's 0-branch-first walk does", () => {
    const { bus } = busWith([0x3, 0x1, 0x2]);
    const result = searchRoms(bus);
    assert.ok(result.ok);
    assert.deepEqual(result.roms.map((r) => r[1]), [0x2, 0x1, 0x3]); // bit 0 of byte 1 differs first: 0 branch, then 1
  });

  it("finds a single device and an empty bus", () => {
    const one = busWith([0x42]);
    const r1 = searchRoms(one.bus);
    assert.ok(r1.ok);
    assert.deepEqual(r1.roms.map(romToHex), [romToHex(one.chips[0].rom)]);
    const none = busWith([]);
    assert.deepEqual(searchRoms(none.bus), { ok: true, roms: [] });
  });

  it("skips an unplugged device and finds it again once it is back", () => {
    const { bus, chips } = busWith([0x10, 0x20, 0x30]);
    chips[1].faults.unplugged = true;
    const r = searchRoms(bus);
    assert.ok(r.ok);
    assert.equal(r.roms.length, 2);
    assert.ok(!r.roms.some((rom) => romToHex(rom) === romToHex(chips[1].rom)));
    chips[1].faults.unplugged = false;
    const again = searchRoms(bus);
    assert.ok(again.ok);
    assert.equal(again.roms.length, 3);
  });

  it("uses a native search when the bus has no bit slots, and rejects a ROM with a bad CRC by name", () => {
    const good = ds18b20Rom(0x55);
    const bad = ds18b20Rom(0x66);
    bad[7] ^= 1;
    const nativeBus: OneWireBus = {
      reset: () => true,
      writeByte: () => undefined,
      readByte: () => 0xff,
      nativeSearch: () => [good, bad],
    };
    const r = searchRoms(nativeBus);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.includes(romToHex(bad)));
    assert.deepEqual(r.roms.map(romToHex), [romToHex(good)]);
  });

  it("reports a bus that throws as an error value, not an exception", () => {
    const broken: OneWireBus = {
      reset: () => { throw new Error("line shorted"); },
      writeByte: () => undefined,
      readByte: () => 0,
      nativeSearch: () => { throw new Error("line shorted"); },
    };
    const r = searchRoms(broken);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.includes("line shorted"));
  });
});

describe("a Moddable-shaped 1-Wire bus (bytes and a native search only)", () => {
  it("puts reversed ROMs from a native search back into wire order, and the drivers read through it", async () => {
    const { romInWireOrder } = await import("../../drivers/onewire-rom");
    const { SensorArray } = await import("../../drivers/sensor-array");
    const { SimI2cBus } = await import("../../host-sim/chips/i2c-bus");
    const time = new SimTime();
    const prng = new SeededRandom(3);
    const sim = new SimOneWireBus();
    const skin = new SimDs18b20(ds18b20Rom(0x51), () => 36.25, time, prng, 0);
    const air = new SimDs18b20(ds18b20Rom(0x52), () => -3.5, time, prng, 0);
    sim.attach(skin);
    sim.attach(air);
    let bulkReads = 0;
    // As the ESP32 binding of Moddable's `onewire` behaves: search() reversed, read(count) in bulk.
    const moddableLike: OneWireBus = {
      reset: () => sim.reset(),
      writeByte: (b) => sim.writeByte(b),
      readByte: () => sim.readByte(),
      readBytes: (n) => {
        bulkReads++;
        return Uint8Array.from({ length: n }, () => sim.readByte());
      },
      nativeSearch: () => {
        const found = searchRoms(sim);
        return found.roms.map((r) => romInWireOrder(r.slice().reverse()));
      },
    };
    assert.deepEqual(romInWireOrder(skin.rom.slice().reverse()), skin.rom);
    assert.deepEqual(romInWireOrder(skin.rom), skin.rom);
    const array = new SensorArray(
      { oneWire: moddableLike, i2cSht31: new SimI2cBus().open(0x44), tachometer: { read: () => 0 } },
      { skinRom: romToHex(skin.rom), probeAirRom: romToHex(air.rom), clock: time },
    );
    array.sample(0);
    time.advance(1000);
    const f = array.sample(1000);
    assert.deepEqual(array.inventory?.problems, []);
    assert.equal(f.skin.value, 36.25);
    assert.equal(f.probeAir.value, -3.5);
    assert.equal(f.air.fault, "absent"); // no SHT31 on that I2C bus
    assert.ok(bulkReads >= 2);
  });
});
