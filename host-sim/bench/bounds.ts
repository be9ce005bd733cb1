// Time-optimal bounds, computed on the model alone (true values, no sensors, no controller):
// how soon the controlled temperature can reach its setpoint minus the reach band, over
// heater and fan trajectories within the actuators' limits, from the scenario's saved state.
//
// Heater: the model is cooperative (every node only gains from a warmer neighbour), so for a
// given fan trajectory more heater power never makes any node colder: full power until a
// switch-off is optimal, and the search runs over fan programmes and the switch-off time.
// Fan: it moves the element's stored heat into the air but also the air's heat into the
// cold hood. The fastest programmes are bang-bang: the fan at one level while the element
// charges, a boost at the other to empty it into the air, and after the switch-off either
// level. The search covers every constant level on a grid and charge-boost-after
// programmes with the boost starting at any second (scanned coarse to fine).
//
// Two bounds per temperature scenario:
//  - "any overshoot": the fastest reach, whatever happens after it;
//  - "overshoot <= limit": the fastest reach of a programme after which the temperature
//    stays within setpoint + limit for the next 45 minutes. A controller that meets the
//    overshoot target is one such programme, so it cannot beat this bound (up to what the
//    programme family misses; the search is checked against a random search in the tests).
import { IncubatorPlant, type SavedPlantState } from "../plant/model";
import type { PlantParams } from "../plant/params";
import { ProgrammeRunner, type FanRange, type Programme, type RunnerProblem, type Yield } from "./programme-runner";

export { HOLD_CHECK_S, ProgrammeRunner, type FanRange, type Programme, type SafetyLimits } from "./programme-runner";

export interface BoundProblem extends RunnerProblem {
  /** For the constrained bound: how far the quantity may exceed the setpoint after reaching it. */
  readonly overshootLimit: number;
}

export interface BoundResult {
  /** Seconds from the start until reached; null when no programme reaches it within the horizon. */
  readonly reachS: number | null;
  /** The programme that did. */
  readonly how: string;
  /** That programme (to replay it), and until the reach the outlet's air above the SHT31's at
   *  most and the outlet's air at most, °C (true values). */
  readonly programme?: Programme;
  readonly peakExcessC?: number;
  readonly peakOutletC?: number;
}

function fanGrid(fan: FanRange): number[] {
  const levels: number[] = [];
  for (let i = 0; i <= 6; i++) levels.push(fan.min + ((fan.max - fan.min) * i) / 6);
  return levels;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

function describe(p: Programme, reachS: number, governed: boolean): string {
  const parts = [p.boostS < p.heaterOffS ? `fan ${pct(p.fanCharge)}, ${pct(p.fanBoost)} from ${p.boostS} s` : `fan ${pct(p.fanCharge)}`];
  parts.push(p.heaterOffS >= reachS ? "full heat until reached" : `full heat until ${p.heaterOffS} s`);
  if (p.heaterOffS < Infinity) parts.push(`then off, fan ${pct(p.fanAfter)}`);
  if (governed) parts.push((p.yields ?? "fan") === "fan" ? "at the limits the fan rises, then the heater is cut" : "at the limits the heater is cut");
  return parts.join("; ");
}

/** The result of the programme that reached in `reachS`, with its peaks (run again). */
function withPeaks(runner: ProgrammeRunner, p: Programme, reachS: number, withOvershoot: boolean): BoundResult {
  const r = runner.run(p, withOvershoot);
  return { reachS, how: describe(p, reachS, runner.governed), programme: p, peakExcessC: r.peakExcessC, peakOutletC: r.peakOutletC };
}

/** Scans `f` over integer seconds [0, span] coarse to fine for its smallest value. */
function scanMin(span: number, f: (s: number) => number | null): { s: number; value: number } | null {
  let best: { s: number; value: number } | null = null;
  let from = 0;
  let to = span;
  let step = Math.max(1, Math.floor(span / 64));
  for (;;) {
    let improved = false;
    for (let s = from; s <= to; s += step) {
      const v = f(s);
      if (v !== null && (best === null || v < best.value)) {
        best = { s, value: v };
        improved = true;
      }
    }
    if (step === 1 || best === null || (!improved && step === 1)) break;
    from = Math.max(0, best.s - step);
    to = best.s + step;
    step = Math.max(1, Math.floor(step / 8));
  }
  return best;
}

export interface Bounds {
  readonly free: BoundResult;
  readonly constrained: BoundResult;
}

export function computeBounds(problem: BoundProblem): Bounds {
  const runner = new ProgrammeRunner(problem);
  const { min, max } = problem.fan;
  const levels = fanGrid(problem.fan);
  // Under safety limits the governor may make room by the fan or by the heater: both are searched.
  const yieldsTried: readonly Yield[] = problem.safety ? ["fan", "heat"] : ["fan"];

  // Any overshoot: full heat throughout; a constant fan, or charge then boost.
  let free: { t: number; p: Programme } | null = null;
  const tryFree = (p: Programme) => {
    const r = runner.run(p, false);
    if (r.reachS !== null && (free === null || r.reachS < free.t)) free = { t: r.reachS, p };
    return r.reachS;
  };
  for (const yields of yieldsTried) for (const f of levels) tryFree({ fanCharge: f, boostS: Infinity, fanBoost: f, heaterOffS: Infinity, fanAfter: f, yields });
  const span = (free as { t: number } | null)?.t ?? problem.horizonS;
  for (const yields of yieldsTried) for (const [a, b] of [[min, max], [max, min]]) scanMin(span, (s) => tryFree({ fanCharge: a, boostS: s, fanBoost: b, heaterOffS: Infinity, fanAfter: b, yields }));
  const freeFound = free as { t: number; p: Programme } | null;
  if (freeFound === null) {
    const none = { reachS: null, how: "not reachable within the horizon at full heat" };
    return { free: none, constrained: none };
  }

  // Overshoot within the limit. The fastest programme may already keep it when the heater
  // stops at the reach: then the two bounds are the same.
  for (const after of [min, max]) {
    const p = { ...freeFound.p, heaterOffS: freeFound.t, fanAfter: after };
    const r = runner.run(p, true);
    if (r.reachS === freeFound.t && r.overshoot <= problem.overshootLimit) {
      const result = withPeaks(runner, p, freeFound.t, true);
      return { free: withPeaks(runner, freeFound.p, freeFound.t, false), constrained: result };
    }
  }
  // Otherwise: for a given fan programme, the latest switch-off that keeps
  // it (more heat reaches sooner and peaks higher), found by bisection.
  const horizon = Math.min(problem.horizonS, freeFound.t * 3 + 600);
  let held: { t: number; p: Programme } | null = null;
  const latestFeasible = (make: (offS: number) => Programme): number | null => {
    const ok = (off: number) => {
      const r = runner.run(make(off), true);
      return r.reachS !== null && r.overshoot <= problem.overshootLimit ? r.reachS : null;
    };
    let lo = -1;
    let hi = horizon;
    let best: number | null = ok(hi);
    if (best !== null) lo = hi;
    else {
      // The earliest switch-off that still reaches, then the latest that still holds.
      let a = 0;
      let b = horizon;
      if (runner.run(make(b), false).reachS === null) return null;
      while (b - a > 1) {
        const mid = (a + b) >> 1;
        if (runner.run(make(mid), false).reachS !== null) b = mid;
        else a = mid;
      }
      best = ok(b);
      if (best === null) return null;
      lo = b;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        const r = ok(mid);
        if (r !== null) {
          lo = mid;
          best = r;
        } else hi = mid;
      }
    }
    const p = make(lo);
    if (best !== null && (held === null || best < held.t)) held = { t: best, p };
    return best;
  };
  for (const yields of yieldsTried) {
    for (const f of levels) for (const after of [min, max]) latestFeasible((off) => ({ fanCharge: f, boostS: Infinity, fanBoost: f, heaterOffS: off, fanAfter: after, yields }));
    for (const [a, b] of [[min, max], [max, min]]) {
      for (const after of [min, max]) {
        scanMin(span, (s) => latestFeasible((off) => ({ fanCharge: a, boostS: s, fanBoost: b, heaterOffS: Math.max(off, s), fanAfter: after, yields })));
      }
    }
  }
  const heldFound = held as { t: number; p: Programme } | null;
  return {
    free: withPeaks(runner, freeFound.p, freeFound.t, false),
    constrained: heldFound
      ? withPeaks(runner, heldFound.p, heldFound.t, true)
      : { reachS: null, how: `no programme reaches it and then stays within +${problem.overshootLimit}` },
  };
}

/**
 * The humidity bound: the humidifier on from the event until the humidity reaches the
 * setpoint minus the reach band, with the air held at `airC` (the heater duty that, held for
 * two seconds, brings the air to it) and the fan at `fan`.
 */
export function humidityBound(params: PlantParams, start: SavedPlantState, setpoint: number, reachBand: number, airC: number, fan: number, horizonS: number): BoundResult {
  const plant = new IncubatorPlant(params);
  const scratch = new IncubatorPlant(params);
  plant.restoreState(start);
  for (let t = 0; t < horizonS; t++) {
    const s = plant.saveState();
    const airAfter = (u: number) => {
      scratch.restoreState(s);
      for (let i = 0; i < 2; i++) scratch.step(1, { heaterDuty: u, fanDuty: fan, humidifierOn: true });
      return scratch.state.airC;
    };
    const a0 = airAfter(0);
    const a1 = airAfter(1);
    const duty = a1 <= a0 ? (a0 < airC ? 1 : 0) : Math.min(1, Math.max(0, (airC - a0) / (a1 - a0)));
    plant.step(1, { heaterDuty: duty, fanDuty: fan, humidifierOn: true });
    if (plant.state.rh >= setpoint - reachBand) return { reachS: t + 1, how: `humidifier on, air held at ${airC.toFixed(1)} °C, fan ${pct(fan)}` };
  }
  return { reachS: null, how: "the humidifier alone does not reach it within the horizon" };
}
