import { HEAT } from "./control-config";

/**
 * The air temperature's trend for the heat controller: a lightly smoothed value (the SHT31's
 * 0.015 °C noise averaged out), its rate of change filtered again (the air loop's derivative),
 * its rise over the last `RISE_WINDOW` ticks (from a preallocated ring, so the control tick
 * allocates nothing; worked out when asked, since most holding ticks do not ask), and a slow
 * average that stands for how warm the hood has become (it follows the air over HOOD_LAG_S).
 */
export const RISE_WINDOW = 20;
export const HOOD_LAG_S = 2400;
// Read once (a property lookup per use costs on XS).
const DERIVATIVE_FILTER_S = HEAT.derivativeFilterS;
const RING = RISE_WINDOW + 2;

export class AirTrend {
  /** The smoothed air of the last RING ticks; `head` is where the next goes, and holds the
   *  value of RISE_WINDOW + 1 ticks ago (the one `slope` compares with). */
  private readonly ring = new Float64Array(RING);
  private count = 0;
  private head = 0;
  /** Smoothed air, °C (first-order, 5 s). */
  value = 0;
  /** The smoothed air's rate of change, filtered over HEAT.derivativeFilterS, °C/s (the air
   *  loop's derivative: the SHT31's noise would otherwise reach the heater amplified by
   *  kp × derivativeS). */
  rate = 0;
  /** The air averaged over HOOD_LAG_S: where the hood's temperature heads. */
  hood = 0;

  /** `hood`: the hood's temperature as far as is known (the air, after a cold start). */
  reset(air: number, hood: number): void {
    this.value = air;
    this.rate = 0;
    this.hood = hood;
    this.ring.fill(air);
    this.count = 0;
    this.head = 0;
  }

  /** Rise of the smoothed air per second over the last RISE_WINDOW ticks, °C/s (0 until full). */
  get slope(): number {
    return this.count > RISE_WINDOW ? (this.value - this.ring[this.head]) / RISE_WINDOW : 0;
  }

  /** One tick (of about a second). */
  update(air: number, dtS: number): void {
    const last = this.value;
    this.value += ((air - last) * dtS) / (5 + dtS);
    if (dtS > 0) this.rate += (dtS / (DERIVATIVE_FILTER_S + dtS)) * ((this.value - last) / dtS - this.rate);
    this.hood += ((air - this.hood) * dtS) / (HOOD_LAG_S + dtS);
    this.ring[this.head] = this.value;
    this.head = (this.head + 1) % RING;
    if (this.count <= RISE_WINDOW) this.count++;
  }
}
