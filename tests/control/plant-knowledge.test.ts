import assert from "node:assert/strict";
import { AIR_PID, HEAT } from "../../src/core/control-config";
import { airGains, decodeKnowledge, DEFAULT_KNOWLEDGE, encodeKnowledge, GAIN_BOUNDS, humidityGains, KNOWLEDGE_RANGES, MEASURED } from "../../src/core/plant-knowledge";

describe("what the controllers learn (PlantKnowledge record)", () => {
  it("round-trips through its text record in fixed point", () => {
    const k = { ...DEFAULT_KNOWLEDGE, riseRate: 0.01712, deadTimeS: 23.7, dutyPerDegree: 0.0501, roomC: 18.25, boostRiseC: 0.353, boostS: 38, dutyAfterWarmup: 0.876, humidifierRate: 0.1234, measured: MEASURED.reaction | MEASURED.boost };
    const text = encodeKnowledge(k);
    assert.match(text, /^k1( -?\d+)+$/);
    const back = decodeKnowledge(text);
    assert.equal(back.problem, null);
    for (const key of Object.keys(KNOWLEDGE_RANGES) as (keyof typeof KNOWLEDGE_RANGES)[]) {
      assert.ok(Math.abs(back.knowledge[key] - k[key]) <= 1 / KNOWLEDGE_RANGES[key].scale, `${key}: ${back.knowledge[key]} vs ${k[key]}`);
    }
    assert.equal(back.knowledge.measured, k.measured);
  });

  it("falls back to the standard build's values, saying why, for a missing or unreadable record", () => {
    assert.deepEqual(decodeKnowledge(null), { knowledge: DEFAULT_KNOWLEDGE, problem: "no record yet" });
    for (const bad of ["", "k1 1 2", "k0 1 2 3 4 5 6 7 8 9 0", "k1 a b c d e f g h i 3", "k1 2500 250 3100 2500 300 30 750 2200 99"]) {
      const r = decodeKnowledge(bad);
      assert.deepEqual(r.knowledge, DEFAULT_KNOWLEDGE, bad);
      assert.ok(r.problem !== null && r.problem.length > 0, bad);
    }
  });

  it("drops an implausible value alone (a poor fit), and its measured flag with it", () => {
    const good = { ...DEFAULT_KNOWLEDGE, boostRiseC: 0.6, measured: MEASURED.boost | MEASURED.reaction };
    // riseRate 5 °C/s is no incubator.
    const text = encodeKnowledge(good).split(" ").map((v, i) => (i === 1 ? String(5 * KNOWLEDGE_RANGES.riseRate.scale) : v)).join(" ");
    const r = decodeKnowledge(text);
    assert.equal(r.knowledge.riseRate, DEFAULT_KNOWLEDGE.riseRate);
    assert.equal(r.knowledge.boostRiseC, 0.6);
    assert.equal(r.knowledge.measured & MEASURED.reaction, 0);
    assert.equal(r.knowledge.measured & MEASURED.boost, MEASURED.boost);
    assert.match(r.problem ?? "", /riseRate/);
  });

  it("keeps the air loop's gains within bounds whatever was measured", () => {
    for (const riseRate of [KNOWLEDGE_RANGES.riseRate.min, 0.025, KNOWLEDGE_RANGES.riseRate.max]) {
      for (const deadTimeS of [KNOWLEDGE_RANGES.deadTimeS.min, 25, KNOWLEDGE_RANGES.deadTimeS.max]) {
        const g = airGains({ ...DEFAULT_KNOWLEDGE, riseRate, deadTimeS });
        assert.ok(g.kp >= GAIN_BOUNDS.kp.min && g.kp <= GAIN_BOUNDS.kp.max, `kp ${g.kp}`);
        assert.ok(g.ki >= GAIN_BOUNDS.ki.min && g.ki <= GAIN_BOUNDS.ki.max, `ki ${g.ki}`);
      }
    }
    // The standard build: SIMC on the reaction curve, kp = 1/(k'·θ), τI = 4θ.
    const g = airGains(DEFAULT_KNOWLEDGE);
    assert.ok(Math.abs(g.kp - 1 / (0.025 * 25)) < 1e-9);
    assert.ok(Math.abs(g.ki - g.kp / 100) < 1e-9);
    // The standard build's gains the configuration document shows are these.
    assert.ok(Math.abs(AIR_PID.gains.kp - g.kp) < 1e-9 && Math.abs(AIR_PID.gains.ki - g.ki) < 1e-9);
    assert.equal(AIR_PID.gains.kd, g.kp * HEAT.derivativeS);
    const h = humidityGains(DEFAULT_KNOWLEDGE, 30, 12);
    assert.ok(h.kp > 0 && h.ki > 0 && h.ki < h.kp);
  });
});
