// Frozen copy of src/core/fan-policy.ts at commit 2cdf252 (main before issue 15), kept only so the
// XS control bench measures the old controllers side by side with today's. Not firmware code.
import { FAN } from "./control-config";

/**
 * The fan runs whenever the heater may run, its speed following heater demand between a
 * floor and a ceiling, and runs on at its floor for a while after heating stops so the
 * element's stored heat is carried away rather than left to build a hot spot.
 */
export class FanPolicy {
  private lastHeatingS: number | null = null;

  duty(nowS: number, heaterMayRun: boolean, heaterDemand: number): number {
    if (heaterMayRun) {
      this.lastHeatingS = nowS;
      return FAN.floor + (FAN.ceiling - FAN.floor) * Math.min(1, Math.max(0, heaterDemand));
    }
    if (this.lastHeatingS !== null && nowS - this.lastHeatingS < FAN.runOnS) return FAN.floor;
    return 0;
  }
}
