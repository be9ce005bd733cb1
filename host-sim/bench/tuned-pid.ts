// The fourth reference: PIDs tuned per plant by a standard rule, as an engineer who knew each
// incubator would tune them. Each loop is identified from the TRUE model's open-loop step
// response at its operating point (the reaction curve) and tuned by Skogestad's SIMC rules
// ("Simple analytic rules for model reduction and PID controller tuning", J. Process Control
// 2003). Every loop here is lag-dominant: it is identified as an integrating process with a
// lag and dead time, k'·e^(−θs)/(s(τ2·s+1)), fitted by least squares to the reaction curve up
// to its steepest point, reduced by the half rule to k'·e^(−θe·s)/s with θe = θ + τ2/2, and
// tuned with SIMC's tight choice τc = θe: Kc = 1/(k'(τc+θe)), τI = 4(τc+θe). SIMC makes this a
// PI (its PID form, τD = τ2, needs a derivative the 0.015 °C sensor noise makes chatter:
// thousands of heater switches an hour, which no engineer would keep):
//  - air: heater duty → air temperature (fan at the policy's floor);
//  - skin mode: a cascade, the outer PI from an air-target step → skin, the air PI inside;
//  - humidity: humidifier on-fraction (time-proportioned) → relative humidity.
import { CONTROL, FAN } from "../../src/core/control-config";
import type { ControlMode } from "../../src/core/types";
import { IncubatorPlant } from "../plant/model";
import type { PlantParams } from "../plant/params";
import { ReferenceController } from "./references";

export interface SimcGains {
  readonly kp: number;
  readonly ki: number;
  readonly kd: number;
  /** The fitted model, for the report. */
  readonly model: { readonly slope: number; readonly lagS: number; readonly deadS: number };
}

export interface TunedGains {
  readonly air: SimcGains;
  readonly skin: SimcGains;
  readonly humidity: SimcGains;
}

/** Fits k'·(t−θ−τ2(1−e^(−(t−θ)/τ2))) to a unit-step response y (1 s samples) up to its steepest point. */
export function fitIntegratingLag(y: readonly number[]): { slope: number; lagS: number; deadS: number } {
  let steepest = 1;
  let maxSlope = 0;
  for (let t = 5; t < y.length - 5; t++) {
    const s = (y[t + 5] - y[t - 5]) / 10;
    if (s > maxSlope) {
      maxSlope = s;
      steepest = t;
    }
  }
  const end = Math.min(y.length, Math.max(20, Math.round(steepest * 1.5)));
  let best = { cost: Infinity, slope: maxSlope, lagS: 0, deadS: 0 };
  for (let dead = 0; dead <= Math.min(300, end); dead += 1) {
    for (let i = 0; i <= 60; i++) {
      const lag = i === 0 ? 0 : 2 * Math.pow(steepest * 2, i / 60);
      // Least squares for k' at this (θ, τ2).
      let sgy = 0;
      let sgg = 0;
      for (let t = 1; t <= end; t++) {
        const g = shape(t, dead, lag);
        sgy += g * y[t - 1];
        sgg += g * g;
      }
      if (sgg === 0) continue;
      const k = sgy / sgg;
      let cost = 0;
      for (let t = 1; t <= end; t++) cost += (y[t - 1] - k * shape(t, dead, lag)) ** 2;
      if (cost < best.cost) best = { cost, slope: k, lagS: lag, deadS: dead };
    }
  }
  return { slope: best.slope, lagS: best.lagS, deadS: best.deadS };
}

function shape(t: number, dead: number, lag: number): number {
  const s = t - dead;
  if (s <= 0) return 0;
  return lag === 0 ? s : s - lag * (1 - Math.exp(-s / lag));
}

/** SIMC for k'·e^(−θs)/(s(τ2·s+1)) by the half rule (θe = θ + τ2/2), τc = θe (at least `minTauC`): PI, parallel form. */
export function simc(model: { slope: number; lagS: number; deadS: number }, minTauC: number): SimcGains {
  const thetaE = model.deadS + model.lagS / 2;
  const tc = Math.max(thetaE, minTauC);
  const kc = 1 / (model.slope * (tc + thetaE));
  const ti = 4 * (tc + thetaE);
  return { kp: kc, ki: kc / ti, kd: 0, model };
}

/** The constant heater duty that holds the air at `airC` (fan at its floor), found by bisection. */
function holdingDuty(params: PlantParams, airC: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 22; i++) {
    const u = (lo + hi) / 2;
    const plant = new IncubatorPlant({ ...params, initialC: airC });
    for (let t = 0; t < 10 * 3600; t++) plant.step(1, { heaterDuty: u, fanDuty: FAN.floor, humidifierOn: false });
    if (plant.state.airC > airC) hi = u;
    else lo = u;
  }
  return (lo + hi) / 2;
}

const STEP_WINDOW_S = 1800;

/** Tunes the three loops on the true model of `params`. */
export function tunePlant(params: PlantParams): TunedGains {
  // Air: from steady state at 36 °C, heater duty +0.1.
  const u0 = holdingDuty(params, 36);
  const plant = new IncubatorPlant({ ...params, initialC: 36 });
  for (let t = 0; t < 10 * 3600; t++) plant.step(1, { heaterDuty: u0, fanDuty: FAN.floor, humidifierOn: false });
  const start = plant.saveState();
  const du = Math.min(0.1, 1 - u0);
  const air: number[] = [];
  for (let t = 0; t < STEP_WINDOW_S; t++) {
    plant.step(1, { heaterDuty: u0 + du, fanDuty: FAN.floor, humidifierOn: false });
    air.push((plant.state.airC - start.airC) / du);
  }
  const airGains = simc(fitIntegratingLag(air), 5);

  // Skin (outer loop of a cascade): from the same state, the air held 1 °C higher.
  plant.restoreState(start);
  const skin: number[] = [];
  const skin0 = start.skinC;
  const scratch = new IncubatorPlant(params);
  for (let t = 0; t < 4 * 3600; t++) {
    plant.step(1, { heaterDuty: dutyToHold(plant, scratch, 37), fanDuty: FAN.floor, humidifierOn: false });
    skin.push(plant.state.skinC - skin0);
  }
  const skinGains = simc(fitIntegratingLag(skin), 60);

  // Humidity: humidifier on-fraction 0 → 0.3 from the same state (air held at 36 °C).
  plant.restoreState(start);
  const rh: number[] = [];
  const rh0 = plant.state.rh;
  for (let t = 0; t < STEP_WINDOW_S; t++) {
    plant.step(1, { heaterDuty: dutyToHold(plant, scratch, 36), fanDuty: FAN.floor, humidifierOn: t % HUMIDITY_WINDOW_S < 0.3 * HUMIDITY_WINDOW_S });
    rh.push((plant.state.rh - rh0) / 0.3);
  }
  const humidityGains = simc(fitIntegratingLag(rh), HUMIDITY_WINDOW_S);
  return Object.freeze({ air: airGains, skin: skinGains, humidity: humidityGains });
}

/** The heater duty that, held for two seconds, brings the air to `airC` (on a scratch copy: the
 *  model's element passes a duty change on to the air one integration step later). */
function dutyToHold(plant: IncubatorPlant, scratch: IncubatorPlant, airC: number): number {
  const s = plant.saveState();
  const at = (u: number) => {
    scratch.restoreState(s);
    for (let i = 0; i < 2; i++) scratch.step(1, { heaterDuty: u, fanDuty: FAN.floor, humidifierOn: false });
    return scratch.state.airC;
  };
  const a0 = at(0);
  const a1 = at(1);
  return a1 <= a0 ? (a0 < airC ? 1 : 0) : Math.min(1, Math.max(0, (airC - a0) / (a1 - a0)));
}

/** Time-proportioning window of the tuned humidity loop. */
const HUMIDITY_WINDOW_S = 30;

/** A textbook PID: derivative on measurement with a first-order filter (τD/10), conditional integration, output clamp. */
class TextbookPid {
  private integral = 0;
  private last: number | null = null;
  private derivative = 0;
  constructor(private readonly g: SimcGains, private readonly min: number, private readonly max: number) {}

  update(setpoint: number, value: number, dtS: number): number {
    const error = setpoint - value;
    if (this.last !== null && dtS > 0 && this.g.kd > 0) {
      const tf = Math.max(dtS, this.g.kd / this.g.kp / 10);
      this.derivative += (dtS / (tf + dtS)) * ((value - this.last) / dtS - this.derivative);
    }
    this.last = value;
    const unclamped = this.g.kp * error + this.integral - this.g.kd * this.derivative;
    const saturated = (unclamped >= this.max && error > 0) || (unclamped <= this.min && error < 0);
    if (!saturated) this.integral = Math.min(this.max, Math.max(this.min, this.integral + this.g.ki * error * dtS));
    return Math.min(this.max, Math.max(this.min, this.g.kp * error + this.integral - this.g.kd * this.derivative));
  }

  reset(): void {
    this.integral = 0;
    this.last = null;
    this.derivative = 0;
  }
}

/** The per-plant SIMC-tuned reference: air PI; skin mode a cascade (PI skin → air target, the air PI inside); humidity PI, time-proportioned. */
export class TunedPidController extends ReferenceController {
  private readonly air: TextbookPid;
  private readonly skin: TextbookPid;
  private readonly humidity: TextbookPid;
  private windowStartMs: number | null = null;
  private onMs = 0;

  constructor(readonly gains: TunedGains) {
    super(1000);
    this.air = new TextbookPid(gains.air, 0, 1);
    this.skin = new TextbookPid(gains.skin, CONTROL.skinModeAirMinC, CONTROL.skinModeAirMaxC);
    this.humidity = new TextbookPid(gains.humidity, 0, 1);
  }

  override setMode(mode: ControlMode): void {
    super.setMode(mode);
    this.air.reset();
    this.skin.reset();
  }

  protected heat(value: number, setpoint: number): number {
    if (this.mode === "air") return this.air.update(setpoint, value, 1);
    const air = this.frame?.air.value;
    if (air === null || air === undefined) return 0;
    return this.air.update(this.skin.update(setpoint, value, 1), air, 1);
  }

  protected humidify(rh: number, setpoint: number, nowMs: number): boolean {
    const windowMs = HUMIDITY_WINDOW_S * 1000;
    if (this.windowStartMs === null || nowMs - this.windowStartMs >= windowMs) {
      this.windowStartMs = nowMs;
      this.onMs = Math.round(this.humidity.update(setpoint, rh, HUMIDITY_WINDOW_S) * HUMIDITY_WINDOW_S) * 1000;
    }
    return nowMs - this.windowStartMs < this.onMs;
  }

  protected resetLaw(): void {
    this.air.reset();
    this.skin.reset();
    this.humidity.reset();
    this.windowStartMs = null;
  }
}
