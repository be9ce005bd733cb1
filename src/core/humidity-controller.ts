import { HEAT, HUMIDIFIER, HUMIDITY_PID } from "./control-config";
import { ControlKnowledge } from "./control-knowledge";
import { Pid, type PidGains } from "./pid";
import { humidityGains, MEASURED, plausible } from "./plant-knowledge";

// Read once (a property lookup per use costs on XS).
const WINDOW_S = HUMIDIFIER.windowS;
const SLACK_S = HUMIDIFIER.windowSlackS;
const MIN_ON_S = HUMIDIFIER.minOnS;
const MIN_OFF_S = HUMIDIFIER.minOffS;
const SURGE_RH = HUMIDIFIER.surgeRh;
const APPROACH_RH = HUMIDIFIER.approachRh;
const COAST_S = HUMIDIFIER.coastS;
const RATE_FILTER_S = HUMIDIFIER.rateFilterS;
const FAR_RH = HUMIDIFIER.farRh;

/**
 * Humidity PI whose output is the humidifier's on-fraction, delivered by time proportioning:
 * within each window the humidifier is on for the first part of it. The window is long (the
 * humidifier switches twice per window at most) and the PI runs once per window; the on and
 * off times are never shorter than a minimum (transducer and switch wear). The tick is a whole
 * second, so the window's length is chosen within a little slack to make the on-time a whole
 * number of seconds, and what is left over is carried into the next window (error diffusion):
 * the delivered mist averages the demand instead of dithering between two on-times. A much
 * larger demand (a setpoint raised, a porthole opened) starts a new window at once. The PI's
 * gains follow the humidifier's strength, learned whenever it runs a minute without a break.
 *
 * Far below the setpoint the humidifier approaches at full mist, the PI aside, until what is on
 * its way would reach the setpoint; there the PI takes over from the on-fraction the approach
 * itself measured (see `handOver`), and integrates faster while the error is still large.
 */
export class HumidityController {
  private readonly pid = new Pid(HUMIDITY_PID);
  private gainsVersion = -1;
  private nearGains: PidGains = HUMIDITY_PID.gains;
  private farGains: PidGains = HUMIDITY_PID.gains;
  private far = false;
  private rhAt30 = 0;
  private rate = 0;
  private lastHumidity = 0;
  private windowStartS: number | null = null;
  private windowS: number = WINDOW_S;
  private lastUpdateS = 0;
  private onS = 0;
  private carryS = 0;
  private running = false;
  private on = false;
  private switchedS = -Infinity;
  /** Full mist towards a setpoint well above (an approach, not steady operation). */
  private approach = false;
  /** The approach's steepest rise so far, %RH/s, and the PI's integral (the on-fraction it held,
   *  or an earlier hand-over's estimate) when it began. */
  private peakRate = 0;
  private demandBefore = 0;

  constructor(private readonly knowledge: ControlKnowledge = new ControlKnowledge(null, HEAT.saveEveryS)) {}

  /** Returns whether the humidifier should be on now. */
  update(nowS: number, setpoint: number, humidity: number, dtS: number): boolean {
    if (this.gainsVersion !== this.knowledge.version) {
      const g = humidityGains(this.knowledge.value, WINDOW_S, HUMIDIFIER.lagS);
      this.nearGains = { kp: g.kp, ki: g.ki, kd: 0 };
      this.farGains = { kp: g.kp, ki: g.ki * HUMIDIFIER.farIntegral, kd: 0 };
      this.pid.setGains(this.far ? this.farGains : this.nearGains);
      this.gainsVersion = this.knowledge.version;
    }
    if (!this.running) {
      this.pid.track(0, setpoint, humidity);
      this.lastHumidity = humidity;
      this.rate = 0;
      this.running = true;
      this.lastUpdateS = nowS - (dtS > 0 ? dtS : 1);
    }
    if (dtS > 0) this.rate += (dtS / (RATE_FILTER_S + dtS)) * ((humidity - this.lastHumidity) / dtS - this.rate);
    this.lastHumidity = humidity;
    // A new window when the last has run out, or at a surge in demand.
    if (this.windowStartS === null || nowS - this.windowStartS >= this.windowS || (!this.on && setpoint - humidity >= SURGE_RH)) this.startWindow(nowS, setpoint, humidity);
    // The mist on its way (the humidifier's lag) keeps lifting the humidity after a switch-off:
    // an approach ends once what is on its way would reach the setpoint.
    if (this.approach && this.on) {
      if (this.rate > this.peakRate) this.peakRate = this.rate;
      if (humidity + this.rate * COAST_S >= setpoint) this.handOver(nowS, setpoint);
    }
    // The window wants the other state; never switch back within the minimum on or off time
    // (a new window may start early).
    if ((nowS - this.windowStartS! < this.onS - 0.5) !== this.on && !(nowS - this.switchedS < (this.on ? MIN_ON_S : MIN_OFF_S))) {
      this.on = !this.on;
      this.switchedS = nowS;
    }
    if (this.on) {
      // On for a minute without a break: the rise over its second half is the humidifier's rate.
      const onFor = nowS - this.switchedS;
      if (onFor === 30) this.rhAt30 = humidity;
      else if (onFor === 60) this.learnRate(humidity);
    }
    return this.on;
  }

  private startWindow(nowS: number, setpoint: number, humidity: number): void {
    const error = setpoint - humidity;
    const wasApproach = this.approach;
    // Once begun, an approach lasts until it is handed over (or the setpoint is passed).
    this.approach = (wasApproach && error > 0) || error >= APPROACH_RH;
    let demand = 1;
    if (this.approach) {
      if (!wasApproach) {
        this.peakRate = 0;
        this.demandBefore = this.pid.integralTerm;
      }
    } else {
      const far = error > FAR_RH || error < -FAR_RH;
      if (far !== this.far) {
        this.far = far;
        this.pid.setGains(far ? this.farGains : this.nearGains);
      }
      demand = this.pid.update(setpoint, humidity, nowS - this.lastUpdateS);
    }
    this.lastUpdateS = nowS;
    this.windowStartS = nowS;
    if (this.approach) {
      this.windowS = WINDOW_S;
      this.onS = WINDOW_S;
      return;
    }
    // The whole seconds of on-time nearest the demand in a nominal window, and the window's
    // length (within its slack) that makes them the demand.
    let windowS: number = WINDOW_S;
    const carryS = this.carryS;
    if (demand > 0 && demand < 1) {
      windowS = ((((demand * WINDOW_S + carryS + 0.5) | 0) - carryS) / demand + 0.5) | 0;
      if (windowS < WINDOW_S - SLACK_S) windowS = WINDOW_S - SLACK_S;
      else if (windowS > WINDOW_S + SLACK_S) windowS = WINDOW_S + SLACK_S;
    }
    const wantedS = demand * windowS + carryS;
    let onS = Math.round(wantedS);
    if (onS < MIN_ON_S) onS = 0;
    else if (windowS - onS < MIN_OFF_S) onS = windowS;
    this.windowS = windowS;
    this.onS = onS;
    this.carryS = Math.min(windowS, Math.max(-windowS, wantedS - onS));
  }

  /**
   * The end of an approach: the rest of the window is off, and the PI starts from the on-fraction
   * that holds the setpoint, from what the approach showed. At full mist the rise is the mist
   * less the losses, and the losses grow with the humidity: at the start of the approach (its
   * steepest rise, near the old setpoint) they took `demandBefore` of the mist, so the mist is
   * peak / (1 - before), and here they take 1 - rate / mist. Never below the fraction before.
   */
  private handOver(nowS: number, setpoint: number): void {
    this.approach = false;
    this.onS = nowS - (this.windowStartS as number);
    const before = this.demandBefore;
    if (this.peakRate > 0 && this.rate > 0 && this.rate <= this.peakRate) {
      this.pid.track(1 - (1 - before) * (this.rate / this.peakRate), setpoint, setpoint);
    }
  }

  /** The humidifier has been on for a minute: its rate from the rise over the second half. */
  private learnRate(humidity: number): void {
    const rate = (humidity - this.rhAt30) / 30;
    if (plausible("humidifierRate", rate)) {
      const old = this.knowledge.value;
      const blended = (old.measured & MEASURED.humidifier) !== 0 ? 0.5 * (old.humidifierRate + rate) : rate;
      this.knowledge.learn({ humidifierRate: blended }, MEASURED.humidifier);
    }
  }

  idle(): void {
    this.running = false;
    this.approach = false;
    this.windowStartS = null;
    this.windowS = WINDOW_S;
    this.onS = 0;
    this.carryS = 0;
    this.on = false;
  }
}
