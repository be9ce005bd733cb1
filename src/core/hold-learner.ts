import type { AirLoop } from "./air-loop";
import { HEAT } from "./control-config";
import type { ControlKnowledge } from "./control-knowledge";
import { MEASURED, plausible, type PlantKnowledge } from "./plant-knowledge";

// Read once (a property lookup per use costs on XS).
const AFTER_WARMUP_S = HEAT.afterWarmupS;
const STEADY_BAND_C = HEAT.steadyBandC;
const STEADY_WINDOW_S = HEAT.steadyWindowS;

/**
 * What the heat controller learns about its incubator while it works, into the shared
 * ControlKnowledge (every value checked against its plausible range, or not used):
 *  - just after a warm-up from cold, the duty the still cold hood needs;
 *  - in steady operation (the air within HEAT.steadyBandC of the target for
 *    HEAT.steadyWindowS, no fan boost), the heater need per degree above the room;
 *  - and, handed in by the warm-up, the reaction curve, a boost's lift and the room.
 */
export class HoldLearner {
  private holdSinceS = 0;
  private steadySinceS = 0;
  private steadySum = 0;
  private steadyTicks = 0;
  private afterSum = 0;
  private afterTicks = 0;
  /** Averaging the duty just after a warm-up from cold (until HEAT.afterWarmupS into holding). */
  afterWarmup = false;

  /** `feedforward`: the heat controller's feedforward at a target (from the knowledge as it is);
   *  `loop`: the air loop, whose integral hands over what the feedforward takes up. */
  constructor(
    private readonly knowledge: ControlKnowledge,
    private readonly feedforward: (target: number) => number,
    private readonly loop: AirLoop,
  ) {}

  /** Holding begins (`afterWarmup`: right after a warm-up from cold). */
  hold(nowS: number, afterWarmup: boolean): void {
    this.holdSinceS = nowS;
    this.afterSum = 0;
    this.afterTicks = 0;
    this.afterWarmup = afterWarmup;
    this.resetSteady(nowS);
  }

  /** The steady window starts again (a new target, a disturbance). */
  resetSteady(nowS: number): void {
    this.steadySinceS = nowS;
    this.steadySum = 0;
    this.steadyTicks = 0;
  }

  /**
   * One holding tick with the heater `demand` and the fan `boost` chosen. What it learns moves
   * the feedforward at `target`; the air loop's integral hands that much over.
   */
  update(nowS: number, error: number, demand: number, boost: number, target: number): void {
    if (this.afterWarmup && nowS - this.holdSinceS <= AFTER_WARMUP_S) {
      this.afterSum += demand;
      this.afterTicks++;
      if (nowS - this.holdSinceS >= AFTER_WARMUP_S && this.afterTicks > 0) {
        const duty = this.afterSum / this.afterTicks;
        if (plausible("dutyAfterWarmup", duty)) this.learn({ dutyAfterWarmup: duty }, MEASURED.afterWarmup);
        this.afterWarmup = false;
      }
    }
    if (error > STEADY_BAND_C || error < -STEADY_BAND_C || boost > 0) {
      this.resetSteady(nowS);
      return;
    }
    this.steadySum += demand;
    this.steadyTicks++;
    if (nowS - this.steadySinceS < STEADY_WINDOW_S) return;
    const duty = this.steadySum / this.steadyTicks;
    const above = target - this.knowledge.value.roomC;
    if (above > 2) {
      const perDegree = duty / above;
      if (plausible("dutyPerDegree", perDegree)) {
        const before = this.feedforward(target);
        this.learn({ dutyPerDegree: perDegree }, MEASURED.steadyDuty);
        const moved = this.feedforward(target) - before;
        if (moved !== 0) this.loop.handOver(moved);
      }
    }
    this.resetSteady(nowS);
  }

  reaction(riseRate: number, deadTimeS: number): void {
    if (plausible("riseRate", riseRate) && plausible("deadTimeS", deadTimeS)) this.learn({ riseRate, deadTimeS }, MEASURED.reaction);
  }

  boost(rise: number, seconds: number): void {
    if (plausible("boostRiseC", rise) && plausible("boostS", seconds)) this.learn({ boostRiseC: rise, boostS: seconds }, MEASURED.boost);
  }

  room(roomC: number): void {
    if (plausible("roomC", roomC) && Math.abs(roomC - this.knowledge.value.roomC) > 0.05) this.learn({ roomC }, 0);
  }

  private learn(values: Partial<PlantKnowledge>, flag: number): void {
    this.knowledge.learn(values, flag);
  }
}
