import assert from "node:assert/strict";
import fc from "fast-check";
import { diff, type JsonValue } from "../../host-sim/bench/baseline/indigo-diff";
import { applyDictdifferPatch } from "./dictdiffer-patch";

/** Our entries as they go over the wire (tuples become arrays). */
function wire(a: JsonValue, b: JsonValue): unknown {
  return JSON.parse(JSON.stringify(diff(a, b)));
}

describe("indigo diff: dictdiffer format", () => {
  it("matches dictdiffer's documented outputs", () => {
    // Examples from dictdiffer's docstrings, in JSON form.
    assert.deepEqual(wire({ a: "b" }, { a: "c" }), [["change", "a", ["b", "c"]]]);
    assert.deepEqual(wire({}, { a: { b: "c" } }), [["add", "", [["a", { b: "c" }]]]]);
    assert.deepEqual(wire({ fruits: [] }, { fruits: ["apple", "mango"] }), [["add", "fruits", [[0, "apple"], [1, "mango"]]]]);
    assert.deepEqual(wire({ a: { x: 1 } }, { a: { x: 2 } }), [["change", "a.x", [1, 2]]]);
  });

  it("uses list paths for keys holding a dot and for list indices", () => {
    assert.deepEqual(wire({ states: { "sensorValue.ui": "1" } }, { states: { "sensorValue.ui": "2" } }), [
      ["change", ["states", "sensorValue.ui"], ["1", "2"]],
    ]);
    assert.deepEqual(wire({ temperatures: [36.1, 36.2] }, { temperatures: [36.1, 36.3] }), [["change", ["temperatures", 1], [36.2, 36.3]]]);
    assert.deepEqual(wire({ l: [{ a: 1 }] }, { l: [{ a: 2 }] }), [["change", ["l", 0, "a"], [1, 2]]]);
    // An add under a key holding a dot: the node is a list path too.
    assert.deepEqual(wire({ a: { "b.c": {} } }, { a: { "b.c": { d: 1 } } }), [["add", ["a", "b.c"], [["d", 1]]]]);
  });

  it("orders entries like dictdiffer: common keys in old order, then one add, then one remove", () => {
    const a = { z: 1, y: 2, gone1: 0, x: { k: 1 }, gone2: 0 };
    const b = { new1: 1, x: { k: 2 }, y: 3, z: 1, new2: 2 };
    assert.deepEqual(wire(a, b), [
      ["change", "y", [2, 3]],
      ["change", "x.k", [1, 2]],
      ["add", "", [["new1", 1], ["new2", 2]]],
      ["remove", "", [["gone1", 0], ["gone2", 0]]],
    ]);
  });

  it("removes list tails highest index first and changes kinds as whole values", () => {
    assert.deepEqual(wire({ l: [1, 2, 3] }, { l: [1] }), [["remove", "l", [[2, 3], [1, 2]]]]);
    assert.deepEqual(wire({ v: { a: 1 } }, { v: [1] }), [["change", "v", [{ a: 1 }, [1]]]]);
    assert.deepEqual(wire({ v: null }, { v: 36.5 }), [["change", "v", [null, 36.5]]]);
    assert.deepEqual(wire({ v: 1 }, { v: 1 }), []);
  });

  it("reproduces Indigo's documented dimmer patch", () => {
    const before = { brightness: 100, displayStateValUi: "100", onState: true, states: { brightnessLevel: 100, onOffState: true } };
    const after = { brightness: 0, displayStateValUi: "0", onState: false, states: { brightnessLevel: 0, onOffState: false } };
    assert.deepEqual(wire(before, after), [
      ["change", "brightness", [100, 0]],
      ["change", "displayStateValUi", ["100", "0"]],
      ["change", "onState", [true, false]],
      ["change", "states.brightnessLevel", [100, 0]],
      ["change", "states.onOffState", [true, false]],
    ]);
  });

  it("never aliases the compared objects", () => {
    const b = { a: { deep: [1] } };
    const entries = diff({}, b);
    (b.a.deep as number[]).push(2);
    assert.deepEqual(JSON.parse(JSON.stringify(entries)), [["add", "", [["a", { deep: [1] }]]]]);
  });

  it("patch(a, diff(a, b)) == b for arbitrary JSON dicts (independent applier)", () => {
    // No "" keys: dictdiffer's own format cannot tell the node [""] from the root (both
    // are ""), so real dictdiffer round-trips them wrongly too; our objects have none.
    const key = fc.oneof(fc.constantFrom("a", "b", "c", "x.y", "a..b", ".", "sensorValue.ui", "0", "states"), fc.string({ minLength: 1, maxLength: 4 }));
    const { json } = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer({ min: -5, max: 5 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 }).map((d) => (Object.is(d, -0) ? 0 : d)),
        fc.string({ maxLength: 3 }),
        fc.array(tie("json"), { maxLength: 4 }),
        fc.dictionary(key, tie("json"), { maxKeys: 5 }),
      ),
    }));
    const dict = fc.dictionary(key, json, { maxKeys: 6 });
    fc.assert(
      fc.property(dict, dict, (a, b) => {
        const patch = wire(a as JsonValue, b as JsonValue);
        const patched = applyDictdifferPatch(patch, a as never);
        assert.deepEqual(patched, JSON.parse(JSON.stringify(b)));
        if (JSON.stringify(a) === JSON.stringify(b)) assert.deepEqual(patch, []);
      }),
      { numRuns: 3000 },
    );
  });
});
