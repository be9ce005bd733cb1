// Runs one scenario on one plant: the saved state at the event, the bounds from it, and every
// controller from that same state at every phase and noise seed.
import { CONTROL, FAN } from "../../src/core/control-config";
import type { SavedPlantState } from "../plant/model";
import type { PlantParams } from "../plant/params";
import { MISMATCH } from "../../src/alarms/alarm-conditions";
import { cutoutLimitC } from "../../src/alarms/overtemp-cutout";
import { computeBounds, humidityBound, type BoundProblem, type BoundResult, type SafetyLimits } from "./bounds";
import { rippleAtSwitches, type RippleAtSwitches } from "./humidity-frontier";
import { OURS } from "./report";
import { emptyTrace, recoveryMetrics, responseMetrics, type RecoveryMetrics, type ResponseMetrics, type Trace } from "./metrics";
import { BenchRig, type BenchController, type ControllerEntry } from "./rig";
import { BLANKET_W, humidifierFor, PHASE_STEP_S, ROOM_DROP_C, type ScenarioSpec } from "./scenarios";

/** The noise seeds of the runs of a scenario (the first is also the saved state's). */
export const SEEDS = Object.freeze([2026, 7, 1009]);

export type EventMetrics = ResponseMetrics | RecoveryMetrics;

export interface ControllerRun {
  readonly controller: string;
  /** One per event, all seeds in order. */
  readonly events: readonly EventMetrics[];
}

export interface BoundRow {
  readonly name: string;
  readonly result: BoundResult;
}

export interface ScenarioResult {
  readonly spec: ScenarioSpec;
  readonly bounds: readonly BoundRow[];
  readonly runs: readonly ControllerRun[];
  /** Who held the plant to produce the saved state at the event. */
  readonly stateFrom: string | null;
  /** Humidity scenarios: the steady ripple an on/off humidifier has at the fewest switches any
   *  controller here made (see humidity-frontier.ts). */
  readonly ripple?: RippleAtSwitches | null;
  /** …and at the switches ours made (where ours sits on that frontier). */
  readonly rippleAtOurs?: RippleAtSwitches | null;
}

function setUp(controller: BenchController, spec: ScenarioSpec): void {
  if (spec.mode === "skin") controller.setMode("skin");
  controller.setTemperature(spec.temperature);
  controller.setHumidity(spec.humidity);
  controller.start();
}

function record(rig: BenchRig, seconds: number, quantity: ScenarioSpec["quantity"], t0: number, into: Trace = emptyTrace(), at?: (t: number) => void): Trace {
  const s = () => rig.plant.state;
  for (let i = 1; i <= seconds; i++) {
    rig.second();
    const t = t0 + i;
    at?.(t);
    into.tS.push(t);
    into.value.push(quantity === "air" ? s().airC : quantity === "skin" ? s().skinC : s().rh);
    into.heater.push(rig.command.heaterDuty);
    into.humidifier.push(rig.command.humidifierOn ? 1 : 0);
  }
  return into;
}

/** The plant state at the event, held there by `holder` (the first seed). */
export function savedState(spec: ScenarioSpec, params: PlantParams, holder: ControllerEntry): SavedPlantState {
  const controller = holder.create(params);
  const rig = new BenchRig(params, controller, { seed: SEEDS[0], humidifier: humidifierFor(spec) });
  setUp(controller, spec);
  rig.run(spec.preconditionS);
  return rig.plant.saveState();
}

function runEvents(spec: ScenarioSpec, rig: BenchRig, state: SavedPlantState | null): EventMetrics[] {
  const c = rig.controller;
  const events: EventMetrics[] = [];
  const response = (t: Trace) => events.push(responseMetrics(t, spec.setpoint, spec.reachBand, spec.band));
  const recovery = (t: Trace) => events.push(recoveryMetrics(t, spec.setpoint, spec.band));
  const restore = (i: number) => {
    if (state) rig.restore(state, i);
  };
  switch (spec.id) {
    case "warmup":
    case "skin":
      response(record(rig, spec.observeS, spec.quantity, 0));
      break;
    case "step":
      restore(0);
      c.setTemperature(spec.setpoint);
      response(record(rig, spec.observeS, spec.quantity, 0));
      break;
    case "humidity":
    case "humidity-high":
      restore(0);
      c.setHumidity(spec.setpoint);
      response(record(rig, spec.observeS, spec.quantity, 0));
      break;
    case "porthole":
      for (let i = 0; i < spec.phases; i++) {
        restore(i);
        rig.plant.openPorthole(spec.disturbanceS);
        recovery(record(rig, spec.disturbanceS + spec.observeS, spec.quantity, -spec.disturbanceS));
        rig.run(PHASE_STEP_S);
      }
      break;
    case "blanket":
      for (let i = 0; i < spec.phases; i++) {
        restore(i);
        rig.plant.setSkinExtraLoss(BLANKET_W);
        recovery(record(rig, spec.disturbanceS + spec.observeS, spec.quantity, -spec.disturbanceS, emptyTrace(), (t) => t === 0 && rig.plant.setSkinExtraLoss(0)));
        rig.run(PHASE_STEP_S);
      }
      break;
    case "room":
      restore(0);
      rig.plant.setRoomTemperature(rig.plant.state.roomC - ROOM_DROP_C);
      recovery(record(rig, spec.observeS, spec.quantity, 0));
      break;
    case "nursing":
      restore(0);
      for (let i = 0; i < spec.phases; i++) {
        rig.plant.openPorthole(spec.disturbanceS);
        recovery(record(rig, spec.disturbanceS + spec.observeS, spec.quantity, -spec.disturbanceS));
      }
      break;
    case "mains": {
      restore(0);
      rig.powerOff();
      const trace = record(rig, spec.disturbanceS, spec.quantity, -spec.disturbanceS);
      rig.powerOn();
      recovery(record(rig, spec.observeS, spec.quantity, 0, trace));
      break;
    }
  }
  return events;
}

/** The limits the firmware's alarms hold the heater to, on the model's true values (the bench's
 *  sensors are calibrated): the outlet probe within the cross-check of the SHT31 and at most the
 *  cut-out limit in force (air mode without override: 38 °C; skin mode: 40 °C). */
export function safetyLimits(mode: "air" | "skin"): SafetyLimits {
  return { excessMaxC: MISMATCH.limitC, outletMaxC: cutoutLimitC(false, mode === "skin") };
}

export const SAFE_BOUND = "safe bound";
export const UNCONSTRAINED_BOUND = "unconstrained bound";

function bounds(spec: ScenarioSpec, params: PlantParams, state: SavedPlantState | null): BoundRow[] {
  const fan = { min: FAN.floor, max: FAN.ceiling };
  const both = (problem: Omit<BoundProblem, "safety">, mode: "air" | "skin"): BoundRow[] => {
    const free = computeBounds(problem);
    const safe = computeBounds({ ...problem, safety: safetyLimits(mode) });
    return [
      { name: `${SAFE_BOUND}, any overshoot`, result: safe.free },
      { name: `${SAFE_BOUND}, overshoot <= 0.2`, result: safe.constrained },
      { name: `${UNCONSTRAINED_BOUND}, any overshoot`, result: free.free },
      { name: `${UNCONSTRAINED_BOUND}, overshoot <= 0.2`, result: free.constrained },
    ];
  };
  switch (spec.id) {
    case "warmup":
    case "step":
      return both({ params, start: state, quantity: "air", setpoint: spec.setpoint, reachBand: spec.reachBand, overshootLimit: 0.2, fan, airMaxC: Infinity, horizonS: spec.observeS }, "air");
    case "skin":
      return both({ params, start: null, quantity: "skin", setpoint: spec.setpoint, reachBand: spec.reachBand, overshootLimit: 0.2, fan, airMaxC: CONTROL.skinModeAirMaxC, horizonS: spec.observeS }, "skin");
    case "humidity":
    case "humidity-high":
      return [{ name: "bound", result: humidityBound(params, state as SavedPlantState, spec.setpoint, spec.reachBand, spec.temperature, fan.min, spec.observeS) }];
    default:
      return [];
  }
}

export function runScenario(spec: ScenarioSpec, params: PlantParams, entries: readonly ControllerEntry[], holder: ControllerEntry): ScenarioResult {
  const state = spec.preconditionS > 0 ? savedState(spec, params, holder) : null;
  const runs: ControllerRun[] = [];
  for (const entry of entries) {
    const events: EventMetrics[] = [];
    for (let s = 0; s < spec.seeds; s++) {
      const controller = entry.create(params);
      const rig = new BenchRig(params, controller, { seed: SEEDS[s], humidifier: humidifierFor(spec) });
      setUp(controller, spec);
      rig.run(spec.preconditionS);
      events.push(...runEvents(spec, rig, state));
    }
    runs.push({ controller: entry.name, events });
  }
  let ripple: RippleAtSwitches | null | undefined;
  let rippleAtOurs: RippleAtSwitches | null | undefined;
  if (spec.quantity === "rh" && state) {
    const fewest = Math.min(...runs.flatMap((r) => r.events.map((e) => e.humidifierSwitches)));
    ripple = rippleAtSwitches(params, state, spec.setpoint, spec.temperature, FAN.floor, spec.observeS, fewest);
    const ours = runs.find((r) => r.controller === OURS);
    if (ours && ours.events.length > 0) {
      const switches = Math.round(ours.events.reduce((a, e) => a + e.humidifierSwitches, 0) / ours.events.length);
      rippleAtOurs = rippleAtSwitches(params, state, spec.setpoint, spec.temperature, FAN.floor, spec.observeS, switches);
    }
  }
  return { spec, bounds: bounds(spec, params, state), runs, stateFrom: state ? holder.name : null, ripple, rippleAtOurs };
}
