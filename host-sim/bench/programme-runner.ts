// Heater-and-fan programmes run on a private copy of the model (true values, no sensors, no
// controller), for the bounds (bounds.ts). With safety limits, a governor keeps every second of
// the programme within them: the outlet probe no further above the SHT31 air than the
// cross-check allows and no higher than the cut-out limit, the same limits the firmware's
// alarms hold the heater to.
import { IncubatorPlant, type SavedPlantState } from "../plant/model";
import type { PlantParams } from "../plant/params";

export interface FanRange {
  readonly min: number;
  readonly max: number;
}

/** What a safe programme keeps, on the model's true temperatures, °C. */
export interface SafetyLimits {
  /** The outlet probe's air above the SHT31's at most this (the cross-check). */
  readonly excessMaxC: number;
  /** The outlet probe's air at most this (the cut-out limit in force). */
  readonly outletMaxC: number;
}

/** How a governed programme makes room when its next second would break a limit: the fan rises
 *  first (more air over the element cools it) and the heater is cut only at the fan's ceiling,
 *  or the fan stays and the heater is cut. */
export type Yield = "fan" | "heat";

/** A heater-and-fan programme: full heat until `heaterOffS`, then none. */
export interface Programme {
  readonly fanCharge: number;
  /** From this second until the heater switch-off, the fan runs at `fanBoost`. */
  readonly boostS: number;
  readonly fanBoost: number;
  readonly heaterOffS: number;
  /** The fan after the switch-off. */
  readonly fanAfter: number;
  /** Only with safety limits (default "fan"). */
  readonly yields?: Yield;
}

export interface RunnerProblem {
  readonly params: PlantParams;
  readonly start: SavedPlantState | null;
  readonly quantity: "air" | "skin";
  readonly setpoint: number;
  readonly reachBand: number;
  readonly fan: FanRange;
  /** The air may not exceed this (skin mode's air bound): the heater is limited to hold it. */
  readonly airMaxC: number;
  readonly horizonS: number;
  /** null: no limits (the unconstrained bound). */
  readonly safety?: SafetyLimits | null;
}

/** How long after reaching the constrained bound's overshoot limit must still hold. */
export const HOLD_CHECK_S = 45 * 60;

export interface ProgrammeOutcome {
  /** Seconds until reached, or null. */
  readonly reachS: number | null;
  /** Highest excess over the setpoint from reaching until HOLD_CHECK_S later. */
  readonly overshoot: number;
  /** Until the reach: the outlet's air above the SHT31's at most, and the outlet's air at most,
   *  °C (true values). What the programme does after the reach only shows that the overshoot
   *  can be kept (it switches the heater off; the air then falls and the lagging outlet reads
   *  above it for a while, which a controller holding the setpoint does not do). */
  readonly peakExcessC: number;
  readonly peakOutletC: number;
}

/** What a run applied, second by second (to replay it on a fresh model). */
export interface AppliedTrace {
  readonly heater: number[];
  readonly fan: number[];
}

/** Bisection steps of the governor (the fan to 1 % of its range, the heater to 0.4 %). */
const GOVERNOR_STEPS = 8;
/** The governor only looks ahead this close to a limit (one second moves the outlet target far less). */
const GOVERNOR_BAND_C = 0.05;

export class ProgrammeRunner {
  private readonly plant: IncubatorPlant;
  private readonly scratch: IncubatorPlant;
  private readonly start: SavedPlantState;
  private readonly safety: SafetyLimits | null;
  private trace: AppliedTrace | null = null;
  runs = 0;

  /** Whether the runs are held to safety limits. */
  get governed(): boolean {
    return this.safety !== null;
  }

  constructor(private readonly problem: RunnerProblem) {
    this.plant = new IncubatorPlant(problem.params);
    this.scratch = new IncubatorPlant(problem.params);
    this.start = problem.start ?? this.plant.saveState();
    this.safety = problem.safety ?? null;
  }

  /** Reach time and overshoot; `withOvershoot` false stops at the reach (cheaper). */
  run(p: Programme, withOvershoot: boolean): ProgrammeOutcome {
    this.runs++;
    const { setpoint, reachBand, horizonS } = this.problem;
    this.plant.restoreState(this.start);
    const target = setpoint - reachBand;
    let reachS: number | null = null;
    let overshoot = 0;
    let peakExcessC = -Infinity;
    let peakOutletC = -Infinity;
    for (let t = 0; t < horizonS; t++) {
      const heat = t < p.heaterOffS;
      const fan = heat ? (t < p.boostS ? p.fanCharge : p.fanBoost) : p.fanAfter;
      this.step(heat ? 1 : 0, fan, p.yields ?? "fan");
      const s = this.plant.state;
      if (reachS === null) {
        if (s.outletAirC - s.airC > peakExcessC) peakExcessC = s.outletAirC - s.airC;
        if (s.outletAirC > peakOutletC) peakOutletC = s.outletAirC;
      }
      const value = this.problem.quantity === "air" ? s.airC : s.skinC;
      if (reachS === null && value >= target) {
        reachS = t + 1;
        if (!withOvershoot) break;
      }
      if (reachS !== null) {
        overshoot = Math.max(overshoot, value - setpoint);
        if (t + 1 - reachS >= HOLD_CHECK_S) break;
      }
    }
    return { reachS, overshoot, peakExcessC, peakOutletC };
  }

  /** The heater duty and fan the run of `p` applied each second (the governor's cuts included). */
  applied(p: Programme, withOvershoot: boolean): AppliedTrace & ProgrammeOutcome {
    const trace: AppliedTrace = { heater: [], fan: [] };
    this.trace = trace;
    try {
      return { ...this.run(p, withOvershoot), ...trace };
    } finally {
      this.trace = null;
    }
  }

  /** One second with the heater at `duty`: limited so that the air stays at or below airMaxC,
   *  and so that the outlet stays within the safety limits. */
  private step(duty: number, fan: number, yields: Yield): void {
    const limit = this.problem.airMaxC;
    if (duty > 0 && limit < Infinity) {
      const saved = this.plant.saveState();
      const high = this.trial(saved, duty, fan).airC;
      if (high > limit) {
        const low = this.trial(saved, 0, fan).airC;
        duty = low >= limit ? 0 : (duty * (limit - low)) / (high - low);
      }
    }
    if (this.safety !== null && this.nearLimits()) [duty, fan] = this.govern(duty, fan, yields);
    if (this.trace !== null) {
      this.trace.heater.push(duty);
      this.trace.fan.push(fan);
    }
    this.plant.step(1, { heaterDuty: duty, fanDuty: fan, humidifierOn: false });
  }

  private trial(saved: SavedPlantState, duty: number, fan: number) {
    this.scratch.restoreState(saved);
    this.scratch.step(1, { heaterDuty: duty, fanDuty: fan, humidifierOn: false });
    return this.scratch.state;
  }

  /** Where the outlet is heading: the air plus the element's share seen at the outlet (the
   *  lagging outlet approaches it; while the air rises it stays below it). */
  private outletTarget(s: { readonly heaterC: number; readonly airC: number }): number {
    const p = this.problem.params;
    return s.airC + p.outletHeaterFraction * (s.heaterC - s.airC) + p.outletOffsetC;
  }

  private keeps(s: { readonly heaterC: number; readonly airC: number; readonly outletAirC: number }, band: number): boolean {
    const safety = this.safety as SafetyLimits;
    const target = this.outletTarget(s);
    return target - s.airC <= safety.excessMaxC - band && target <= safety.outletMaxC - band && s.outletAirC <= safety.outletMaxC - band;
  }

  private nearLimits(): boolean {
    return !this.keeps(this.plant.state, GOVERNOR_BAND_C);
  }

  /** The least change to (duty, fan) after which the next second keeps the limits. */
  private govern(duty: number, fan: number, yields: Yield): [number, number] {
    const saved = this.plant.saveState();
    const ok = (u: number, f: number) => this.keeps(this.trial(saved, u, f), 0);
    if (duty === 0 || ok(duty, fan)) return [duty, fan];
    const ceiling = this.problem.fan.max;
    if (yields === "fan") {
      if (ok(duty, ceiling)) {
        let lo = fan;
        let hi = ceiling;
        for (let i = 0; i < GOVERNOR_STEPS; i++) {
          const mid = (lo + hi) / 2;
          if (ok(duty, mid)) hi = mid;
          else lo = mid;
        }
        return [duty, hi];
      }
      fan = ceiling;
    }
    if (!ok(0, fan)) return [0, fan];
    let lo = 0;
    let hi = duty;
    for (let i = 0; i < GOVERNOR_STEPS; i++) {
      const mid = (lo + hi) / 2;
      if (ok(mid, fan)) lo = mid;
      else hi = mid;
    }
    return [lo, fan];
  }
}
