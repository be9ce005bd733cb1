import { AirTrend, RISE_WINDOW } from "./air-trend";
import { CONTROL, HEAT, SKIN_PID } from "./control-config";
import { Pid } from "./pid";
import { ControlKnowledge } from "./control-knowledge";
import { ElementGuard } from "./element-guard";
import { airGains, MEASURED, plausible, type AirGains, type PlantKnowledge } from "./plant-knowledge";
import type { ControlMode } from "./types";
import { BoostMeter, ReactionCurve } from "./warmup-learner";

/** What the heat controller is doing. */
export type HeatPhase = "idle" | "charge" | "probe" | "boost" | "hold";

/**
 * The heater duty and the fan boost (see FanPolicy) for the air temperature, fitted
 * to the incubator it runs in:
 *  - a warm-up from cold is a free step response: full heat with the fan at its floor (the
 *    element charges, the cold hood takes little), from which the reaction curve (slope, dead
 *    time) sets the air loop's gains (SIMC); near the end a fan boost empties the element's
 *    stored heat into the air, timed by how far a boost lifted the air in this incubator (on
 *    the first warm-up measured by a probe boost half-way);
 *  - then a PI with feedforward of the learned heater need (duty per degree above the room,
 *    from steady operation), its derivative filtered, with minimum heater on and off times so
 *    that low demand does not chatter, and conditional integration (no windup while a
 *    porthole is open);
 *  - skin mode is a cascade: the outer loop turns skin error into an air target bounded to a
 *    safe band, the inner air loop as above.
 * What it learns is kept in one record (PlantKnowledge) across reboots; implausible values
 * fall back to the standard build's, and every gain stays within GAIN_BOUNDS.
 * Nothing is allocated per tick.
 */
export class HeatController {
  private gains: AirGains;
  private gainsVersion = -1;

  private readonly skin = new Pid(SKIN_PID);
  private readonly trend = new AirTrend();
  private readonly reaction = new ReactionCurve();
  private readonly meter = new BoostMeter();
  private activeMode: ControlMode | null = null;
  private skinFiltered = 0;
  phase: HeatPhase = "idle";
  /** The air temperature the air loop is servoing to (the skin cascade's output in skin mode). */
  airTarget = 0;

  // The air loop.
  private integral = 0;
  private lastAir = 0;
  private rate = 0;
  private heaterOn = false;
  private heaterChangedS = -Infinity;
  private lastTarget = 0;

  // Learning while holding.
  private coldStart = false;
  private holdSinceS = 0;
  private steadySinceS = 0;
  private steadySum = 0;
  private steadyTicks = 0;
  private afterSum = 0;
  private afterTicks = 0;

  constructor(private readonly knowledge: ControlKnowledge = new ControlKnowledge(null, HEAT.saveEveryS)) {
    this.gains = airGains(knowledge.value);
  }

  /**
   * One tick. `mode` is the mode actually in control (air while skin mode has fallen back);
   * `appliedDuty` the heater duty applied last tick; `probeAir` the outlet probe and `cutoutC`
   * the cut-out limit in force (for the element guard). Returns the heater duty 0..1; `boost`
   * says how far to boost the fan with it.
   */
  update(nowS: number, mode: ControlMode, airSetpoint: number, skinSetpoint: number, air: number, skin: number | null, dtS: number, appliedDuty: number, probeAir: number | null, cutoutC: number): number {
    this.guard.update(air, probeAir, cutoutC, dtS);
    this.cutoutC = cutoutC;
    let target = airSetpoint;
    if (mode === "skin" && skin !== null) {
      // The skin probe's 1/16 °C steps would step the air target by kp/16; smooth them first
      // (the skin moves over minutes, so this lag costs nothing).
      const alpha = dtS / (CONTROL.skinFilterS + dtS);
      this.skinFiltered = this.activeMode !== "skin" ? skin : this.skinFiltered + alpha * (skin - this.skinFiltered);
      if (this.activeMode !== "skin") {
        // Take over from the air temperature we have now; a cold incubator (air below the skin
        // setpoint) starts from a neutral integral instead, with nothing to be bumpless with.
        if (air < skinSetpoint) this.skin.reset();
        else this.skin.track(Math.min(air, CONTROL.skinModeAirMaxC) - skinSetpoint, skinSetpoint, this.skinFiltered);
      }
      // The outer loop's output is the air's offset over the skin setpoint.
      const offset = this.skin.update(skinSetpoint, this.skinFiltered, dtS);
      target = Math.min(Math.max(skinSetpoint + offset, CONTROL.skinModeAirMinC), CONTROL.skinModeAirMaxC);
    }
    const effective: ControlMode = mode === "skin" && skin !== null ? "skin" : "air";
    this.airTarget = target;
    if (this.gainsVersion !== this.knowledge.version) {
      this.gains = airGains(this.knowledge.value);
      this.gainsVersion = this.knowledge.version;
    }
    if (this.activeMode !== effective) this.begin(nowS, effective, target, air, appliedDuty);
    this.trend.update(air, dtS);
    // The derivative of the smoothed air, filtered again: the SHT31's noise would otherwise
    // reach the heater amplified by kp × derivativeS.
    if (dtS > 0) this.rate += (dtS / (HEAT.derivativeFilterS + dtS)) * ((this.trend.value - this.lastAir) / dtS - this.rate);
    this.lastAir = this.trend.value;
    const error = target - air;
    switch (this.phase) {
      case "charge":
        return this.charge(nowS, effective, error, appliedDuty, target, air);
      case "probe":
        if (this.meter.spent(nowS, this.trend) || this.meter.elapsedS(nowS) > HEAT.probeMaxS || error < HEAT.boostCutC) {
          // Its duration without the trend window's lag.
          this.learnBoost(this.meter.extraRise(nowS, this.trend), this.meter.elapsedS(nowS) - RISE_WINDOW / 2);
          this.phase = "charge";
          this.noBoostUntilS = nowS + HEAT.probeMaxS;
          return this.out(1, 0);
        }
        return this.out(1, 1);
      case "boost":
        if (this.stepBoost) {
          // A raised setpoint in a warm incubator: full heat and fan until the air is in the band
          // or the element is empty (then full heat alone: at full power the element gives the
          // air all of it whatever the fan, and more fan only loses more to the hood).
          if (error > HEAT.stepCutC && this.meter.elapsedS(nowS) < this.boostBudgetS()) return this.out(1, 1);
          // In the band, or the element spent: full heat with the fan at its floor finishes, as
          // after a warm-up (the air loop's boost re-armed only once the demand has fallen back).
          this.phase = "charge";
          this.boosted = true;
          this.boostFromS = nowS - this.boostBudgetS();
          return this.out(1, 0);
        }
        // Into the steady band: the element's heat is out; full heat with the fan at its floor
        // finishes the warm-up (boosting on would only pour the air's heat into the cold hood).
        if (error <= CONTROL.steadyBandC) {
          this.phase = "charge";
          this.boosted = true;
          return this.out(1, 0);
        }
        if (this.meter.elapsedS(nowS) > HEAT.probeMaxS || this.meter.spent(nowS, this.trend)) {
          // Stalled short of the band: this incubator's boost lifts less than thought (here, now).
          this.learnBoost(Math.max(HEAT.boostMinC, this.meter.extraRise(nowS, this.trend)), this.knowledge.value.boostS);
          this.phase = "charge";
          this.noBoostUntilS = nowS + HEAT.probeMaxS;
          return this.out(1, 0);
        }
        return this.out(1, 1);
      default:
        return this.regulate(nowS, target, error, dtS);
    }
  }

  /** Heating stopped (standby, fault): the next update starts again from the air it finds. */
  idle(): void {
    this.activeMode = null;
    this.guard.reset();
    this.phase = "idle";
    this.reaction.stop();
  }

  private begin(nowS: number, mode: ControlMode, target: number, air: number, appliedDuty: number): void {
    this.activeMode = mode;
    this.rate = 0;
    this.reaction.stop();
    this.noBoostUntilS = 0;
    this.boosted = false;
    // A warm-up from cold: far below the target, and (when the room is known) near the room
    // (a reboot after a short mains cut finds the air far below the target but well above the
    // room, the hood still warm).
    const k = this.knowledge.value;
    const nearRoom = (k.measured & MEASURED.steadyDuty) === 0 || air - k.roomC < Math.max(HEAT.coldStartC, HEAT.coldShare * (target - k.roomC));
    this.coldStart = target - air > HEAT.coldStartC && nearRoom;
    // Heating that starts near the target (a reboot, a mode change) finds the hood warm.
    this.trend.reset(air, this.coldStart ? air : target);
    this.lastAir = air;
    if (this.coldStart) {
      this.phase = "charge";
      this.startAir = air;
      this.roomSeen = air;
    } else {
      this.phase = "hold";
      this.holdSinceS = nowS;
      this.resetSteady(nowS);
      // Bumpless from the heater as applied (a change of mode); from nothing (a boot, a start)
      // the feedforward alone.
      this.integral = appliedDuty > 0 ? appliedDuty - this.feedforward(target) - this.gains.kp * (target - air) : 0;
      this.clampIntegral();
      this.heaterOn = appliedDuty > 0;
      // Well below the target in a warm incubator (resumed after a mains cut): as a raised setpoint.
      if (target - air > HEAT.stepCutC) this.phase = "charge";
    }
    this.lastTarget = target;
  }

  private startAir = 0;
  private roomSeen = 0;
  private noBoostUntilS = 0;
  private boosted = false;
  private stepBoost = false;
  /** The fan boost asked for with the last heater duty, 0..1 (see FanPolicy). */
  boost = 0;
  /** Since when the air loop has been boosting (-1: it is not). */
  private boostFromS = -1;
  private belowSinceS = -1;
  /** The fan boost the controller itself planned with the last heater duty (the guard may add). */
  private planBoost = 0;
  private cutoutC = Infinity;
  private readonly guard = new ElementGuard();

  /** How long a boost is worth it: twice the time the element takes to empty into the air;
   *  once for a heater near its limit (it loses to the hood what more boost would give). */
  private boostBudgetS(): number {
    const k = this.knowledge.value;
    return (this.feedforward(this.lastTarget) < HEAT.spareDutyMax ? 2 : 1) * k.boostS;
  }

  /** After a boost, full heat goes on until this close to the target: after a warm-up from
   *  cold, or for a heater near its limit, close; the more power a heater has to spare, the
   *  more its element stores at full heat (to come out as a rebound), the earlier it stops. */
  private finishFrom(target: number): number {
    if (this.coldStart) return HEAT.finishC;
    const c = HEAT.finishC + HEAT.finishPerSpare * (HEAT.spareDutyMax - this.feedforward(target));
    return c < HEAT.finishC ? HEAT.finishC : c > HEAT.stepCutC ? HEAT.stepCutC : c;
  }

  private charge(nowS: number, mode: ControlMode, error: number, appliedDuty: number, target: number, air: number): number {
    // The reaction curve is read from the first second of full heat (the interlock may hold the
    // heater off until the fan is proven).
    if (this.coldStart && !this.reaction.running && !this.reaction.done && appliedDuty >= 1) this.reaction.start(nowS, this.trend.value);
    if (this.reaction.running) {
      if (appliedDuty < 1) this.reaction.stop();
      else {
        this.reaction.update(nowS, this.trend);
        if (this.reaction.done) this.learnReaction(this.reaction.riseRate, this.reaction.deadTimeS);
      }
    }
    if (mode === "air" && !this.boosted && nowS >= this.noBoostUntilS) {
      const k = this.knowledge.value;
      const gap = error - CONTROL.steadyBandC;
      const known = (k.measured & MEASURED.boost) !== 0;
      const warm = !this.coldStart;
      // Boost once what it lifts, on top of the charging trend meanwhile, closes the gap (in a
      // warm incubator also with the standard build's figure: a boost there loses little).
      if ((known || warm) && this.trend.slope > 0 && gap <= (k.boostRiseC + this.trend.slope * k.boostS) * (1 - HEAT.boostMargin)) {
        this.meter.begin(nowS, this.trend);
        this.phase = "boost";
        this.stepBoost = warm;
        return this.out(1, 1);
      }
      // No boost measured yet: probe half-way through a long enough warm-up from cold.
      if (!known && !warm && this.reaction.done && target - this.startAir > HEAT.probeMinRiseC && air - this.startAir >= 0.5 * (target - this.startAir)) {
        this.meter.begin(nowS, this.trend);
        this.stepBoost = false;
        this.phase = "probe";
        return this.out(1, 1);
      }
    }
    const holdFrom = this.boosted ? this.finishFrom(target) : mode === "skin" ? HEAT.skinHoldFromC : HEAT.holdFromC;
    if (error <= holdFrom) {
      // After a warm-up from cold the hood still takes much; in a warm incubator the learned
      // need (after a boost the proportional part pushes on until the air arrives, see hold).
      const duty = this.coldStart ? this.knowledge.value.dutyAfterWarmup : this.feedforward(target);
      // The boost's fast rise is not the heater's doing (through the derivative it would pull the duty down).
      if (this.boosted) this.rate = 0;
      return this.hold(nowS, target, error, 1, duty);
    }
    return this.out(1, 0);
  }

  /** Into the air loop, its integral preset so that the demand settles at `duty`. */
  private hold(nowS: number, target: number, error: number, dtS: number, duty: number): number {
    this.phase = "hold";
    this.holdSinceS = nowS;
    this.afterSum = 0;
    this.afterTicks = 0;
    this.resetSteady(nowS);
    // The demand heads for `duty` as the air arrives, the proportional part pushing on top until
    // then (an integral preset to cancel it would leave the demand below the need as the error
    // closes, and the air sagging short of the target).
    this.integral = duty - this.feedforward(target);
    this.clampIntegral();
    this.heaterOn = true;
    this.heaterChangedS = nowS;
    if (this.coldStart) this.learnRoom(this.roomSeen);
    return this.regulate(nowS, target, error, dtS);
  }

  private feedforward(target: number): number {
    const k = this.knowledge.value;
    const ff = k.dutyPerDegree * (target - k.roomC);
    return ff > 0 ? ff : 0;
  }

  private clampIntegral(): void {
    if (this.integral > HEAT.integralMax) this.integral = HEAT.integralMax;
    else if (this.integral < -HEAT.integralMax) this.integral = -HEAT.integralMax;
  }

  private regulate(nowS: number, target: number, error: number, dtS: number): number {
    const g = this.gains;
    if (target !== this.lastTarget) {
      // A new setpoint: the feedforward moves with it, the integral keeps what it learned; a
      // rise in a warm incubator is met at once with all the heat it has.
      const rise = target - this.lastTarget;
      this.lastTarget = target;
      this.resetSteady(nowS);
      if (rise >= HEAT.stepBoostC && error > HEAT.stepCutC && target - this.trend.hood < HEAT.boostHoodC + rise) {
        this.phase = "charge";
        this.boosted = false;
        this.noBoostUntilS = 0;
        return this.charge(nowS, "air", error, 0, target, this.trend.value);
      }
    }
    const ff = this.feedforward(target);
    const p = g.kp * error;
    const d = -g.kp * HEAT.derivativeS * this.rate;
    let raw = ff + p + this.integral + d;
    // Integrate only while the heater is within its range: not while a porthole or a step has
    // it at full power (the fan boost beyond is a different, fast actuator), nor at zero.
    // While the fan boosts (a porthole open) it integrates slowly: the disturbance passes, and
    // what the integral took up would come out as a rebound.
    // (The element guard's cap is a limit of the heater like full power.)
    const saturated = (raw >= this.guard.cap && error > 0) || (raw <= 0 && error < 0);
    if (dtS > 0 && !saturated) {
      this.integral += (this.planBoost > 0 ? g.ki * HEAT.boostIntegralShare : g.ki) * error * dtS;
      this.clampIntegral();
    }
    raw = ff + p + this.integral + d;
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
    if (this.boostFromS < 0 && error > HEAT.boostErrorC && ff < HEAT.boostDutyMax && (raw > 1 || this.trend.slope < -HEAT.fallRate)) this.boostFromS = nowS;
    let boost = 0;
    // A heater with power to spare keeps boosting while the air stays low (a porthole still
    // open): at full heat and the fan's floor its element would charge far above what it holds
    // in steady operation, to come out as a rebound. (Measured on the bench's family: a 2-minute
    // porthole drops the air of a 250 W heater 1.2 °C instead of 1.6 with it, and rebounds less.)
    const spare = ff < HEAT.boostDutyMax && heater > ff;
    if (this.boostFromS >= 0 && (nowS - this.boostFromS < this.boostBudgetS() || spare) && error > HEAT.boostErrorC / 2 && target - this.trend.hood < HEAT.boostHoodC) {
      // As far as the heat beyond full power asks, and as far as the air is below the target.
      const beyond = raw > 1 ? (raw - 1) * HEAT.boostGain : 0;
      const below = (error - HEAT.boostErrorC / 2) / HEAT.boostErrorC;
      boost = beyond > below ? beyond : below;
      if (this.trend.slope < -HEAT.fallRate || boost > 1) boost = 1;
    }
    if (raw < HEAT.boostRearm) {
      if (this.belowSinceS < 0) this.belowSinceS = nowS;
      if (nowS - this.belowSinceS >= HEAT.rearmS) this.boostFromS = -1;
    } else this.belowSinceS = -1;
    // Minimum on and off times: a demand hovering at zero neither chatters the heater on and
    // off nor leaves it off for long.
    // (Off only when the loop clearly wants no heat at all, the air above the target: noise
    // around a small need keeps the heater on at its least duty; on again once it wants a little.)
    const wantOn = this.heaterOn ? raw > -HEAT.offBelow : heater >= HEAT.minDuty;
    if (wantOn !== this.heaterOn && nowS - this.heaterChangedS >= HEAT.minSwitchS) {
      this.heaterOn = wantOn;
      this.heaterChangedS = nowS;
    }
    if (!this.heaterOn) heater = 0;
    else if (heater < HEAT.minDuty) heater = HEAT.minDuty;
    this.learnWhileHolding(nowS, error, heater, boost);
    return this.out(heater, boost);
  }

  private out(heater: number, boost: number): number {
    const g = this.guard;
    const duty = heater > g.cap ? g.cap : heater;
    // Near the cut-out (an air target close to the limit in force: 37 °C in air mode, the skin
    // cascade's upper air targets, the override setpoints) the element must not store heat at
    // all: a closing porthole or a boost would dump it into the air and carry it into the
    // cut-out. There the fan follows the heater duty at least.
    const planned = this.activeMode === "skin" || this.airTarget > HEAT.boostMaxTargetC ? 0 : boost;
    this.planBoost = planned;
    // (Not while charging towards a new target: that ends close to it, and the charge is what
    // makes a warm-up or a step fast.)
    const near = this.phase === "hold" && this.cutoutC - this.airTarget < HEAT.nearCutoutC;
    const b = near && duty > planned ? duty : planned;
    // Whatever the plan, the element guard's fan.
    this.boost = g.boost > b ? g.boost : b;
    return duty;
  }

  private resetSteady(nowS: number): void {
    this.steadySinceS = nowS;
    this.steadySum = 0;
    this.steadyTicks = 0;
  }

  private learnWhileHolding(nowS: number, error: number, demand: number, boost: number): void {
    // Just after a warm-up from cold: the duty the still cold hood needs.
    if (this.coldStart && nowS - this.holdSinceS <= HEAT.afterWarmupS) {
      this.afterSum += demand;
      this.afterTicks++;
      if (nowS - this.holdSinceS >= HEAT.afterWarmupS && this.afterTicks > 0) {
        const duty = this.afterSum / this.afterTicks;
        if (plausible("dutyAfterWarmup", duty)) this.learn({ dutyAfterWarmup: duty }, MEASURED.afterWarmup);
        this.coldStart = false;
      }
    }
    // Steady operation: the mean duty once the air has stayed near the setpoint a while.
    if (error > HEAT.steadyBandC || error < -HEAT.steadyBandC || boost > 0) {
      this.resetSteady(nowS);
      return;
    }
    this.steadySum += demand;
    this.steadyTicks++;
    if (nowS - this.steadySinceS >= HEAT.steadyWindowS) {
      const duty = this.steadySum / this.steadyTicks;
      const above = this.lastTarget - this.knowledge.value.roomC;
      if (above > 2) {
        const perDegree = duty / above;
        if (plausible("dutyPerDegree", perDegree)) {
          // The feedforward moves by what the integral had to make up; the integral hands it over.
          const before = this.feedforward(this.lastTarget);
          this.learn({ dutyPerDegree: perDegree }, MEASURED.steadyDuty);
          this.integral -= this.feedforward(this.lastTarget) - before;
        }
      }
      this.resetSteady(nowS);
    }
  }

  private learnReaction(riseRate: number, deadTimeS: number): void {
    if (plausible("riseRate", riseRate) && plausible("deadTimeS", deadTimeS)) {
      this.learn({ riseRate, deadTimeS }, MEASURED.reaction);
    }
  }

  private learnBoost(rise: number, seconds: number): void {
    if (plausible("boostRiseC", rise) && plausible("boostS", seconds)) this.learn({ boostRiseC: rise, boostS: seconds }, MEASURED.boost);
  }

  private learnRoom(roomC: number): void {
    if (plausible("roomC", roomC) && Math.abs(roomC - this.knowledge.value.roomC) > 0.05) this.learn({ roomC }, 0);
  }

  private learn(values: Partial<PlantKnowledge>, flag: number): void {
    this.knowledge.learn(values, flag);
  }
}

