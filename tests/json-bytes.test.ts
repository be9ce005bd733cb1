// The byte-written JSON pieces print exactly what JavaScript prints: numbers as
// `"" + Math.round(value * scale) / scale`, timestamps as Date's toISOString.
import assert from "node:assert/strict";
import { JsonBytes } from "../src/protocol/json-bytes";
import { isoUtc } from "../src/protocol/iso-time";

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe("JsonBytes", () => {
  const seed = Number(process.env.JSON_BYTES_SEED ?? 20261202);
  it(`writes a number rounded to its scale as JavaScript prints it (seed ${seed}, JSON_BYTES_SEED)`, () => {
    const random = lcg(seed);
    const w = new JsonBytes(8);
    for (let i = 0; i < 20_000; i++) {
      const scale = [1, 10, 100, 1000][i % 4];
      const magnitude = [1, 100, 1e4, 1e9][(i >> 2) % 4];
      const value = (random() - 0.3) * magnitude;
      assert.equal(w.start().fixed(value, scale).text(), "" + Math.round(value * scale) / scale, `seed ${seed}: ${value} at scale ${scale}`);
    }
  });

  it("writes the edge values: zero, minus zero, halves, null, not finite, huge", () => {
    const w = new JsonBytes(4);
    const cases: Array<[number | null, number]> = [[0, 100], [-0, 100], [-0.004, 100], [0.005, 100], [-0.005, 100], [36.5, 100], [36.05, 100], [29, 100], [1e16, 1], [-123.45, 10], [null, 10], [NaN, 10], [Infinity, 100]];
    for (const [value, scale] of cases) {
      const expected = value === null || !Number.isFinite(value) ? "null" : "" + Math.round(value * scale) / scale;
      assert.equal(w.start().fixed(value, scale).text(), expected, `${value} at scale ${scale}`);
    }
  });

  it("grows past its first capacity and keeps what it wrote", () => {
    const w = new JsonBytes(2);
    w.start().ascii('{"a":').fixed(1.25, 100).ascii(',"b":').boolean(true).ascii(',"c":"').iso(0).ascii('"}');
    assert.deepEqual(JSON.parse(w.text()), { a: 1.25, b: true, c: "1970-01-01T00:00:00.000Z" });
  });
});

describe("isoUtc", () => {
  it("matches Date.prototype.toISOString from year 0 to 9999", () => {
    const random = lcg(7);
    for (let i = 0; i < 5_000; i++) {
      const ms = Math.floor(-62_167_219_200_000 + random() * (253_402_300_799_999 + 62_167_219_200_000));
      assert.equal(isoUtc(ms), new Date(ms).toISOString(), `${ms}`);
    }
    assert.equal(isoUtc(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
    assert.equal(isoUtc(-62_167_219_200_000), "0000-01-01T00:00:00.000Z");
  });
});
