// Pure data and validation (no Node imports), so the model can also be bundled for XS;
// reading a JSON file is in load-plant-params.ts.

/**
 * Every parameter of the incubator model, flat, with the unit in the name.
 * Thermal conductances "UA" are in W/K, capacities in J/K, flows in m³/s.
 */
export interface PlantParams {
  // Heater element (finned aluminium block in the air duct).
  readonly heaterPowerW: number;
  readonly heaterCapacityJPerK: number;
  /** Heater-to-air conductance with the fan at full speed, and with natural convection only. */
  readonly heaterToAirForcedWPerK: number;
  readonly heaterToAirNaturalWPerK: number;

  // Air in the hood, with the light internals (baffles, duct) that follow it closely.
  readonly airCapacityJPerK: number;
  readonly airVolumeM3: number;
  /** Air to hood/tub, with the fan at full speed and with natural convection only. */
  readonly airToWallForcedWPerK: number;
  readonly airToWallNaturalWPerK: number;
  readonly airToMattressWPerK: number;

  // Hood and tub (double-wall acrylic hood, plastic tub).
  readonly wallCapacityJPerK: number;
  readonly wallToRoomWPerK: number;

  // Mattress and tray.
  readonly mattressCapacityJPerK: number;
  readonly mattressToRoomWPerK: number;

  // Neonate: a two-node (core, skin) body.
  readonly neonateCoreCapacityJPerK: number;
  readonly neonateSkinCapacityJPerK: number;
  readonly neonateMetabolicW: number;
  /** Core-to-skin conductance (tissue and blood flow). */
  readonly neonateCoreToSkinWPerK: number;
  readonly skinToAirWPerK: number;
  /** Radiative exchange skin-hood, linearised. */
  readonly skinToWallWPerK: number;
  /** Conduction through the contact area with the mattress. */
  readonly skinToMattressWPerK: number;
  /** Transepidermal water loss: evaporation in kg/s per Pa of vapour-pressure difference. */
  readonly skinEvaporationKgPerSPerPa: number;

  // Air exchange with the room.
  /** Leakage with the fan stopped, and the extra fresh-air intake at full fan speed. */
  readonly leakageM3PerS: number;
  readonly fanFreshAirM3PerS: number;
  /** Extra exchange while a porthole is open. */
  readonly portholeExchangeM3PerS: number;

  // Fan.
  readonly fanMaxRpm: number;
  /** Below this duty the motor does not turn. */
  readonly fanMinDuty: number;
  readonly fanSpinTimeConstantS: number;
  readonly fanPowerW: number;

  // Ultrasonic humidifier and condensation.
  readonly humidifierRateKgPerS: number;
  /** Lag from switching on to mist evaporating in the air. */
  readonly humidifierTimeConstantS: number;
  /** Mass-transfer coefficient times wall area: condensation (and re-evaporation of the film). */
  readonly condensationM3PerS: number;

  // The outlet air point, where the independent DS18B20 air probe sits.
  readonly outletTimeConstantS: number;
  /** Fraction of the heater-to-air temperature difference seen at the outlet. */
  readonly outletHeaterFraction: number;
  readonly outletOffsetC: number;

  // Room and initial conditions.
  readonly roomC: number;
  readonly roomRh: number;
  /** Initial temperature of heater, air, walls and mattress; defaults to the room. */
  readonly initialC: number | null;
  readonly initialRh: number | null;
  readonly neonateInitialCoreC: number;
  readonly neonateInitialSkinC: number;

  /** Largest internal integration step, s. */
  readonly maxSubstepS: number;
}

/**
 * A plausible neonatal incubator: 400 W heater, ~0.15 m³ hood, heavy hood and tub that make
 * a warm-up from a 25 °C room to 36 °C air take about 35 minutes at full power; a 2 kg
 * neonate. At 36 °C air in a 25 °C room it needs roughly 140 W (about a third of full power).
 */
export const DEFAULT_PLANT_PARAMS: PlantParams = Object.freeze({
  heaterPowerW: 400,
  heaterCapacityJPerK: 1200,
  heaterToAirForcedWPerK: 20,
  heaterToAirNaturalWPerK: 4,

  airCapacityJPerK: 4000,
  airVolumeM3: 0.15,
  airToWallForcedWPerK: 80,
  airToWallNaturalWPerK: 30,
  airToMattressWPerK: 15,

  wallCapacityJPerK: 80000,
  wallToRoomWPerK: 14,

  mattressCapacityJPerK: 15000,
  mattressToRoomWPerK: 1.5,

  neonateCoreCapacityJPerK: 5600,
  neonateSkinCapacityJPerK: 1400,
  neonateMetabolicW: 4,
  neonateCoreToSkinWPerK: 5,
  skinToAirWPerK: 1.5,
  skinToWallWPerK: 0.9,
  skinToMattressWPerK: 0.5,
  skinEvaporationKgPerSPerPa: 2e-10,

  leakageM3PerS: 0.0002,
  fanFreshAirM3PerS: 0.0004,
  portholeExchangeM3PerS: 0.015,

  fanMaxRpm: 3000,
  fanMinDuty: 0.1,
  fanSpinTimeConstantS: 2,
  fanPowerW: 4,

  humidifierRateKgPerS: 1.7e-5,
  humidifierTimeConstantS: 20,
  condensationM3PerS: 0.02,

  outletTimeConstantS: 20,
  outletHeaterFraction: 0.015,
  outletOffsetC: 0.05,

  roomC: 25,
  roomRh: 50,
  initialC: null,
  initialRh: null,
  neonateInitialCoreC: 36.8,
  neonateInitialSkinC: 35.5,

  maxSubstepS: 1,
});

export class PlantParamsError extends Error {
  override readonly name = "PlantParamsError";
  constructor(readonly problems: readonly string[], source: string) {
    super(`invalid plant parameters in ${source}: ${problems.join("; ")}`);
  }
}

type Rule = { min: number; max: number; nullable?: boolean; exclusiveMin?: boolean };

// What each parameter may be. Wide enough for other incubators, narrow enough to catch typos in units.
const RULES: { readonly [K in keyof PlantParams]: Rule } = Object.freeze({
  heaterPowerW: { min: 0, max: 5000, exclusiveMin: true },
  heaterCapacityJPerK: { min: 0, max: 1e6, exclusiveMin: true },
  heaterToAirForcedWPerK: { min: 0, max: 1000, exclusiveMin: true },
  heaterToAirNaturalWPerK: { min: 0, max: 1000, exclusiveMin: true },
  airCapacityJPerK: { min: 0, max: 1e6, exclusiveMin: true },
  airVolumeM3: { min: 0, max: 10, exclusiveMin: true },
  airToWallForcedWPerK: { min: 0, max: 1000 },
  airToWallNaturalWPerK: { min: 0, max: 1000 },
  airToMattressWPerK: { min: 0, max: 1000 },
  wallCapacityJPerK: { min: 0, max: 1e7, exclusiveMin: true },
  wallToRoomWPerK: { min: 0, max: 1000 },
  mattressCapacityJPerK: { min: 0, max: 1e7, exclusiveMin: true },
  mattressToRoomWPerK: { min: 0, max: 1000 },
  neonateCoreCapacityJPerK: { min: 0, max: 1e6, exclusiveMin: true },
  neonateSkinCapacityJPerK: { min: 0, max: 1e6, exclusiveMin: true },
  neonateMetabolicW: { min: 0, max: 100 },
  neonateCoreToSkinWPerK: { min: 0, max: 1000 },
  skinToAirWPerK: { min: 0, max: 1000 },
  skinToWallWPerK: { min: 0, max: 1000 },
  skinToMattressWPerK: { min: 0, max: 1000 },
  skinEvaporationKgPerSPerPa: { min: 0, max: 1e-6 },
  leakageM3PerS: { min: 0, max: 1 },
  fanFreshAirM3PerS: { min: 0, max: 1 },
  portholeExchangeM3PerS: { min: 0, max: 1 },
  fanMaxRpm: { min: 0, max: 100000, exclusiveMin: true },
  fanMinDuty: { min: 0, max: 1 },
  fanSpinTimeConstantS: { min: 0, max: 600, exclusiveMin: true },
  fanPowerW: { min: 0, max: 500 },
  humidifierRateKgPerS: { min: 0, max: 1e-2 },
  humidifierTimeConstantS: { min: 0, max: 3600, exclusiveMin: true },
  condensationM3PerS: { min: 0, max: 10 },
  outletTimeConstantS: { min: 0, max: 3600, exclusiveMin: true },
  outletHeaterFraction: { min: 0, max: 1 },
  outletOffsetC: { min: -5, max: 5 },
  roomC: { min: -10, max: 50 },
  roomRh: { min: 0, max: 100 },
  initialC: { min: -10, max: 60, nullable: true },
  initialRh: { min: 0, max: 100, nullable: true },
  neonateInitialCoreC: { min: 20, max: 45 },
  neonateInitialSkinC: { min: 20, max: 45 },
  maxSubstepS: { min: 0, max: 10, exclusiveMin: true },
});

function describe(rule: Rule): string {
  return `${rule.exclusiveMin ? ">" : ">="} ${rule.min} and <= ${rule.max}${rule.nullable ? " (or null)" : ""}`;
}

/** Merges `overrides` over the defaults; throws PlantParamsError naming every bad key or value. */
export function parsePlantParams(overrides: unknown, source = "plant parameters"): PlantParams {
  if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
    throw new PlantParamsError([`expected a JSON object, got ${Array.isArray(overrides) ? "an array" : typeof overrides}`], source);
  }
  const problems: string[] = [];
  const merged: Record<string, number | null> = { ...DEFAULT_PLANT_PARAMS };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (key.startsWith("$") || key.startsWith("_")) continue; // comments such as "_comment" or "$schema"
    if (!Object.prototype.hasOwnProperty.call(RULES, key)) {
      problems.push(`unknown key "${key}"`);
      continue;
    }
    const rule = RULES[key as keyof PlantParams];
    if (value === null && rule.nullable) {
      merged[key] = null;
      continue;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      problems.push(`"${key}" must be a finite number, got ${JSON.stringify(value)}`);
      continue;
    }
    const low = rule.exclusiveMin ? value <= rule.min : value < rule.min;
    if (low || value > rule.max) {
      problems.push(`"${key}" = ${value} is out of range (must be ${describe(rule)})`);
      continue;
    }
    merged[key] = value;
  }
  if (problems.length > 0) throw new PlantParamsError(problems, source);
  return Object.freeze(merged) as unknown as PlantParams;
}
