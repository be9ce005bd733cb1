import assert from "node:assert/strict";
import { Ds18b20 } from "../../drivers/ds18b20";
import { moddableOneWireBus, oneWireBytes, type ModdableOneWire } from "../../drivers/moddable-onewire";
import { romToHex, searchRoms } from "../../drivers/onewire-rom";
import { ds18b20Rom, SimDs18b20 } from "../../host-sim/chips/ds18b20";
import { SimOneWireBus } from "../../host-sim/chips/onewire-bus";
import { SeededRandom } from "../../host-sim/seeded-random";
import { SimTime } from "../../host-sim/sim-time";

/** Moddable's ESP32 `onewire` native over a simulated bus, as modonewire.c behaves: read(count)
 *  returns an ArrayBuffer, search() ArrayBuffers with the ROM bytes reversed (CRC first). */
class Esp32OneWireDouble implements ModdableOneWire {
  readCalls: number[] = [];
  constructor(private readonly bus: SimOneWireBus) {}
  read(count: number): ArrayBuffer {
    this.readCalls.push(count);
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.bus.readByte();
    return out.buffer;
  }
  write(data: number): void {
    if (!Number.isInteger(data) || data < 0 || data > 255) throw new RangeError("bad value");
    this.bus.writeByte(data);
  }
  search(): ArrayBuffer[] {
    const found = searchRoms(this.bus);
    if (!found.ok) return [];
    return found.roms.map((rom) => Uint8Array.from(rom).reverse().buffer);
  }
  reset(): boolean {
    return this.bus.reset();
  }
}

function rig() {
  const time = new SimTime();
  const bus = new SimOneWireBus();
  const prng = new SeededRandom(5);
  const skin = new SimDs18b20(ds18b20Rom(0x51), () => 36.8125, time, prng, 0);
  const air = new SimDs18b20(ds18b20Rom(0xa1), () => -3.5, time, prng, 0);
  bus.attach(skin);
  bus.attach(air);
  const native = new Esp32OneWireDouble(bus);
  return { time, skin, air, native, ow: moddableOneWireBus(native) };
}

describe("Moddable onewire bound to the drivers' OneWireBus", () => {
  it("turns the ESP32's byte-reversed search results into wire-order ROM codes", () => {
    const { ow, skin, air } = rig();
    const roms = ow.nativeSearch!().map(romToHex).sort();
    assert.deepEqual(roms, [romToHex(skin.rom), romToHex(air.rom)].sort());
    assert.ok(roms.every((hex) => hex.startsWith("28")), `family code first: ${roms.join(", ")}`);
  });

  it("reads a DS18B20 scratchpad in one native read of 9 bytes, returned as an ArrayBuffer", () => {
    const { time, ow, native, skin, air } = rig();
    const probe = new Ds18b20(ow, skin.rom);
    const other = new Ds18b20(ow, air.rom);
    probe.sample(time.now());
    other.sample(time.now());
    time.advance(1000);
    assert.deepEqual(probe.sample(time.now()), { value: 36.8125, atMs: 0 });
    assert.deepEqual(other.sample(time.now()), { value: -3.5, atMs: 0 });
    assert.ok(native.readCalls.includes(9), `read counts: ${native.readCalls.join(",")}`);
  });

  it("reads one byte as read(1): the SDK declares the count as required", () => {
    const { ow, native } = rig();
    ow.reset();
    ow.writeByte(0xcc); // Skip ROM: both answer; the wired AND of their reads
    ow.writeByte(0xb4); // Read Power Supply: powered devices send 1s
    assert.equal(ow.readByte() & 1, 1);
    assert.deepEqual(native.readCalls, [1]);
  });

  it("takes a number, a Uint8Array (as declared) or an ArrayBuffer (as the ESP32 returns)", () => {
    assert.deepEqual([...oneWireBytes(0x1ab)], [0xab]);
    assert.deepEqual([...oneWireBytes(Uint8Array.of(1, 2))], [1, 2]);
    assert.deepEqual([...oneWireBytes(Uint8Array.of(3, 4).buffer)], [3, 4]);
  });

  it("refuses a short read by name instead of decoding garbage", () => {
    const short: ModdableOneWire = { read: () => new ArrayBuffer(2), write: () => {}, search: () => [], reset: () => true };
    assert.throws(() => moddableOneWireBus(short).readBytes!(9), /1-Wire read returned 2 bytes, 9 asked for/);
  });
});
