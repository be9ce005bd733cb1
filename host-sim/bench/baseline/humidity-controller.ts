// Frozen copy of src/core/humidity-controller.ts at commit 2cdf252 (main before issue 15), kept only so the
// XS control bench measures the old controllers side by side with today's. Not firmware code.
import { HUMIDIFIER, HUMIDITY_PID } from "./control-config";
import { Pid } from "./pid";

/**
 * Humidity PID whose output is the humidifier's on-fraction, delivered by time
 * proportioning: within each window the humidifier is on for the first part of it.
 * The on-time can only be a whole number of control ticks, and fractions too short to be
 * worth a switch are rounded to all-off or all-on; what each window's rounding loses is
 * carried into the next (error diffusion), so the delivered mist averages the demand
 * instead of dithering between two levels.
 */
export class HumidityController {
  private readonly pid = new Pid(HUMIDITY_PID);
  private windowStartS: number | null = null;
  private fraction = 0;
  private onS = 0;
  private carryS = 0;
  private running = false;

  /** Returns whether the humidifier should be on now. */
  update(nowS: number, setpoint: number, humidity: number, dtS: number): boolean {
    if (!this.running) {
      this.pid.track(0, setpoint, humidity);
      this.running = true;
    }
    const demand = this.pid.update(setpoint, humidity, dtS);
    // A window is normally kept to its end; a much larger demand (a setpoint raised, a porthole
    // opened) starts a new window at once instead of waiting up to a whole window.
    const surge = this.windowStartS !== null && demand - this.fraction >= HUMIDIFIER.restartDemandStep;
    if (this.windowStartS === null || surge || nowS - this.windowStartS >= HUMIDIFIER.windowS) {
      this.windowStartS = nowS;
      const windowS = HUMIDIFIER.windowS;
      const tickS = dtS > 0 ? dtS : 1;
      const wantedS = demand * windowS + (surge ? 0 : this.carryS);
      let onS = Math.round(wantedS / tickS) * tickS;
      if (onS < HUMIDIFIER.minSwitchS) onS = 0;
      else if (windowS - onS < HUMIDIFIER.minSwitchS) onS = windowS;
      this.onS = onS;
      this.carryS = Math.min(windowS, Math.max(-windowS, wantedS - onS));
      this.fraction = onS / windowS;
    }
    // Half a tick of tolerance: the ticks fall on the window's whole seconds.
    return nowS - this.windowStartS < this.onS - 0.5 * (dtS > 0 ? dtS : 1);
  }

  idle(): void {
    this.running = false;
    this.windowStartS = null;
    this.fraction = 0;
    this.onS = 0;
    this.carryS = 0;
  }
}
