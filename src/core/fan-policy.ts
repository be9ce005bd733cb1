import { FAN } from "./control-config";

/**
 * The fan runs whenever the heater may run and follows the heat demand within a floor and a
 * ceiling, split-range: a demand of 0..1 is heater duty with the fan at its floor, so that
 * while warming up the heat goes into the air rather than into the cold hood (the element
 * charges); a demand of 1..2 is full heat with the fan rising to its ceiling, which moves the
 * element's stored heat into the air at once (the fastest heat the incubator has). After
 * heating stops the fan runs on at its floor for a while, so the element's stored heat is
 * carried away rather than left to build a hot spot.
 */
export class FanPolicy {
  private lastHeatingS: number | null = null;

  /** The heater duty of a heat demand (0..2). */
  static heaterDuty(demand: number): number {
    return demand > 1 ? 1 : demand > 0 ? demand : 0;
  }

  duty(nowS: number, heaterMayRun: boolean, heatDemand: number): number {
    if (heaterMayRun) {
      this.lastHeatingS = nowS;
      const boost = heatDemand > 2 ? 1 : heatDemand > 1 ? heatDemand - 1 : 0;
      return FAN.floor + (FAN.ceiling - FAN.floor) * boost;
    }
    if (this.lastHeatingS !== null && nowS - this.lastHeatingS < FAN.runOnS) return FAN.floor;
    return 0;
  }
}
