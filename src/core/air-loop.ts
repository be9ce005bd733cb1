import type { AirTrend } from "./air-trend";
import { HEAT } from "./control-config";
import type { ElementGuard } from "./element-guard";
import type { AirGains } from "./plant-knowledge";

// The table's values, read once (a property lookup per use costs on XS).
const DERIVATIVE_S = HEAT.derivativeS;
const BOOST_INTEGRAL_SHARE = HEAT.boostIntegralShare;
const BOOST_ERROR_C = HEAT.boostErrorC;
const HALF_BOOST_ERROR_C = HEAT.boostErrorC / 2;
const BOOST_DUTY_MAX = HEAT.boostDutyMax;
const FALL_RATE = HEAT.fallRate;
const BOOST_HOOD_C = HEAT.boostHoodC;
const BOOST_GAIN = HEAT.boostGain;
const BOOST_REARM = HEAT.boostRearm;
const REARM_S = HEAT.rearmS;
const MINUS_OFF_BELOW = -HEAT.offBelow;
const MIN_DUTY = HEAT.minDuty;
const MIN_SWITCH_S = HEAT.minSwitchS;
const INTEGRAL_MAX = HEAT.integralMax;

/** What the air loop needs to know of the target and the fan's plan this tick (one preallocated object, kept up to date by the heat controller). */
export interface AirLoopContext {
  /** The learned heater need at the target (feedforward), 0..1. */
  feedforward: number;
  /** The air temperature the feedforward is for (the loop's target; the boost compares it with
   *  the hood's trend, AirTrend.hood). */
  target: number;
  /** How long a boost is worth it, s (asked only while the loop boosts). */
  readonly boostBudgetS: () => number;
  /** The controller's own fan boost was on last tick. */
  boosting: boolean;
}

/**
 * The air loop while holding a target: a PI with feedforward of the learned heater need, its
 * derivative (the trend's filtered rate of the smoothed air) damping the approach, conditional
 * integration (no windup at full heat, at the guard's cap, at zero, and only slowly while the
 * fan boosts), minimum heater on and off times so that low demand does not chatter, and the
 * fan boost for a porthole open (demand beyond full heat, or the air falling fast).
 * Nothing is allocated per tick.
 */
export class AirLoop {
  private integral = 0;
  private heaterOn = false;
  private heaterChangedS = -Infinity;
  /** Since when the loop has been boosting (-1: it is not), and since when its demand is low. */
  private boostFromS = -1;
  private belowSinceS = -1;
  /** The gains (setGains): proportional, integral, and the derivative's on the trend's rate
   *  (-kp × HEAT.derivativeS: the rate of a rising air takes heat off). */
  private kp = 0;
  private ki = 0;
  private rateGain = 0;
  /** The fan boost chosen with the last heater duty, 0..1. */
  boost = 0;

  /** `trend`: the air's trend, updated every tick whatever the phase (its rate and slope);
   *  `guard`: the element guard, updated every tick (the most heater duty it allows). */
  constructor(
    private readonly trend: AirTrend,
    private readonly guard: ElementGuard,
  ) {}

  setGains(gains: AirGains): void {
    this.kp = gains.kp;
    this.ki = gains.ki;
    this.rateGain = -gains.kp * DERIVATIVE_S;
  }

  /** Presets the integral (clamped) and whether the heater counts as on. */
  preset(integral: number, heaterOn: boolean, nowS: number | null): void {
    this.integral = integral;
    this.clampIntegral();
    this.heaterOn = heaterOn;
    if (nowS !== null) this.heaterChangedS = nowS;
  }

  /** A boost elsewhere (a step's) started at `atS`: the loop's own boost counts from then. */
  boostingSince(atS: number): void {
    this.boostFromS = atS;
  }

  /** The feedforward took over part of what the integral held. */
  handOver(feedforwardRise: number): void {
    this.integral -= feedforwardRise;
  }

  /** One tick: the heater duty 0..1 (`boost` the fan boost with it). */
  update(nowS: number, error: number, dtS: number, c: AirLoopContext): number {
    const p = this.kp * error;
    const d = this.rateGain * this.trend.rate;
    let raw = c.feedforward + p + this.integral + d;
    // Integrate only while the heater is within its range: not while a porthole or a step has
    // it at full power (the fan boost beyond is a different, fast actuator), nor at zero.
    // While the fan boosts (a porthole open) it integrates slowly: the disturbance passes, and
    // what the integral took up would come out as a rebound.
    // (The element guard's cap is a limit of the heater like full power.)
    if (dtS > 0 && !((raw >= this.guard.cap && error > 0) || (raw <= 0 && error < 0))) {
      this.integral += (c.boosting ? this.ki * BOOST_INTEGRAL_SHARE : this.ki) * error * dtS;
      if (this.integral > INTEGRAL_MAX) this.integral = INTEGRAL_MAX;
      else if (this.integral < -INTEGRAL_MAX) this.integral = -INTEGRAL_MAX;
      raw = c.feedforward + p + this.integral + d;
    }
    let heater = raw > 1 ? 1 : raw;
    // The fan boost: demand beyond full heat moves it, fast, and so does the air falling fast
    // below the target (a porthole open): the boost keeps the element from storing up heat
    // (it would all come out as a rebound once the porthole closes). Only for as long as the
    // element has heat to give: then full heat with the fan at its floor heats the air more
    // (the element passes on all its power whatever the fan; more fan only loses more to the
    // hood); never for a small error (a heater near its limit is not helped by it), and not
    // while the hood is still cold (a warm-up not long past: the boost would pour the air's
    // heat into it).
    // (A heater at its limit does not boost here at all: a disturbance long enough to matter
    // outlasts the element's stored heat, and the boost's loss to the hood then deepens the drop.)
    if (this.boostFromS < 0 && error > BOOST_ERROR_C && c.feedforward < BOOST_DUTY_MAX && (raw > 1 || this.trend.slope < -FALL_RATE)) this.boostFromS = nowS;
    this.boost = 0;
    // A heater with power to spare keeps boosting while the air stays low (a porthole still
    // open): at full heat and the fan's floor its element would charge far above what it holds
    // in steady operation, to come out as a rebound. (Measured on the bench's family: a 2-minute
    // porthole drops the air of a 250 W heater 1.2 °C instead of 1.6 with it, and rebounds less.)
    // (Asked only once the loop boosts: most ticks it does not.)
    if (this.boostFromS >= 0 && ((c.feedforward < BOOST_DUTY_MAX && heater > c.feedforward) || nowS - this.boostFromS < c.boostBudgetS()) && error > HALF_BOOST_ERROR_C && c.target - this.trend.hood < BOOST_HOOD_C) {
      // As far as the heat beyond full power asks, and as far as the air is below the target.
      const beyond = raw > 1 ? (raw - 1) * BOOST_GAIN : 0;
      const below = (error - HALF_BOOST_ERROR_C) / BOOST_ERROR_C;
      const boost = beyond > below ? beyond : below;
      this.boost = this.trend.slope < -FALL_RATE || boost > 1 ? 1 : boost;
    }
    if (raw < BOOST_REARM) {
      if (this.belowSinceS < 0) this.belowSinceS = nowS;
      if (nowS - this.belowSinceS >= REARM_S) this.boostFromS = -1;
    } else this.belowSinceS = -1;
    // Minimum on and off times: a demand hovering at zero neither chatters the heater on and
    // off nor leaves it off for long.
    // (Off only when the loop clearly wants no heat at all, the air above the target: noise
    // around a small need keeps the heater on at its least duty; on again once it wants a little.)
    // (Whether it wants the other state: while on, a demand not above the off level.)
    if ((this.heaterOn ? !(raw > MINUS_OFF_BELOW) : heater >= MIN_DUTY) && nowS - this.heaterChangedS >= MIN_SWITCH_S) {
      this.heaterOn = !this.heaterOn;
      this.heaterChangedS = nowS;
    }
    if (!this.heaterOn) heater = 0;
    else if (heater < MIN_DUTY) heater = MIN_DUTY;
    return heater;
  }

  private clampIntegral(): void {
    if (this.integral > INTEGRAL_MAX) this.integral = INTEGRAL_MAX;
    else if (this.integral < -INTEGRAL_MAX) this.integral = -INTEGRAL_MAX;
  }
}
