// The safe bounds keep the limits the firmware's alarms hold the heater to, and are never faster
// than the unconstrained bounds: replayed second by second on a fresh model, on the public family.
import assert from "node:assert/strict";
import { computeBounds, ProgrammeRunner, type BoundProblem, type BoundResult, type SafetyLimits } from "../../host-sim/bench/bounds";
import { FAMILY_DIR, loadPlants } from "../../host-sim/bench/family";
import { safetyLimits } from "../../host-sim/bench/run-scenario";
import { IncubatorPlant, type SavedPlantState } from "../../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS, type PlantParams } from "../../host-sim/plant/params";
import { MISMATCH } from "../../src/alarms/alarm-conditions";
import { LIMITS } from "../../src/alarms/catalog";
import { CONTROL, FAN } from "../../src/core/control-config";

const fan = { min: FAN.floor, max: FAN.ceiling };

function warmup(params: PlantParams): Omit<BoundProblem, "safety"> {
  return { params, start: null, quantity: "air", setpoint: 36, reachBand: 0.5, overshootLimit: 0.2, fan, airMaxC: Infinity, horizonS: 4 * 3600 };
}

function skin(params: PlantParams): Omit<BoundProblem, "safety"> {
  return { params, start: null, quantity: "skin", setpoint: 36.5, reachBand: 0.5, overshootLimit: 0.2, fan, airMaxC: CONTROL.skinModeAirMaxC, horizonS: 5 * 3600 };
}

/** The plant held at 36 °C air for 3 h by a PI on the true air, the fan at its floor. */
function heldAt36(params: PlantParams): SavedPlantState {
  const plant = new IncubatorPlant(params);
  let integral = 0.3;
  for (let t = 0; t < 3 * 3600; t++) {
    const e = 36 - plant.state.airC;
    integral = Math.min(1, Math.max(0, integral + 0.0005 * e));
    plant.step(1, { heaterDuty: Math.min(1, Math.max(0, integral + 0.5 * e)), fanDuty: FAN.floor, humidifierOn: false });
  }
  return plant.saveState();
}

/** Replays what the bound's run applied on a fresh model: the worst excess of the outlet over
 *  the air and the highest outlet until the reach, and the reach second. */
function replay(problem: BoundProblem, result: BoundResult) {
  assert.ok(result.programme, "the bound names its programme");
  const trace = new ProgrammeRunner(problem).applied(result.programme, false);
  const plant = new IncubatorPlant(problem.params);
  if (problem.start) plant.restoreState(problem.start);
  let excess = -Infinity;
  let outlet = -Infinity;
  let reach: number | null = null;
  for (let t = 0; t < trace.heater.length && reach === null; t++) {
    assert.ok(trace.heater[t] >= 0 && trace.heater[t] <= 1 && trace.fan[t] >= fan.min && trace.fan[t] <= fan.max + 1e-12, `actuators within range at ${t} s`);
    plant.step(1, { heaterDuty: trace.heater[t], fanDuty: trace.fan[t], humidifierOn: false });
    const s = plant.state;
    excess = Math.max(excess, s.outletAirC - s.airC);
    outlet = Math.max(outlet, s.outletAirC);
    if ((problem.quantity === "air" ? s.airC : s.skinC) >= problem.setpoint - problem.reachBand) reach = t + 1;
  }
  return { excess, outlet, reach };
}

function checkSafe(name: string, problem: Omit<BoundProblem, "safety">, limits: SafetyLimits) {
  const free = computeBounds(problem);
  const safeProblem = { ...problem, safety: limits };
  const safe = computeBounds(safeProblem);
  for (const [which, s, f] of [["any overshoot", safe.free, free.free], ["overshoot <= 0.2", safe.constrained, free.constrained]] as const) {
    assert.ok(s.reachS !== null && f.reachS !== null, `${name} ${which}: reached`);
    assert.ok(s.reachS >= f.reachS, `${name} ${which}: the safe bound ${s.reachS} s is faster than the unconstrained ${f.reachS} s`);
    const r = replay(safeProblem, s);
    assert.equal(r.reach, s.reachS, `${name} ${which}: the replay reaches when the bound says`);
    assert.ok(r.excess <= limits.excessMaxC + 1e-9, `${name} ${which}: outlet ${r.excess.toFixed(3)} °C above the air > ${limits.excessMaxC}`);
    assert.ok(r.outlet <= limits.outletMaxC + 1e-9, `${name} ${which}: outlet ${r.outlet.toFixed(3)} °C > ${limits.outletMaxC}`);
  }
  return { free, safe };
}

describe("safe bounds (the alarms' limits on the outlet probe)", function () {
  this.timeout(600_000);

  it("take their limits from the alarms: the cross-check and the cut-out in force", () => {
    assert.deepEqual(safetyLimits("air"), { excessMaxC: MISMATCH.limitC, outletMaxC: LIMITS.cutoutC });
    assert.deepEqual(safetyLimits("skin"), { excessMaxC: MISMATCH.limitC, outletMaxC: LIMITS.cutoutOverrideC });
  });

  for (const plant of loadPlants(undefined, FAMILY_DIR)) {
    it(`${plant.name}: warm-up, step and skin-mode safe bounds keep the limits every second and are never faster than the unconstrained ones`, () => {
      checkSafe(`${plant.name} warm-up`, warmup(plant.params), safetyLimits("air"));
      checkSafe(`${plant.name} step`, { ...warmup(plant.params), start: heldAt36(plant.params), setpoint: 37, horizonS: 2 * 3600 }, safetyLimits("air"));
      checkSafe(`${plant.name} skin`, skin(plant.params), safetyLimits("skin"));
    });
  }

  it("where the limits bind, the governor holds them (fan first, or the heater) and the bound is slower for it", () => {
    // Half the cross-check and a cut-out just above the setpoint: both bind on the default plant.
    const tight = { excessMaxC: MISMATCH.limitC / 2, outletMaxC: 36.4 };
    const { free, safe } = checkSafe("default, tight limits", warmup(DEFAULT_PLANT_PARAMS), tight);
    assert.ok((safe.free.reachS as number) > (free.free.reachS as number), `${safe.free.reachS} vs ${free.free.reachS}`);
    assert.match(safe.free.how, /at the limits/);
  });
});
