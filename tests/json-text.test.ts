// The byte-written JSON pieces print exactly what JavaScript prints: numbers as
// `"" + Math.round(value * scale) / scale`, timestamps as Date's toISOString.
import assert from "node:assert/strict";
import { JsonText } from "../src/protocol/json-text";
import { isoUtc } from "../src/protocol/iso-time";

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe("JsonText", () => {
  const seed = Number(process.env.JSON_TEXT_SEED ?? 20261202);
  it(`writes a number rounded to its scale as JavaScript prints it (seed ${seed}, JSON_TEXT_SEED)`, () => {
    const random = lcg(seed);
    const w = new JsonText(8);
    for (let i = 0; i < 20_000; i++) {
      const scale = [1, 10, 100, 1000][i % 4];
      const magnitude = [1, 100, 1e4, 1e9][(i >> 2) % 4];
      const value = (random() - 0.3) * magnitude;
      assert.equal(w.start().fixed(value, scale).text(), "" + Math.round(value * scale) / scale, `seed ${seed}: ${value} at scale ${scale}`);
    }
  });

  it("writes the edge values: zero, minus zero, halves, null, not finite, huge", () => {
    const w = new JsonText(4);
    const cases: Array<[number | null, number]> = [[0, 100], [-0, 100], [-0.004, 100], [0.005, 100], [-0.005, 100], [36.5, 100], [36.05, 100], [29, 100], [1e16, 1], [-123.45, 10], [null, 10], [NaN, 10], [Infinity, 100]];
    for (const [value, scale] of cases) {
      const expected = value === null || !Number.isFinite(value) ? "null" : "" + Math.round(value * scale) / scale;
      assert.equal(w.start().fixed(value, scale).text(), expected, `${value} at scale ${scale}`);
    }
  });

  it(`writes strings and numbers as JSON.stringify does (seed ${seed})`, () => {
    const random = lcg(seed + 1);
    const alphabet = ["a", "Z", "0", " ", "°", "é", '"', "\\", "\n", "\u0001", "\u001f", "\u007f", "\ud83d\ude00", "\ud800", "\udc00", "€", "/"];
    const w = new JsonText(4);
    for (let i = 0; i < 5_000; i++) {
      let text = "";
      const n = Math.floor(random() * 12);
      for (let k = 0; k < n; k++) text += random() < 0.7 ? alphabet[k % 4] : alphabet[Math.floor(random() * alphabet.length)];
      assert.equal(w.start().string(text).text(), JSON.stringify(text), `seed ${seed}: ${JSON.stringify(text)}`);
      const value = [Math.round((random() - 0.5) * 1e4), (random() - 0.5) * 100, Math.round((random() - 0.5) * 1e4) / 100, -0, 1e21, 5e-7, NaN, -Infinity][i % 8];
      assert.equal(w.start().number(value).text(), JSON.stringify(value), `seed ${seed}: ${value}`);
    }
  });

  it("makes long texts whole, in the same buffer again after it grew", () => {
    const w = new JsonText(100);
    for (const n of [0, 1, 63, 64, 65, 128, 200, 1000, 129, 64]) {
      const text = Array.from({ length: n }, (_, i) => String.fromCharCode(0x41 + (i % 26) + (i % 7 === 0 ? 0x100 : 0))).join("");
      assert.equal(w.start().raw(text).text(), text, `${n} code units`);
    }
  });

  it("copies a piece of another text", () => {
    const a = new JsonText(8).raw("0123456789");
    assert.equal(new JsonText(2).raw("[").copy(a, 2, 5).raw("]").text(), "[234]");
  });

  it("grows past its first capacity and keeps what it wrote", () => {
    const w = new JsonText(2);
    w.start().raw('{"a":').fixed(1.25, 100).raw(',"b":').boolean(true).raw(',"c":"').iso(0).raw('"}');
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
