// What the heat controller learns about the incubator it is in, kept across reboots as one
// record ("ctrl") of the injected RecordStore: a text of fixed-point numbers (the device's
// store keeps no floats), each checked against a plausible range on the way in, so a
// damaged or implausible record falls back to the defaults of the standard build.

/** Flags of `PlantKnowledge.measured`: which values come from this incubator. */
export const MEASURED = Object.freeze({ reaction: 1, steadyDuty: 2, boost: 4, afterWarmup: 8, humidifier: 16 });

export interface PlantKnowledge {
  /** Steepest air rise at full heat with the fan at its floor, early in a warm-up from cold, °C/s. */
  readonly riseRate: number;
  /** Apparent dead time of the air's response to the heater: where the tangent at the steepest
   *  point crosses the start, s (the dead time plus the lag of an integrating process). */
  readonly deadTimeS: number;
  /** Heater duty that holds the air, per °C of air above the room. */
  readonly dutyPerDegree: number;
  /** The room temperature seen at the last start from cold, °C. */
  readonly roomC: number;
  /** How far a fan boost late in a warm-up from cold lifts the air above the trend of the
   *  element charging at the fan's floor, °C, and how long it takes, s. */
  readonly boostRiseC: number;
  readonly boostS: number;
  /** Heater duty needed just after a warm-up from cold (the hood still cold). */
  readonly dutyAfterWarmup: number;
  /** How fast the humidifier raises the humidity when on, %RH/s. */
  readonly humidifierRate: number;
  /** Bit set of MEASURED. */
  readonly measured: number;
}

/** The standard IncuNest build (host-sim's default plant), used until this incubator is measured. */
export const DEFAULT_KNOWLEDGE: PlantKnowledge = Object.freeze({
  riseRate: 0.025,
  deadTimeS: 25,
  dutyPerDegree: 0.031,
  roomC: 25,
  boostRiseC: 0.3,
  boostS: 30,
  dutyAfterWarmup: 0.75,
  humidifierRate: 0.22,
  measured: 0,
});

type Key = Exclude<keyof PlantKnowledge, "measured">;

/** Plausible ranges: outside them a measurement is a poor fit and is not used. */
export const KNOWLEDGE_RANGES: Readonly<Record<Key, { readonly min: number; readonly max: number; readonly scale: number }>> = Object.freeze({
  riseRate: Object.freeze({ min: 0.002, max: 0.2, scale: 1e5 }),
  deadTimeS: Object.freeze({ min: 5, max: 600, scale: 10 }),
  dutyPerDegree: Object.freeze({ min: 0.003, max: 0.2, scale: 1e5 }),
  roomC: Object.freeze({ min: 5, max: 40, scale: 100 }),
  boostRiseC: Object.freeze({ min: 0.05, max: 4, scale: 1000 }),
  boostS: Object.freeze({ min: 5, max: 300, scale: 1 }),
  dutyAfterWarmup: Object.freeze({ min: 0.1, max: 1, scale: 1000 }),
  humidifierRate: Object.freeze({ min: 0.01, max: 3, scale: 10000 }),
});

const KEYS = Object.freeze(Object.keys(KNOWLEDGE_RANGES) as Key[]);
export const KNOWLEDGE_RECORD = "ctrl";
const VERSION = "k1";

export function plausible(key: Key, value: number): boolean {
  const r = KNOWLEDGE_RANGES[key];
  return Number.isFinite(value) && value >= r.min && value <= r.max;
}

/** "k1 riseRate deadTimeS … measured", integers. */
export function encodeKnowledge(k: PlantKnowledge): string {
  return [VERSION, ...KEYS.map((key) => String(Math.round(k[key] * KNOWLEDGE_RANGES[key].scale))), String(k.measured)].join(" ");
}

/** The record's knowledge, or the defaults (with the reason) when it is absent or unusable;
 *  an implausible value falls back to its default alone (and is marked not measured). */
export function decodeKnowledge(text: string | null): { knowledge: PlantKnowledge; problem: string | null } {
  if (text === null) return { knowledge: DEFAULT_KNOWLEDGE, problem: "no record yet" };
  const parts = text.split(" ");
  if (parts[0] !== VERSION || parts.length !== KEYS.length + 2) return { knowledge: DEFAULT_KNOWLEDGE, problem: `unreadable record "${text.slice(0, 40)}"` };
  const measured = Number(parts[parts.length - 1]);
  if (!Number.isInteger(measured) || measured < 0 || measured > 31) return { knowledge: DEFAULT_KNOWLEDGE, problem: "unreadable record flags" };
  const values: Record<string, number> = {};
  let flags = measured;
  const bad: string[] = [];
  KEYS.forEach((key, i) => {
    const v = Number(parts[i + 1]) / KNOWLEDGE_RANGES[key].scale;
    if (plausible(key, v)) values[key] = v;
    else {
      values[key] = DEFAULT_KNOWLEDGE[key];
      bad.push(key);
    }
  });
  if (bad.includes("riseRate") || bad.includes("deadTimeS")) flags &= ~MEASURED.reaction;
  if (bad.includes("dutyPerDegree") || bad.includes("roomC")) flags &= ~MEASURED.steadyDuty;
  if (bad.includes("boostRiseC") || bad.includes("boostS")) flags &= ~MEASURED.boost;
  if (bad.includes("dutyAfterWarmup")) flags &= ~MEASURED.afterWarmup;
  if (bad.includes("humidifierRate")) flags &= ~MEASURED.humidifier;
  return { knowledge: Object.freeze({ ...(values as Record<Key, number>), measured: flags }), problem: bad.length ? `implausible ${bad.join(", ")}: defaults used` : null };
}

export interface AirGains {
  readonly kp: number;
  readonly ki: number;
}

/** The humidity loop's PI for a time-proportioning window: SIMC for an integrating process (the
 *  humidifier's rate) with the humidifier's lag and half the window as dead time, tuned loose
 *  (τc = 3θe: the lag of a small humidifier may be twice the assumed one, and a tight loop turns
 *  the on-time's whole seconds and the sensor's noise into ripple), τI = 3(τc + θe); bounded. */
export function humidityGains(k: PlantKnowledge, windowS: number, lagS: number): { kp: number; ki: number } {
  const thetaE = lagS + windowS / 2;
  const kp = 1 / (k.humidifierRate * 4 * thetaE);
  const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
  return { kp: clamp(kp, 0.005, 1), ki: clamp(kp / (12 * thetaE), 0.00001, 0.01) };
}

/** Gain bounds whatever was measured: a poor fit can never make the loop wild or dead. */
export const GAIN_BOUNDS = Object.freeze({ kp: Object.freeze({ min: 0.3, max: 6 }), ki: Object.freeze({ min: 0.0008, max: 0.05 }) });

/**
 * The air loop's PI from the reaction curve: SIMC (Skogestad 2003) for an integrating process
 * with a lag, reduced by the half rule to an effective dead time θe = half the tangent's dead
 * time, tuned tight (τc = θe): Kc = 1/(k'·2θe), τI = 8θe; bounded.
 */
export function airGains(k: PlantKnowledge): AirGains {
  const thetaE = k.deadTimeS / 2;
  const kp = 1 / (k.riseRate * 2 * thetaE);
  const ki = kp / (8 * thetaE);
  const clamp = (x: number, b: { min: number; max: number }) => (x < b.min ? b.min : x > b.max ? b.max : x);
  return { kp: clamp(kp, GAIN_BOUNDS.kp), ki: clamp(ki, GAIN_BOUNDS.ki) };
}
