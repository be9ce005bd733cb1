import { AirLoop, type AirLoopContext } from "./air-loop";
import { AirTrend, RISE_WINDOW } from "./air-trend";
import { CONTROL, ELEMENT_GUARD, HEAT } from "./control-config";
import { ControlKnowledge } from "./control-knowledge";
import { ElementGuard } from "./element-guard";
import { HoldLearner } from "./hold-learner";
import { airGains, MEASURED, type AirGains } from "./plant-knowledge";
import { SkinCascade } from "./skin-cascade";
import type { ControlMode } from "./types";
import { BoostMeter, ReactionCurve } from "./warmup-learner";

// Read once (a property lookup per use costs on XS): what every holding tick asks.
const BOOST_MAX_TARGET_C = HEAT.boostMaxTargetC;
const NEAR_CUTOUT_C = HEAT.nearCutoutC;
const FALLEN_C = HEAT.nearFallenC;
const FALL_RATE = HEAT.fallRate;
const SPARE_DUTY = HEAT.spareDutyMax;
const LIMIT_DUTY = HEAT.boostDutyMax;

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
 *  - then the air loop (air-loop.ts): a PI with feedforward of the learned heater need;
 *  - skin mode is a cascade (skin-cascade.ts) whose air target the air loop servoes to;
 *  - whatever the phase, the element guard (element-guard.ts) limits fan and heater so that
 *    the outlet probe stays clear of the cross-check and of the cut-out.
 * What it learns (hold-learner.ts) is kept in one record (PlantKnowledge) across reboots;
 * implausible values fall back to the standard build's, and every gain stays within
 * GAIN_BOUNDS. Nothing is allocated per tick.
 */
export class HeatController {
  private gains: AirGains;
  private gainsVersion = -1;

  private readonly skin = new SkinCascade();
  private readonly trend = new AirTrend();
  private readonly reaction = new ReactionCurve();
  private readonly meter = new BoostMeter();
  private readonly guard = new ElementGuard();
  private readonly loop = new AirLoop(this.trend, this.guard);
  private readonly learner: HoldLearner;
  private readonly context: AirLoopContext = { feedforward: 0, target: NaN, boostBudgetS: () => this.boostBudgetS(), boosting: false };
  private activeMode: ControlMode | null = null;
  phase: HeatPhase = "idle";
  /** The air temperature the air loop is servoing to (the skin cascade's output in skin mode). */
  airTarget = 0;
  /** The fan boost asked for with the last heater duty, 0..1 (see FanPolicy). */
  boost = 0;
  private cutoutC = Infinity;
  private lastTarget = 0;
  private coldStart = false;
  private startAir = 0;
  private roomSeen = 0;
  private noBoostUntilS = 0;
  private boosted = false;
  private stepBoost = false;
  /** Near the cut-out, holding: the air has fallen well below the target, fast, since it was
   *  last at the target (see out). */
  private fallen = false;
  /** Holding after a charge, in air mode far from the cut-out, while the air still arrives:
   *  below its target, or within the after-warm-up period of a warm-up from cold (see update). */
  private arriving = false;

  constructor(private readonly knowledge: ControlKnowledge = new ControlKnowledge(null, HEAT.saveEveryS)) {
    this.gains = airGains(knowledge.value);
    this.loop.setGains(this.gains);
    this.learner = new HoldLearner(knowledge, this.feedforward, this.loop);
  }

  /**
   * One tick. `mode` is the mode actually in control (air while skin mode has fallen back);
   * `appliedDuty` the heater duty applied last tick; `probeAir` the outlet probe and `cutoutC`
   * the cut-out limit in force (for the element guard). Returns the heater duty 0..1; `boost`
   * says how far to boost the fan with it.
   */
  update(nowS: number, mode: ControlMode, airSetpoint: number, skinSetpoint: number, air: number, skin: number | null, dtS: number, appliedDuty: number, probeAir: number | null, cutoutC: number): number {
    // The element guard judges a hold that follows a charge as the charge while the air still
    // arrives (below the target; after a warm-up from cold, while the hood still takes much): at
    // full heat the element ran with the charge's margins, and the hold's own would raise the fan
    // as it begins and pour the element's store into the air (a bump, then a sag under a fan that
    // comes down slowly). A fall of the air (a porthole) takes the guard to its hold margins at
    // once whatever the phase, as while charging (not the air's fall back after the end-of-warm-up
    // boost, see boostPhase). (Its end: see regulate.) So the guard's fan may
    // fall again while charging after a boost too. Both only where roomyHold says.
    this.guard.update(air, probeAir, cutoutC, dtS, this.phase !== "hold" ? this.phase !== "idle" : this.arriving, this.phase === "charge" && (this.roomyHold() || (!this.boosted && this.noBoostUntilS === 0)));
    this.cutoutC = cutoutC;
    // Skin mode without a skin reading is air mode.
    if (mode === "skin" && skin === null) mode = "air";
    const target = mode === "skin" ? this.skin.airTarget(this.activeMode !== "skin", skinSetpoint, air, skin as number, dtS) : airSetpoint;
    this.airTarget = target;
    if (this.gainsVersion !== this.knowledge.version) this.refresh();
    if (this.activeMode !== mode) this.begin(nowS, mode, target, air, appliedDuty);
    this.trend.update(air, dtS);
    // Most ticks hold.
    if (this.phase === "hold") return this.regulate(nowS, target, target - air, dtS);
    const error = target - air;
    switch (this.phase) {
      case "charge":
        return this.charge(nowS, mode, error, appliedDuty, target, air);
      case "probe":
        if (this.meter.spent(nowS, this.trend) || this.meter.elapsedS(nowS) > HEAT.probeMaxS || error < HEAT.boostCutC) {
          // Its duration without the trend window's lag.
          this.learner.boost(this.meter.extraRise(nowS, this.trend), this.meter.elapsedS(nowS) - RISE_WINDOW / 2);
          this.phase = "charge";
          this.noBoostUntilS = nowS + HEAT.probeMaxS;
          return this.out(1, 0);
        }
        return this.out(1, 1);
      case "boost":
        return this.boostPhase(nowS, error);
      default:
        return this.regulate(nowS, target, error, dtS);
    }
  }

  /** What is derived from the knowledge, again (it changed). */
  private refresh(): void {
    this.gains = airGains(this.knowledge.value);
    this.loop.setGains(this.gains);
    this.gainsVersion = this.knowledge.version;
  }

  /** Heating stopped (standby, fault): the next update starts again from the air it finds. */
  idle(): void {
    this.activeMode = null;
    this.arriving = false;
    this.guard.reset();
    this.phase = "idle";
    this.reaction.stop();
  }

  private begin(nowS: number, mode: ControlMode, target: number, air: number, appliedDuty: number): void {
    this.activeMode = mode;
    this.reaction.stop();
    this.noBoostUntilS = 0;
    this.boosted = false;
    this.arriving = false;
    this.guard.boostFloorC = Infinity;
    // A warm-up from cold: far below the target, and (when the room is known) near the room
    // (a reboot after a short mains cut finds the air far below the target but well above the
    // room, the hood still warm).
    const k = this.knowledge.value;
    const nearRoom = (k.measured & MEASURED.steadyDuty) === 0 || air - k.roomC < Math.max(HEAT.coldStartC, HEAT.coldShare * (target - k.roomC));
    this.coldStart = target - air > HEAT.coldStartC && nearRoom;
    this.guard.roomy = mode === "air" && this.cutoutC - target >= NEAR_CUTOUT_C;
    // Heating that starts near the target (a reboot, a mode change) finds the hood warm.
    this.trend.reset(air, this.coldStart ? air : target);
    if (this.coldStart) {
      this.phase = "charge";
      this.startAir = air;
      this.roomSeen = air;
    } else {
      this.phase = "hold";
      this.learner.hold(nowS, false);
      // Bumpless from the heater as applied (a change of mode); from nothing (a boot, a start)
      // the feedforward alone.
      this.loop.preset(appliedDuty > 0 ? appliedDuty - this.feedforward(target) - this.gains.kp * (target - air) : 0, appliedDuty > 0, null);
      // Well below the target in a warm incubator (resumed after a mains cut): as a raised setpoint.
      if (target - air > HEAT.stepCutC) this.phase = "charge";
    }
    this.lastTarget = target;
  }

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

  private boostPhase(nowS: number, error: number): number {
    if (this.stepBoost) {
      // A raised setpoint in a warm incubator: full heat and fan until the air is in the band
      // or the element is empty (then full heat alone: at full power the element gives the
      // air all of it whatever the fan, and more fan only loses more to the hood).
      if (error > HEAT.stepCutC && this.meter.elapsedS(nowS) < this.boostBudgetS()) return this.out(1, 1);
      // In the band, or the element spent: full heat with the fan at its floor finishes, as
      // after a warm-up (the air loop's boost re-armed only once the demand has fallen back).
      this.phase = "charge";
      this.boosted = true;
      this.loop.boostingSince(nowS - this.boostBudgetS());
      return this.out(1, 0);
    }
    // Into the steady band: the element's heat is out; full heat with the fan at its floor
    // finishes the warm-up (boosting on would only pour the air's heat into the cold hood).
    if (error <= CONTROL.steadyBandC) {
      this.phase = "charge";
      this.boosted = true;
      // The air falls back by about what the boost lifted (see ElementGuard.boostFloorC).
      if (this.roomyHold()) this.guard.boostFloorC = this.airTarget - error - this.knowledge.value.boostRiseC - ELEMENT_GUARD.boostFallC;
      return this.out(1, 0);
    }
    if (this.meter.elapsedS(nowS) > HEAT.probeMaxS || this.meter.spent(nowS, this.trend)) {
      // Stalled short of the band: this incubator's boost lifts less than thought (here, now);
      // unless the element guard had raised the fan before it (the element already partly
      // emptied: not a boost from the floor, nothing learned).
      if (this.meter.fromFloor) this.learner.boost(Math.max(HEAT.boostMinC, this.meter.extraRise(nowS, this.trend)), this.knowledge.value.boostS);
      this.phase = "charge";
      this.noBoostUntilS = nowS + HEAT.probeMaxS;
      return this.out(1, 0);
    }
    return this.out(1, 1);
  }

  private charge(nowS: number, mode: ControlMode, error: number, appliedDuty: number, target: number, air: number): number {
    // The reaction curve is read from the first second of full heat (the interlock may hold the
    // heater off until the fan is proven).
    if (this.coldStart && !this.reaction.running && !this.reaction.done && appliedDuty >= 1) this.reaction.start(nowS, this.trend.value);
    if (this.reaction.running) {
      if (appliedDuty < 1) this.reaction.stop();
      else if (this.guard.boost > 0) {
        this.reaction.finish();
        if (this.reaction.done) this.learner.reaction(this.reaction.riseRate, this.reaction.deadTimeS);
      } else {
        this.reaction.update(nowS, this.trend);
        if (this.reaction.done) this.learner.reaction(this.reaction.riseRate, this.reaction.deadTimeS);
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
        this.meter.begin(nowS, this.trend, this.guard.boost);
        this.phase = "boost";
        this.stepBoost = warm;
        return this.out(1, 1);
      }
      // No boost measured yet: probe half-way through a long enough warm-up from cold.
      if (!known && !warm && this.reaction.done && target - this.startAir > HEAT.probeMinRiseC && air - this.startAir >= 0.5 * (target - this.startAir)) {
        this.meter.begin(nowS, this.trend, this.guard.boost);
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
      if (this.boosted) this.trend.rate = 0;
      return this.hold(nowS, target, error, 1, duty);
    }
    return this.out(1, 0);
  }

  /** The element guard's charge margins may last into the hold, and its fan fall while charging
   *  after a boost (see update): for an air target in the standard range far from the cut-out
   *  (air mode; not an override setpoint). Near the cut-out the hold's margins and the fan that
   *  follows the duty keep the element's store small from the hold's first tick, and an element
   *  charged again would be dumped into air already near the limit. (Asked while charging and
   *  as the hold begins, never on a holding tick.) */
  private roomyHold(): boolean {
    return this.guard.roomy && this.airTarget <= BOOST_MAX_TARGET_C;
  }

  /** Into the air loop, its integral preset so that the demand settles at `duty`. */
  private hold(nowS: number, target: number, error: number, dtS: number, duty: number): number {
    this.phase = "hold";
    this.guard.boostFloorC = Infinity;
    this.arriving = this.roomyHold();
    this.learner.hold(nowS, this.coldStart);
    // The demand heads for `duty` as the air arrives, the proportional part pushing on top until
    // then (an integral preset to cancel it would leave the demand below the need as the error
    // closes, and the air sagging short of the target).
    this.loop.preset(duty - this.feedforward(target), true, nowS);
    if (this.coldStart) this.learner.room(this.roomSeen);
    return this.regulate(nowS, target, error, dtS);
  }

  /** The knowledge's version the context's feedforward was computed for (the holding tick
   *  computes it again only when that or the target changed; `feedforward` reads the
   *  knowledge as it is). */
  private ffVersion = -1;

  private readonly feedforward = (target: number): number => {
    const k = this.knowledge.value;
    const ff = k.dutyPerDegree * (target - k.roomC);
    return ff > 0 ? ff : 0;
  };

  private regulate(nowS: number, target: number, error: number, dtS: number): number {
    if (target !== this.lastTarget) {
      // A new setpoint: the feedforward moves with it, the integral keeps what it learned; a
      // rise in a warm incubator is met at once with all the heat it has.
      const rise = target - this.lastTarget;
      this.lastTarget = target;
      this.guard.roomy = this.activeMode === "air" && this.cutoutC - target >= NEAR_CUTOUT_C;
      this.learner.resetSteady(nowS);
      if (rise >= HEAT.stepBoostC && error > HEAT.stepCutC && target - this.trend.hood < HEAT.boostHoodC + rise) {
        this.phase = "charge";
        this.boosted = false;
        this.noBoostUntilS = 0;
        // A small rise, a heater with power to spare (the need held until now): its element ran far
        // below where full heat at full fan keeps it, so its transfer limits, not its store: full
        // heat and fan at once (the bound's programme). Otherwise (near its limit a boost gives
        // little, and once it ends the element charges and the air falls back) a charge first.
        if (this.activeMode === "air" && rise <= HEAT.stepAtOnceC && this.context.feedforward < SPARE_DUTY) {
          this.meter.begin(nowS, this.trend, this.guard.boost);
          this.phase = "boost";
          this.stepBoost = true;
          return this.out(1, 1);
        }
        return this.charge(nowS, "air", error, 0, target, this.trend.value);
      }
    }
    if (this.ffVersion !== this.knowledge.version || this.context.target !== target) {
      const k = this.knowledge.value;
      const ff = k.dutyPerDegree * (target - k.roomC);
      this.context.feedforward = ff > 0 ? ff : 0;
      this.context.target = target;
      this.ffVersion = this.knowledge.version;
    }
    // The air has arrived (after a warm-up from cold, once the after-warm-up period is over too).
    if (error <= 0 && this.arriving && !this.coldStart) this.arriving = false;
    const heater = this.loop.update(nowS, error, dtS, this.context);
    // (this.lastTarget is the target here: a new one was taken above.)
    this.learner.update(nowS, error, heater, this.loop.boost, target);
    if (this.coldStart && !this.learner.afterWarmup) this.coldStart = false;
    return this.out(heater, this.loop.boost);
  }

  private out(heater: number, boost: number): number {
    // (The arguments are reworked in place: a local costs more on XS.)
    if (heater > this.guard.cap) heater = this.guard.cap;
    // Never near the cut-out: in skin mode the air runs up to its bound, and an air setpoint
    // above the standard range (override) leaves little room; there a boost's dump of the
    // element's heat could carry the air into the cut-out. The heater alone then.
    // (-1 says so below without a local: below any fan boost, and not a boost of its own.)
    if (this.activeMode === "skin" || this.airTarget > BOOST_MAX_TARGET_C) boost = -1;
    // What the air loop integrates by next tick: whether the controller's own boost is on.
    this.context.boosting = boost > 0;
    // Near the cut-out (an air target close to the limit in force: 37 °C in air mode; and
    // wherever the boost is barred: skin mode, whose cascade may lift the air target to its
    // bound within minutes, and the override setpoints) the element must not store heat
    // while holding: a closing porthole would dump it into the air and carry it into the
    // cut-out. There the fan follows the heater duty at least; a heater whose learned need here
    // leaves it little to spare follows less: from all of the duty at a need of
    // HEAT.spareDutyMax to none at HEAT.boostDutyMax. (More fan only pours
    // the air's heat into a hood that is still cooler: such a heater's duty went to full and the
    // air stayed short of a raised target for many minutes.) Once the air has fallen fast well
    // below the target (a porthole open), all of the duty again until the air is back.
    if (this.phase === "hold" && (boost < 0 || this.cutoutC - this.airTarget < NEAR_CUTOUT_C)) {
      let follow = heater;
      const below = this.airTarget - this.trend.value;
      if (below <= 0) this.fallen = false;
      else if (!this.fallen && below > FALLEN_C && this.trend.slope < -FALL_RATE) this.fallen = true;
      if (!this.fallen) {
        const ff = this.context.feedforward;
        if (ff > SPARE_DUTY) follow = ff >= LIMIT_DUTY ? 0 : (heater * (LIMIT_DUTY - ff)) / (LIMIT_DUTY - SPARE_DUTY);
      }
      if (follow > boost) boost = follow;
    } else if (this.fallen) this.fallen = false;
    // Whatever the plan, the element guard's fan.
    this.boost = this.guard.boost > boost ? this.guard.boost : boost;
    return heater;
  }
}
