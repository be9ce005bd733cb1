import assert from "node:assert/strict";
import { crc8Maxim, crc8Sensirion } from "../../drivers/crc8";
import { checkScratchpad, decodeDs18b20Temperature, encodeDs18b20Temperature } from "../../drivers/ds18b20";
import { parseRom } from "../../drivers/onewire-rom";
import { sht31HumidityRh, sht31TemperatureC } from "../../drivers/sht31";

describe("golden vectors from the datasheets", () => {
  it("SHT31 CRC-8 (0x31, init 0xFF) of 0xBEEF is 0x92", () => {
    assert.equal(crc8Sensirion([0xbe, 0xef]), 0x92);
    assert.equal(crc8Sensirion([0x00, 0x00]), 0x81);
  });

  it("Dallas/Maxim CRC-8 of the AN27 example ROM 02 1C B8 01 00 00 00 is A2", () => {
    assert.equal(crc8Maxim([0x02, 0x1c, 0xb8, 0x01, 0x00, 0x00, 0x00]), 0xa2);
    assert.equal(crc8Maxim([0x02, 0x1c, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xa2]), 0);
  });

  it("the DS18B20 power-on scratchpad 50 05 4B 46 7F FF 0C 10 has CRC 1C", () => {
    const pad = Uint8Array.of(0x50, 0x05, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10, 0x1c);
    assert.equal(crc8Maxim(pad, 8), 0x1c);
    const check = checkScratchpad(pad);
    assert.ok(check.ok);
    assert.equal(check.raw, 0x0550);
    assert.equal(decodeDs18b20Temperature(check.raw), 85);
  });

  // DS18B20 datasheet, Table 1 "Temperature/Data Relationship".
  const table: ReadonlyArray<[number, number]> = [
    [125, 0x07d0], [85, 0x0550], [25.0625, 0x0191], [10.125, 0x00a2], [0.5, 0x0008], [0, 0x0000],
    [-0.5, 0xfff8], [-10.125, 0xff5e], [-25.0625, 0xfe6f], [-55, 0xfc90],
  ];
  for (const [celsius, raw] of table) {
    it(`DS18B20 ${celsius} °C <-> 0x${raw.toString(16).padStart(4, "0")}`, () => {
      assert.equal(encodeDs18b20Temperature(celsius), raw);
      assert.equal(decodeDs18b20Temperature(raw), celsius);
    });
  }

  it("DS18B20 lower resolutions ignore their undefined low bits, negatives included", () => {
    assert.equal(decodeDs18b20Temperature(0x019f, 9), 25.5); // bits 2..0 undefined at 9 bits
    assert.equal(decodeDs18b20Temperature(0xff5f, 10), -10.25);
    assert.equal(decodeDs18b20Temperature(0xff5f, 11), -10.125);
  });

  it("SHT31 conversion formulas at the ends and the middle of the range", () => {
    assert.equal(sht31TemperatureC(0), -45);
    assert.equal(sht31TemperatureC(0xffff), 130);
    assert.equal(sht31HumidityRh(0), 0);
    assert.equal(sht31HumidityRh(0xffff), 100);
    assert.ok(Math.abs(sht31TemperatureC(0x6666) - 25) < 0.01);
  });

  it("a scratchpad of all zeros passes CRC but is rejected; all ones is an absent device", () => {
    const zeros = new Uint8Array(9);
    assert.equal(crc8Maxim(zeros, 8), 0);
    assert.deepEqual(checkScratchpad(zeros), { ok: false, fault: "bus", detail: "scratchpad all zeros (data line held low)" });
    const ones = new Uint8Array(9).fill(0xff);
    const check = checkScratchpad(ones);
    assert.equal(check.ok, false);
    assert.equal(!check.ok && check.fault, "absent");
  });

  it("a ROM code is checked against its CRC when parsed, and the refusal names it", () => {
    assert.ok("rom" in parseRom("02-1C-B8-01-00-00-00-A2"));
    const bad = parseRom("021cb801000000a3");
    assert.ok("error" in bad && bad.error.includes("021cb801000000a3") && bad.error.includes("0xa2"));
    const short = parseRom("28ff");
    assert.ok("error" in short && short.error.includes("28ff"));
  });
});
