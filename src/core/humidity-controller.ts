import { HUMIDIFIER, HUMIDITY_PID } from "./control-config";
import { Pid } from "./pid";

/**
 * Humidity PI whose output is the humidifier's on-fraction, delivered by time
 * proportioning: within each window the humidifier is on for the first fraction of it.
 * Fractions too short to be worth a switch are rounded to all-off or all-on.
 */
export class HumidityController {
  private readonly pid = new Pid(HUMIDITY_PID);
  private windowStartS: number | null = null;
  private fraction = 0;
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
      const onS = demand * HUMIDIFIER.windowS;
      this.fraction = onS < HUMIDIFIER.minSwitchS ? 0 : HUMIDIFIER.windowS - onS < HUMIDIFIER.minSwitchS ? 1 : demand;
    }
    return nowS - this.windowStartS < this.fraction * HUMIDIFIER.windowS;
  }

  idle(): void {
    this.running = false;
    this.windowStartS = null;
    this.fraction = 0;
  }
}
