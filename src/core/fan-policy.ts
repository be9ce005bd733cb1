import { FAN } from "./control-config";

// Read once (a property lookup per use costs on XS).
const FLOOR = FAN.floor;
const SPAN = FAN.ceiling - FAN.floor;
const RUN_ON_S = FAN.runOnS;

/**
 * The fan runs whenever the heater may run, between a floor and a ceiling, following the heat
 * controller's demand for fast heat: at its floor while the heater works alone (warming up,
 * the heat then goes into the air rather than into the cold hood, and the element charges),
 * rising towards its ceiling when the controller asks for a boost (it moves the element's
 * stored heat into the air at once: the fastest heat the incubator has). After heating stops
 * the fan runs on at its floor for a while, so the element's stored heat is carried away
 * rather than left to build a hot spot.
 */
export class FanPolicy {
  private lastHeatingS: number | null = null;

  /** `boost` 0..1: how much of the way from floor to ceiling. */
  duty(nowS: number, heaterMayRun: boolean, boost: number): number {
    if (heaterMayRun) {
      this.lastHeatingS = nowS;
      return FLOOR + SPAN * (boost > 1 ? 1 : boost > 0 ? boost : 0);
    }
    if (this.lastHeatingS !== null && nowS - this.lastHeatingS < RUN_ON_S) return FLOOR;
    return 0;
  }
}
