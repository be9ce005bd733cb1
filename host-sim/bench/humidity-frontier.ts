// What a humidifier that is only on or off allows: the steady ripple of the humidity when it
// switches no more often than a given count. Time proportioning at a fixed period, at the duty
// that holds the setpoint, after full mist up to it, the air held as in the humidity bound.
// Not a proven bound (another on/off pattern could do a little better), but it shows where
// fewer switches and a smaller ripple part ways on this plant: a controller that switches as
// little as on/off cannot have a ripple much below this.
import { IncubatorPlant, type SavedPlantState } from "../plant/model";
import type { PlantParams } from "../plant/params";

export interface RippleAtSwitches {
  readonly switches: number;
  readonly periodS: number;
  readonly duty: number;
  /** Max - min of the true humidity over the last 30 minutes, %RH. */
  readonly peakToPeak: number;
}

const LAST_S = 1800;

function heldAir(plant: IncubatorPlant, scratch: IncubatorPlant, airC: number, fan: number, humidifierOn: boolean): number {
  const s = plant.saveState();
  const airAfter = (u: number) => {
    scratch.restoreState(s);
    for (let i = 0; i < 2; i++) scratch.step(1, { heaterDuty: u, fanDuty: fan, humidifierOn });
    return scratch.state.airC;
  };
  const a0 = airAfter(0);
  const a1 = airAfter(1);
  return a1 <= a0 ? (a0 < airC ? 1 : 0) : Math.min(1, Math.max(0, (airC - a0) / (a1 - a0)));
}

function run(params: PlantParams, start: SavedPlantState, setpoint: number, airC: number, fan: number, horizonS: number, periodS: number, duty: number) {
  const plant = new IncubatorPlant(params);
  const scratch = new IncubatorPlant(params);
  plant.restoreState(start);
  let reachedAt = -1;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let t = 0; t < horizonS; t++) {
    if (reachedAt < 0 && plant.state.rh >= setpoint) reachedAt = t;
    const on = reachedAt < 0 || (t - reachedAt) % periodS < duty * periodS;
    plant.step(1, { heaterDuty: heldAir(plant, scratch, airC, fan, on), fanDuty: fan, humidifierOn: on });
    if (t >= horizonS - LAST_S) {
      const rh = plant.state.rh;
      min = Math.min(min, rh);
      max = Math.max(max, rh);
      sum += rh;
    }
  }
  return { mean: sum / LAST_S, peakToPeak: max - min };
}

/** The ripple when switching `switches` times over `horizonS` (null: the setpoint is out of reach). */
export function rippleAtSwitches(params: PlantParams, start: SavedPlantState, setpoint: number, airC: number, fan: number, horizonS: number, switches: number): RippleAtSwitches | null {
  const periodS = Math.max(2, Math.round((2 * horizonS) / Math.max(2, switches)));
  if (run(params, start, setpoint, airC, fan, horizonS, periodS, 1).mean < setpoint) return null;
  let lo = 0;
  let hi = 1;
  let last = { mean: 0, peakToPeak: 0 };
  for (let i = 0; i < 9; i++) {
    const duty = (lo + hi) / 2;
    last = run(params, start, setpoint, airC, fan, horizonS, periodS, duty);
    if (last.mean < setpoint) lo = duty;
    else hi = duty;
  }
  return { switches, periodS, duty: (lo + hi) / 2, peakToPeak: last.peakToPeak };
}
