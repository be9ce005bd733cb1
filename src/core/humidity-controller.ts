import { HEAT, HUMIDIFIER, HUMIDITY_PID } from "./control-config";
import { ControlKnowledge } from "./control-knowledge";
import { Pid } from "./pid";
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

/**
 * Humidity PI whose output is the humidifier's on-fraction, delivered by time proportioning:
 * within each window the humidifier is on for the first part of it. The window is long (the
 * humidifier switches twice per window at most) and the PI runs once per window; the on and
 * off times are never shorter than a minimum (transducer and switch wear). The tick is a whole
 * second, so the window's length is chosen within a little slack to make the on-time a whole
 * number of seconds, and what is left over is carried into the next window (error diffusion):
 * the delivered mist averages the demand instead of dithering between two on-times. A much larger demand (a
 * setpoint raised, a porthole opened) starts a new window at once. The PI's gains follow the
 * humidifier's strength, learned whenever it runs a minute without a break.
 */
export class HumidityController {
  private readonly pid = new Pid(HUMIDITY_PID);
  private gainsVersion = -1;
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
  /** The window started well below the setpoint (an approach, not steady operation). */
  private approach = false;

  constructor(private readonly knowledge: ControlKnowledge = new ControlKnowledge(null, HEAT.saveEveryS)) {}

  /** Returns whether the humidifier should be on now. */
  update(nowS: number, setpoint: number, humidity: number, dtS: number): boolean {
    if (this.gainsVersion !== this.knowledge.version) {
      const g = humidityGains(this.knowledge.value, WINDOW_S, HUMIDIFIER.lagS);
      this.pid.setGains({ kp: g.kp, ki: g.ki, kd: 0 });
      this.gainsVersion = this.knowledge.version;
    }
    if (!this.running) {
      this.pid.track(0, setpoint, humidity);
      this.lastHumidity = humidity;
      this.rate = 0;
      this.running = true;
      this.lastUpdateS = nowS - (dtS > 0 ? dtS : 1);
    }
    // A new window when the last has run out, or at a surge in demand.
    if (this.windowStartS === null || nowS - this.windowStartS >= this.windowS || (!this.on && setpoint - humidity >= SURGE_RH)) {
      const demand = this.pid.update(setpoint, humidity, nowS - this.lastUpdateS);
      this.lastUpdateS = nowS;
      this.windowStartS = nowS;
      this.approach = setpoint - humidity >= APPROACH_RH;
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
    // The mist on its way (the humidifier's lag) keeps lifting the humidity after a switch-off:
    // a window of full mist on an approach ends once what is on its way would reach the setpoint
    // (not in steady operation: a humidifier near its limit needs its full windows).
    if (dtS > 0) this.rate += (dtS / (RATE_FILTER_S + dtS)) * ((humidity - this.lastHumidity) / dtS - this.rate);
    this.lastHumidity = humidity;
    if (this.approach && this.on && this.onS >= this.windowS && humidity + this.rate * COAST_S >= setpoint) this.onS = nowS - this.windowStartS;
    // The window wants the other state; never switch back within the minimum on or off time
    // (a new window may start early).
    if ((nowS - this.windowStartS < this.onS - 0.5) !== this.on && !(nowS - this.switchedS < (this.on ? MIN_ON_S : MIN_OFF_S))) {
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
    this.windowStartS = null;
    this.windowS = WINDOW_S;
    this.onS = 0;
    this.carryS = 0;
    this.on = false;
  }
}
