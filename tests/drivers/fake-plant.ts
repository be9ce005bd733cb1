import type { PlantLike } from "../../host-sim/sim-board";

/** A still incubator for driver tests: fixed conditions the tests can change. */
export function fakePlant(): PlantLike & { state: { airC: number; outletAirC: number; skinC: number; rh: number; fanRpm: number } } {
  const state = { airC: 34.2, outletAirC: 34.6, skinC: 36.4, rh: 55, fanRpm: 1800 };
  return {
    state,
    sensed: state,
    faults: { heaterBroken: false, fanStuck: false },
  };
}
