import type { PlantParams } from "../plant/params";
import { recoveryMetrics, responseMetrics, type RecoveryMetrics, type ResponseMetrics, type Trace } from "./metrics";
import { BenchRig, type ControllerEntry } from "./rig";

export type ScenarioId = "warmup" | "step" | "porthole" | "skin" | "humidity";

export interface ScenarioSpec {
  readonly id: ScenarioId;
  readonly title: string;
  /** Which true quantity is measured. */
  readonly quantity: "air" | "skin" | "rh";
  readonly unit: "°C" | "%RH";
  readonly setpoint: number;
}

export const SCENARIOS: readonly ScenarioSpec[] = Object.freeze([
  { id: "warmup", title: "Warm-up from a 25 °C room to a 36.0 °C air setpoint", quantity: "air", unit: "°C", setpoint: 36.0 },
  { id: "step", title: "Air setpoint step 36.0 → 37.0 °C at steady state", quantity: "air", unit: "°C", setpoint: 37.0 },
  { id: "porthole", title: "Porthole open for 60 s at steady state (36.0 °C air)", quantity: "air", unit: "°C", setpoint: 36.0 },
  { id: "skin", title: "Skin mode warm-up to a 36.5 °C skin setpoint", quantity: "skin", unit: "°C", setpoint: 36.5 },
  { id: "humidity", title: "Humidity step 40 → 60 %RH at 36.0 °C air", quantity: "rh", unit: "%RH", setpoint: 60 },
] as const);

/** Simulated durations, seconds. */
export const DURATIONS = Object.freeze({
  /** Long enough for every controller to reach its steady state before a disturbance. */
  preconditionS: 3 * 3600,
  warmupS: 4 * 3600,
  stepS: 3 * 3600,
  portholeOpenS: 60,
  portholeAfterS: 2 * 3600,
  skinS: 5 * 3600,
  humidityS: 3 * 3600,
});

export type ScenarioMetrics = { readonly kind: "response"; readonly m: ResponseMetrics } | { readonly kind: "recovery"; readonly m: RecoveryMetrics };

export interface ScenarioRun {
  readonly scenario: ScenarioId;
  readonly controller: string;
  readonly metrics: ScenarioMetrics;
}

function record(rig: BenchRig, seconds: number, quantity: ScenarioSpec["quantity"], t0 = 0): Trace {
  const trace: Trace = { tS: [], value: [], actuator: [] };
  const read = quantity === "air" ? () => rig.plant.state.airC : quantity === "skin" ? () => rig.plant.state.skinC : () => rig.plant.state.rh;
  const actuator = quantity === "rh" ? () => (rig.command.humidifierOn ? 1 : 0) : () => rig.command.heaterDuty;
  for (let i = 1; i <= seconds; i++) {
    rig.second();
    trace.tS.push(t0 + i);
    trace.value.push(read());
    trace.actuator.push(actuator());
  }
  return trace;
}

/**
 * Temperature scenarios run with the humidity setpoint at its minimum, so the humidifier stays
 * idle (the hood air is drier than 30 %RH at 36 °C) and its latent heat does not differ between
 * controllers; the humidity scenario runs humidity and temperature control together.
 */
export const TEMPERATURE_SCENARIO_HUMIDITY = 30;

export function runScenario(spec: ScenarioSpec, params: PlantParams, entry: ControllerEntry): ScenarioRun {
  const controller = entry.create();
  const rig = new BenchRig(params, controller);
  const d = DURATIONS;
  if (spec.id !== "humidity") controller.setHumidity(TEMPERATURE_SCENARIO_HUMIDITY);
  let metrics: ScenarioMetrics;
  switch (spec.id) {
    case "warmup": {
      controller.setTemperature(36.0);
      controller.start();
      metrics = { kind: "response", m: responseMetrics(record(rig, d.warmupS, "air"), spec.setpoint, 0.5, 0.2) };
      break;
    }
    case "step": {
      controller.setTemperature(36.0);
      controller.start();
      rig.run(d.preconditionS);
      controller.setTemperature(37.0);
      metrics = { kind: "response", m: responseMetrics(record(rig, d.stepS, "air"), spec.setpoint, 0.5, 0.2) };
      break;
    }
    case "porthole": {
      controller.setTemperature(36.0);
      controller.start();
      rig.run(d.preconditionS);
      rig.plant.openPorthole(d.portholeOpenS);
      const trace = record(rig, d.portholeOpenS + d.portholeAfterS, "air", -d.portholeOpenS);
      metrics = { kind: "recovery", m: recoveryMetrics(trace, spec.setpoint, 0.2) };
      break;
    }
    case "skin": {
      controller.setMode("skin");
      controller.setTemperature(36.5);
      controller.start();
      metrics = { kind: "response", m: responseMetrics(record(rig, d.skinS, "skin"), spec.setpoint, 0.5, 0.2) };
      break;
    }
    case "humidity": {
      controller.setTemperature(36.0);
      controller.setHumidity(40);
      controller.start();
      rig.run(d.preconditionS);
      controller.setHumidity(60);
      metrics = { kind: "response", m: responseMetrics(record(rig, d.humidityS, "rh"), spec.setpoint, 2, 2) };
      break;
    }
  }
  return { scenario: spec.id, controller: entry.name, metrics };
}
