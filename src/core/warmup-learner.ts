import { RISE_WINDOW, type AirTrend } from "./air-trend";

/**
 * Reads the warm-up from cold as the free step response it is: from the moment the heater
 * runs at full power (fan at its floor), the steepest rise of the air and where its tangent
 * crosses the starting temperature (the reaction curve's slope and apparent dead time).
 * Done once the rise has slowed well below its steepest; abandoned if the heater stops.
 */
export class ReactionCurve {
  private startS = 0;
  private startAir = 0;
  private steepest = 0;
  private steepestS = 0;
  private steepestAir = 0;
  private active = false;
  /** The result, once done: °C/s at full heat and s. */
  riseRate = 0;
  deadTimeS = 0;
  done = false;

  start(nowS: number, air: number): void {
    this.active = true;
    this.done = false;
    this.startS = nowS;
    this.startAir = air;
    this.steepest = 0;
  }

  stop(): void {
    this.active = false;
  }

  get running(): boolean {
    return this.active;
  }

  /** Something else moves the air now (the element guard's fan): the curve so far is the
   *  result, once its steepest point is behind it; else nothing is learned. */
  finish(): void {
    if (!this.active) return;
    this.active = false;
    if (this.steepest <= 0 || this.steepestS <= this.startS) return;
    this.done = true;
    this.riseRate = this.steepest;
    this.deadTimeS = this.steepestS - this.startS - (this.steepestAir - this.startAir) / this.steepest - 5;
  }

  /** One tick at full heat. */
  update(nowS: number, trend: AirTrend): void {
    if (!this.active) return;
    const slope = trend.slope;
    if (slope > this.steepest) {
      this.steepest = slope;
      // The slope is the rise over the window: it belongs to the window's middle.
      this.steepestS = nowS - 10;
      this.steepestAir = trend.value - slope * 10;
    } else if (this.steepest > 0 && slope < 0.7 * this.steepest && nowS - this.steepestS > 60) {
      this.active = false;
      this.done = true;
      this.riseRate = this.steepest;
      // The 5 s smoothing delays the curve by about 5 s.
      this.deadTimeS = this.steepestS - this.startS - (this.steepestAir - this.startAir) / this.steepest - 5;
    }
  }
}

/**
 * Measures a fan boost: how far it lifts the air above the trend the element gave at the
 * fan's floor just before (the element's stored heat moved into the air), and how long that
 * takes: until the boosted rise has slowed to the charging rise.
 */
export class BoostMeter {
  private fromAir = 0;
  private fromS = 0;
  /** The rise rate at the floor before the boost, °C/s. */
  chargingRate = 0;
  /** The fan was at its floor when the boost began (not raised by the element guard): what the
   *  boost lifts is then this incubator's boost from the floor. */
  fromFloor = true;

  begin(nowS: number, trend: AirTrend, fanBefore: number): void {
    this.fromS = nowS;
    this.fromAir = trend.value;
    this.chargingRate = trend.slope;
    this.fromFloor = fanBefore === 0;
  }

  elapsedS(nowS: number): number {
    return nowS - this.fromS;
  }

  /** The air's rise since the boost began, beyond what charging alone would have given. */
  extraRise(nowS: number, trend: AirTrend): number {
    return trend.value - this.fromAir - this.chargingRate * (nowS - this.fromS);
  }

  /** The boost has given what it has: its rise slowed to the charging rise (once the trend
   *  window has seen only the boost). */
  spent(nowS: number, trend: AirTrend): boolean {
    return nowS - this.fromS > RISE_WINDOW + 5 && trend.slope <= this.chargingRate;
  }
}
