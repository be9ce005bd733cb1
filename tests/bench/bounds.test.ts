// The bench's time-optimal bounds are bounds: no heater and fan programme beats them.
import assert from "node:assert/strict";
import fc from "fast-check";
import { computeBounds, HOLD_CHECK_S, type BoundProblem } from "../../host-sim/bench/bounds";
import { aggregate } from "../../host-sim/bench/metrics";
import { fitIntegratingLag, simc } from "../../host-sim/bench/tuned-pid";
import { IncubatorPlant } from "../../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../host-sim/plant/params";
import { FAN } from "../../src/core/control-config";

const WARMUP: BoundProblem = {
  params: DEFAULT_PLANT_PARAMS,
  start: null,
  quantity: "air",
  setpoint: 36,
  reachBand: 0.5,
  overshootLimit: 0.2,
  fan: { min: FAN.floor, max: FAN.ceiling },
  airMaxC: Infinity,
  horizonS: 3 * 3600,
};

/** Reach time and the overshoot over HOLD_CHECK_S after it, of a piecewise-constant programme. */
function runProgramme(segments: readonly { heater: number; fan: number }[], segmentS: number) {
  const plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
  let reach: number | null = null;
  let overshoot = 0;
  for (let t = 0; t < segments.length * segmentS; t++) {
    const s = segments[Math.floor(t / segmentS)];
    plant.step(1, { heaterDuty: s.heater, fanDuty: s.fan, humidifierOn: false });
    const air = plant.state.airC;
    if (reach === null && air >= 35.5) reach = t + 1;
    if (reach !== null) {
      overshoot = Math.max(overshoot, air - 36);
      if (t + 1 - reach >= HOLD_CHECK_S) break;
    }
  }
  return { reach, overshoot, complete: reach !== null && segments.length * segmentS - reach >= HOLD_CHECK_S };
}

describe("bench bounds", () => {
  const bounds = computeBounds(WARMUP);

  it("finds the warm-up bound of the default plant: the fan at its floor, then a boost that empties the element", () => {
    assert.ok(bounds.free.reachS !== null && bounds.constrained.reachS !== null);
    // Full heat at the fan's floor alone takes 1353 s; the boost saves about 3 minutes.
    assert.ok(bounds.free.reachS > 1100 && bounds.free.reachS < 1250, `${bounds.free.reachS} s`);
    assert.ok(bounds.constrained.reachS >= bounds.free.reachS);
    assert.match(bounds.free.how, /fan 35 %, 100 % from/);
  });

  it("is not beaten by random heater and fan programmes (seeded; a failing seed becomes a fixed case)", () => {
    const segmentS = 60;
    const seg = fc.record({ heater: fc.double({ min: 0, max: 1, noNaN: true }), fan: fc.double({ min: FAN.floor, max: FAN.ceiling, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(seg, { minLength: 20, maxLength: 20 }), fc.array(seg, { minLength: 60, maxLength: 60 }), (early, late) => {
        // Mostly full heat (random programmes rarely come near the bound otherwise).
        const programme = [...early.map((s) => ({ heater: Math.max(s.heater, 0.97), fan: s.fan })), ...late];
        const r = runProgramme(programme, segmentS);
        if (r.reach !== null) assert.ok(r.reach >= (bounds.free.reachS as number), `reached in ${r.reach} s < bound ${bounds.free.reachS}`);
        if (r.complete && r.overshoot <= 0.2) assert.ok((r.reach as number) >= (bounds.constrained.reachS as number), `within the limit in ${r.reach} s`);
      }),
      { seed: 20260115, numRuns: 40 },
    );
  });

  it("a boost at any second of a fixed fan programme is never faster than the bound", () => {
    for (let boostAt = 1000; boostAt <= 1250; boostAt += 7) {
      const r = runProgramme([...Array(Math.floor(boostAt / 1)).fill({ heater: 1, fan: FAN.floor }), ...Array(3600).fill({ heater: 1, fan: FAN.ceiling })], 1);
      if (r.reach !== null) assert.ok(r.reach >= (bounds.free.reachS as number), `boost at ${boostAt}: ${r.reach}`);
    }
  });
});

describe("bench instruments", () => {
  it("aggregates mean and worst, and 'never' wins", () => {
    assert.deepEqual(aggregate([1, 3, 2]), { mean: 2, worst: 3 });
    assert.deepEqual(aggregate([1, null]), { mean: null, worst: null });
    assert.deepEqual(aggregate([]), { mean: null, worst: null });
  });

  it("SIMC: the reaction-curve fit recovers an integrating process with lag and dead time, and the half rule tunes it", () => {
    const slope = 0.02;
    const lag = 30;
    const dead = 10;
    const y = Array.from({ length: 600 }, (_, i) => {
      const s = i + 1 - dead;
      return s <= 0 ? 0 : slope * (s - lag * (1 - Math.exp(-s / lag)));
    });
    // An integrating process has no inflection: cap it at a lag-free rise late on, as a plant's creep.
    const m = fitIntegratingLag(y);
    assert.ok(Math.abs(m.slope - slope) / slope < 0.1, `slope ${m.slope}`);
    assert.ok(Math.abs(m.deadS + m.lagS / 2 - (dead + lag / 2)) < 8, `θe ${m.deadS + m.lagS / 2}`);
    const g = simc(m, 1);
    const thetaE = m.deadS + m.lagS / 2;
    assert.ok(Math.abs(g.kp - 1 / (m.slope * 2 * thetaE)) < 1e-9);
    assert.ok(Math.abs(g.ki - g.kp / (8 * thetaE)) < 1e-9);
    assert.equal(g.kd, 0);
  });
});
