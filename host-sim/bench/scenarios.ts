// The control benchmark's scenarios: what happens, what is measured, how often.
import type { ControlMode } from "../../src/core/types";

export type ScenarioId =
  | "warmup"
  | "step"
  | "porthole"
  | "room"
  | "nursing"
  | "mains"
  | "skin"
  | "blanket"
  | "humidity"
  | "humidity-high";

/** "response": from an event (start, setpoint change) to a new setpoint; "recovery": back to
 *  the same setpoint after a disturbance. */
export type ScenarioKind = "response" | "recovery";

export interface ScenarioSpec {
  readonly id: ScenarioId;
  readonly title: string;
  readonly kind: ScenarioKind;
  /** Which true quantity is measured. */
  readonly quantity: "air" | "skin" | "rh";
  readonly mode: ControlMode;
  /** The temperature setpoint (of `mode`) before the event. */
  readonly temperature: number;
  /** The setpoint measured against after the event (temperature, or humidity for "rh"). */
  readonly setpoint: number;
  /** Humidity setpoint before the event (humidity scenarios). */
  readonly humidity: number;
  /** Reach band (response) and settle / recovery band, in the quantity's unit. */
  readonly reachBand: number;
  readonly band: number;
  /** Seconds of steady operation before the event (0: the event is the start from cold). */
  readonly preconditionS: number;
  /** How long the disturbance lasts (recovery scenarios), s. */
  readonly disturbanceS: number;
  /** Seconds recorded after the event (response) or after the disturbance ends (recovery). */
  readonly observeS: number;
  /** Events per run, each from the same saved plant state but at a different point of the
   *  controller's own cycle, and how many noise seeds (mean and worst are reported). */
  readonly phases: number;
  readonly seeds: number;
  /** nursing care: events at this interval in one long run instead of separate phases. */
  readonly intervalS?: number;
}

/** Events of one run fall this much later in any controller's cycle each time (a prime number of
 *  seconds, not a multiple of any tick, sample time or window). */
export const PHASE_STEP_S = 61;
/** How far the room falls in the "room" scenario (25 → 18 °C on the default plant). */
export const ROOM_DROP_C = 7;
/** The cold wet blanket's extra heat loss from the skin, W. */
export const BLANKET_W = 4;

const H = 3600;
const STEADY_AIR = 3 * H;
const STEADY_SKIN = 5 * H;

export const SCENARIOS: readonly ScenarioSpec[] = Object.freeze([
  { id: "warmup", title: "Warm-up from the room to a 36.0 °C air setpoint", kind: "response", quantity: "air", mode: "air", temperature: 36, setpoint: 36, humidity: 30, reachBand: 0.5, band: 0.2, preconditionS: 0, disturbanceS: 0, observeS: 4 * H, phases: 1, seeds: 1 },
  { id: "step", title: "Air setpoint step 36.0 → 37.0 °C at steady state", kind: "response", quantity: "air", mode: "air", temperature: 36, setpoint: 37, humidity: 30, reachBand: 0.5, band: 0.2, preconditionS: STEADY_AIR, disturbanceS: 0, observeS: 2 * H, phases: 1, seeds: 1 },
  { id: "porthole", title: "Porthole open for 60 s at steady state (36.0 °C air)", kind: "recovery", quantity: "air", mode: "air", temperature: 36, setpoint: 36, humidity: 30, reachBand: 0, band: 0.2, preconditionS: STEADY_AIR, disturbanceS: 60, observeS: 40 * 60, phases: 12, seeds: 3 },
  { id: "room", title: `Room falls ${ROOM_DROP_C} °C at steady state (36.0 °C air)`, kind: "recovery", quantity: "air", mode: "air", temperature: 36, setpoint: 36, humidity: 30, reachBand: 0, band: 0.2, preconditionS: STEADY_AIR, disturbanceS: 0, observeS: 4 * H, phases: 1, seeds: 3 },
  { id: "nursing", title: "Nursing care: porthole open 2 min every 3 h for a day (36.0 °C air)", kind: "recovery", quantity: "air", mode: "air", temperature: 36, setpoint: 36, humidity: 30, reachBand: 0, band: 0.2, preconditionS: STEADY_AIR, disturbanceS: 120, observeS: 3 * H - 120, phases: 8, seeds: 1, intervalS: 3 * H },
  { id: "mains", title: "Mains cut for 10 min at steady state, then resumed (36.0 °C air)", kind: "recovery", quantity: "air", mode: "air", temperature: 36, setpoint: 36, humidity: 30, reachBand: 0, band: 0.2, preconditionS: STEADY_AIR, disturbanceS: 600, observeS: 2 * H, phases: 1, seeds: 3 },
  { id: "skin", title: "Skin mode warm-up to a 36.5 °C skin setpoint", kind: "response", quantity: "skin", mode: "skin", temperature: 36.5, setpoint: 36.5, humidity: 30, reachBand: 0.5, band: 0.2, preconditionS: 0, disturbanceS: 0, observeS: 5 * H, phases: 1, seeds: 1 },
  { id: "blanket", title: `Skin mode, cold wet blanket: ${BLANKET_W} W extra skin loss for 10 min (36.5 °C skin)`, kind: "recovery", quantity: "skin", mode: "skin", temperature: 36.5, setpoint: 36.5, humidity: 30, reachBand: 0, band: 0.2, preconditionS: STEADY_SKIN, disturbanceS: 600, observeS: 75 * 60, phases: 12, seeds: 3 },
  { id: "humidity", title: "Humidity step 40 → 60 %RH at 36.0 °C air", kind: "response", quantity: "rh", mode: "air", temperature: 36, setpoint: 60, humidity: 40, reachBand: 2, band: 2, preconditionS: STEADY_AIR, disturbanceS: 0, observeS: 3 * H, phases: 1, seeds: 1 },
  { id: "humidity-high", title: "Humidity step 60 → 80 %RH at 36.0 °C air", kind: "response", quantity: "rh", mode: "air", temperature: 36, setpoint: 80, humidity: 60, reachBand: 2, band: 2, preconditionS: STEADY_AIR, disturbanceS: 0, observeS: 3 * H, phases: 1, seeds: 1 },
] as const);

export const SCENARIO_IDS: readonly string[] = SCENARIOS.map((s) => s.id);

/** Temperature scenarios hold the humidifier off for every controller (its latent heat would
 *  otherwise differ between them); humidity scenarios run both loops. */
export function humidifierFor(spec: ScenarioSpec): "off" | "controller" {
  return spec.quantity === "rh" ? "controller" : "off";
}
