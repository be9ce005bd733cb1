import type { PlantParams } from "./params";

export interface PlantInputs {
  /** 0..1 */
  heaterDuty: number;
  /** 0..1 */
  fanDuty: number;
  humidifierOn: boolean;
}

export interface PlantState {
  timeS: number;
  heaterC: number;
  airC: number;
  /** Air at the outlet, where the independent DS18B20 air probe sits. */
  outletAirC: number;
  wallC: number;
  mattressC: number;
  skinC: number;
  coreC: number;
  roomC: number;
  /** Relative humidity at the SHT31 (air temperature), %RH. */
  rh: number;
  fanRpm: number;
  portholeOpen: boolean;
}

export interface PlantFaults {
  /** The heater element draws no power (open element, dead SSR). */
  heaterBroken: boolean;
  /** The fan rotor is blocked: tachometer reads 0 and circulation drops to natural convection. */
  fanStuck: boolean;
}

/** Cumulative energy flows since construction, J. Stored heat changes by sources − toRoom − latent. */
export interface EnergyLedger {
  heaterJ: number;
  metabolicJ: number;
  fanJ: number;
  /** Sensible heat lost to the room through walls, mattress base and air exchange. */
  toRoomJ: number;
  /** Net heat taken up by evaporation inside the incubator (mist, skin, minus condensation). */
  latentJ: number;
}

/** Everything the model's future depends on (faults aside): kept across `npm start` restarts. */
export interface PlantSnapshot {
  readonly timeS: number;
  readonly heaterC: number;
  readonly airC: number;
  readonly outletAirC: number;
  readonly wallC: number;
  readonly mattressC: number;
  readonly skinC: number;
  readonly coreC: number;
  readonly roomC: number;
  readonly roomVapour: number;
  readonly vapour: number;
  readonly wallWaterKg: number;
  readonly humidifierLevel: number;
  readonly fanRpm: number;
  /** Seconds the porthole stays open from timeS (0: closed). */
  readonly portholeOpenS: number;
}

const SNAPSHOT_KEYS = Object.freeze([
  "timeS", "heaterC", "airC", "outletAirC", "wallC", "mattressC", "skinC", "coreC", "roomC",
  "roomVapour", "vapour", "wallWaterKg", "humidifierLevel", "fanRpm", "portholeOpenS",
] as const);

/** Everything that evolves in the model but its clock, to start several runs from the same
 *  state (the bench starts every controller from one saved state at a scenario's event). */
export interface SavedPlantState extends Omit<PlantSnapshot, "timeS" | "portholeOpenS"> {
  readonly portholeRemainingS: number;
  readonly skinExtraLossW: number;
}

const LATENT_HEAT_J_PER_KG = 2.43e6;
const WATER_VAPOUR_GAS_CONSTANT = 461.5; // J/(kg·K)
const AIR_VOLUMETRIC_HEAT_J_PER_M3K = 1.2 * 1005;

/** Saturation vapour pressure over water, Pa (Magnus, Alduchov-Eskridge coefficients). */
export function saturationPressurePa(c: number): number {
  return 610.94 * Math.exp((17.625 * c) / (c + 243.04));
}

function vapourDensity(pressurePa: number, c: number): number {
  return pressurePa / (WATER_VAPOUR_GAS_CONSTANT * (c + 273.15));
}

function vapourPressure(densityKgPerM3: number, c: number): number {
  return densityKgPerM3 * WATER_VAPOUR_GAS_CONSTANT * (c + 273.15);
}

/** The plant's values a simulated chip measures. */
export interface PlantSensed {
  readonly airC: number;
  readonly outletAirC: number;
  readonly skinC: number;
  readonly rh: number;
  readonly fanRpm: number;
}

const clamp01 = (x: number) => (x > 1 ? 1 : x > 0 ? x : 0);

/**
 * Lumped model of a neonatal incubator: heater element, air, hood and tub ("wall"),
 * mattress, a neonate (core and skin) and the room, with a water-vapour balance (ultrasonic
 * humidifier, skin evaporation, air exchange with the room, condensation on walls below the
 * dew point). Explicit integration in substeps of at most `maxSubstepS`, far below the
 * fastest time constant of the default plant (~20 s).
 */
export class IncubatorPlant {
  readonly faults: PlantFaults = { heaterBroken: false, fanStuck: false };
  /** What the simulated chips measure, read live without making the whole `state` (the
   *  chips read it every second; on XS each `state` is a new object of 20 properties). */
  readonly sensed: PlantSensed;

  private timeS = 0;
  private heaterC: number;
  private airC: number;
  private outletAirC: number;
  private wallC: number;
  private mattressC: number;
  private skinC: number;
  private coreC: number;
  private roomC: number;
  private roomVapour: number;
  private vapour: number; // kg/m³ in the hood
  private wallWaterKg = 0;
  private humidifierLevel = 0;
  private fanRpm = 0;
  private portholeClosesAtS = -Infinity;
  private lastHeaterW = 0;
  /** Heat taken from the skin by something outside the model's nodes (a cold wet blanket), W. */
  private skinExtraLossW = 0;
  private readonly ledger: EnergyLedger = { heaterJ: 0, metabolicJ: 0, fanJ: 0, toRoomJ: 0, latentJ: 0 };

  constructor(readonly params: PlantParams) {
    const p = params;
    const t0 = p.initialC ?? p.roomC;
    this.heaterC = this.airC = this.wallC = this.mattressC = t0;
    this.outletAirC = t0 + p.outletOffsetC;
    this.coreC = p.neonateInitialCoreC;
    this.skinC = p.neonateInitialSkinC;
    this.roomC = p.roomC;
    this.roomVapour = vapourDensity((saturationPressurePa(p.roomC) * p.roomRh) / 100, p.roomC);
    this.vapour = vapourDensity((saturationPressurePa(t0) * (p.initialRh ?? p.roomRh)) / 100, t0);
    const plant = this;
    this.sensed = Object.freeze({
      get airC() {
        return plant.airC;
      },
      get outletAirC() {
        return plant.outletAirC;
      },
      get skinC() {
        return plant.skinC;
      },
      get rh() {
        return plant.rh();
      },
      get fanRpm() {
        return plant.fanRpm;
      },
    });
  }

  get state(): Readonly<PlantState> {
    return Object.freeze({
      timeS: this.timeS,
      heaterC: this.heaterC,
      airC: this.airC,
      outletAirC: this.outletAirC,
      wallC: this.wallC,
      mattressC: this.mattressC,
      skinC: this.skinC,
      coreC: this.coreC,
      roomC: this.roomC,
      rh: this.rh(),
      fanRpm: this.fanRpm,
      portholeOpen: this.portholeOpen(),
    });
  }

  get energy(): Readonly<EnergyLedger> {
    return Object.freeze({ ...this.ledger });
  }

  /** Sensible heat stored in all thermal nodes relative to 0 °C, J. */
  get storedHeatJ(): number {
    const p = this.params;
    return (
      p.heaterCapacityJPerK * this.heaterC +
      p.airCapacityJPerK * this.airC +
      p.wallCapacityJPerK * this.wallC +
      p.mattressCapacityJPerK * this.mattressC +
      p.neonateSkinCapacityJPerK * this.skinC +
      p.neonateCoreCapacityJPerK * this.coreC
    );
  }

  /** Water condensed on the hood and tub, kg. */
  get condensedWaterKg(): number {
    return this.wallWaterKg;
  }

  /** Electrical power drawn by the heater element in the last substep, W. */
  get heaterPowerW(): number {
    return this.lastHeaterW;
  }

  /** Dew point of the hood air, °C. */
  get dewPointC(): number {
    const pv = vapourPressure(this.vapour, this.airC);
    const g = Math.log(pv / 610.94);
    return (243.04 * g) / (17.625 - g);
  }

  snapshot(): PlantSnapshot {
    return Object.freeze({
      timeS: this.timeS, heaterC: this.heaterC, airC: this.airC, outletAirC: this.outletAirC, wallC: this.wallC,
      mattressC: this.mattressC, skinC: this.skinC, coreC: this.coreC, roomC: this.roomC, roomVapour: this.roomVapour,
      vapour: this.vapour, wallWaterKg: this.wallWaterKg, humidifierLevel: this.humidifierLevel, fanRpm: this.fanRpm,
      portholeOpenS: Math.max(0, this.portholeClosesAtS - this.timeS),
    });
  }

  /** Takes up a snapshot; refuses (and changes nothing) one with a missing or non-finite value. */
  restore(snapshot: unknown): string | null {
    if (typeof snapshot !== "object" || snapshot === null) return "plant snapshot is not an object";
    const s = snapshot as Record<string, unknown>;
    for (const key of SNAPSHOT_KEYS) {
      const v = s[key];
      if (typeof v !== "number" || !Number.isFinite(v)) return `plant snapshot: ${key} is ${JSON.stringify(v)}, not a number`;
    }
    const v = s as unknown as PlantSnapshot;
    if (v.vapour < 0 || v.roomVapour < 0 || v.wallWaterKg < 0 || v.fanRpm < 0 || v.humidifierLevel < 0 || v.humidifierLevel > 1) return "plant snapshot: a negative amount";
    this.timeS = v.timeS; this.heaterC = v.heaterC; this.airC = v.airC; this.outletAirC = v.outletAirC; this.wallC = v.wallC;
    this.mattressC = v.mattressC; this.skinC = v.skinC; this.coreC = v.coreC; this.roomC = v.roomC; this.roomVapour = v.roomVapour;
    this.vapour = v.vapour; this.wallWaterKg = v.wallWaterKg; this.humidifierLevel = v.humidifierLevel; this.fanRpm = v.fanRpm;
    this.portholeClosesAtS = v.portholeOpenS > 0 ? v.timeS + v.portholeOpenS : -Infinity;
    return null;
  }

  /** Opens a porthole now for `durationS` seconds (extends an opening already in progress). */
  openPorthole(durationS: number): void {
    if (!(durationS >= 0) || !Number.isFinite(durationS)) throw new RangeError(`porthole duration must be a finite number of seconds >= 0, got ${durationS}`);
    this.portholeClosesAtS = Math.max(this.portholeClosesAtS, this.timeS + durationS);
  }

  /** A step change of the room temperature (the room's relative humidity stays the same). */
  setRoomTemperature(c: number): void {
    if (!Number.isFinite(c) || c < -10 || c > 50) throw new RangeError(`room temperature must be -10..50 °C, got ${c}`);
    const rh = (vapourPressure(this.roomVapour, this.roomC) / saturationPressurePa(this.roomC)) * 100;
    this.roomC = c;
    this.roomVapour = vapourDensity((saturationPressurePa(c) * rh) / 100, c);
  }

  /** Heat drawn from the baby's skin on top of the model's own exchange (a cold wet blanket), W;
   *  it leaves the incubator (counted as heat lost to the room). */
  setSkinExtraLoss(watts: number): void {
    if (!Number.isFinite(watts) || watts < 0 || watts > 100) throw new RangeError(`extra skin loss must be 0..100 W, got ${watts}`);
    this.skinExtraLossW = watts;
  }

  /** The evolving state (not the clock, the energy ledger or the faults). */
  saveState(): SavedPlantState {
    return Object.freeze({
      heaterC: this.heaterC,
      airC: this.airC,
      outletAirC: this.outletAirC,
      wallC: this.wallC,
      mattressC: this.mattressC,
      skinC: this.skinC,
      coreC: this.coreC,
      roomC: this.roomC,
      roomVapour: this.roomVapour,
      vapour: this.vapour,
      wallWaterKg: this.wallWaterKg,
      humidifierLevel: this.humidifierLevel,
      fanRpm: this.fanRpm,
      portholeRemainingS: Math.max(0, this.portholeClosesAtS - this.timeS),
      skinExtraLossW: this.skinExtraLossW,
    });
  }

  /** Puts the model into a saved state; its clock goes on from where it is. */
  restoreState(s: SavedPlantState): void {
    this.heaterC = s.heaterC;
    this.airC = s.airC;
    this.outletAirC = s.outletAirC;
    this.wallC = s.wallC;
    this.mattressC = s.mattressC;
    this.skinC = s.skinC;
    this.coreC = s.coreC;
    this.roomC = s.roomC;
    this.roomVapour = s.roomVapour;
    this.vapour = s.vapour;
    this.wallWaterKg = s.wallWaterKg;
    this.humidifierLevel = s.humidifierLevel;
    this.fanRpm = s.fanRpm;
    this.portholeClosesAtS = s.portholeRemainingS > 0 ? this.timeS + s.portholeRemainingS : -Infinity;
    this.skinExtraLossW = s.skinExtraLossW;
  }

  step(dtS: number, inputs: PlantInputs): void {
    if (!(dtS >= 0) || !Number.isFinite(dtS)) throw new RangeError(`plant step must be a finite number of seconds >= 0, got ${dtS}`);
    const n = Math.ceil(dtS / this.params.maxSubstepS);
    const h = n > 0 ? dtS / n : 0;
    const heaterDuty = clamp01(inputs.heaterDuty);
    const fanDuty = clamp01(inputs.fanDuty);
    for (let i = 0; i < n; i++) this.substep(h, heaterDuty, fanDuty, inputs.humidifierOn);
  }

  private portholeOpen(): boolean {
    return this.timeS < this.portholeClosesAtS;
  }

  private rh(): number {
    const rh = (100 * vapourPressure(this.vapour, this.airC)) / saturationPressurePa(this.airC);
    return rh > 100 ? 100 : rh;
  }

  private substep(h: number, heaterDuty: number, fanDuty: number, humidifierOn: boolean): void {
    const p = this.params;

    // Fan: first-order spin-up/down; a blocked rotor stops at once.
    const targetRpm = !this.faults.fanStuck && fanDuty >= p.fanMinDuty && fanDuty > 0 ? fanDuty * p.fanMaxRpm : 0;
    this.fanRpm = this.faults.fanStuck ? 0 : targetRpm + (this.fanRpm - targetRpm) * Math.exp(-h / p.fanSpinTimeConstantS);
    const flow = this.fanRpm / p.fanMaxRpm;

    const heaterW = this.faults.heaterBroken ? 0 : heaterDuty * p.heaterPowerW;
    const fanW = p.fanPowerW * flow;
    const exchangeM3PerS = p.leakageM3PerS + p.fanFreshAirM3PerS * flow + (this.portholeOpen() ? p.portholeExchangeM3PerS : 0);

    const { heaterC: th, airC: ta, wallC: tw, mattressC: tm, skinC: ts, coreC: tc, roomC: tr } = this;
    const qHeaterAir = (p.heaterToAirNaturalWPerK + (p.heaterToAirForcedWPerK - p.heaterToAirNaturalWPerK) * flow) * (th - ta);
    const qAirWall = (p.airToWallNaturalWPerK + (p.airToWallForcedWPerK - p.airToWallNaturalWPerK) * flow) * (ta - tw);
    const qAirMattress = p.airToMattressWPerK * (ta - tm);
    const qAirRoom = exchangeM3PerS * AIR_VOLUMETRIC_HEAT_J_PER_M3K * (ta - tr);
    const qWallRoom = p.wallToRoomWPerK * (tw - tr);
    const qMattressRoom = p.mattressToRoomWPerK * (tm - tr);
    const qCoreSkin = p.neonateCoreToSkinWPerK * (tc - ts);
    const qSkinAir = p.skinToAirWPerK * (ts - ta);
    const qSkinWall = p.skinToWallWPerK * (ts - tw);
    const qSkinMattress = p.skinToMattressWPerK * (ts - tm);

    // Water: mist from the humidifier, skin evaporation, condensation on (or drying of) the walls.
    this.humidifierLevel = (humidifierOn ? 1 : 0) + (this.humidifierLevel - (humidifierOn ? 1 : 0)) * Math.exp(-h / p.humidifierTimeConstantS);
    const mistKgS = p.humidifierRateKgPerS * this.humidifierLevel;
    const skinKgS = Math.max(0, p.skinEvaporationKgPerSPerPa * (saturationPressurePa(ts) - vapourPressure(this.vapour, ta)));
    const wallSaturation = vapourDensity(saturationPressurePa(tw), tw);
    let wallKgS = p.condensationM3PerS * (this.vapour - wallSaturation); // > 0 condenses, < 0 dries the film
    if (wallKgS < 0) wallKgS = Math.max(wallKgS, -this.wallWaterKg / h);
    const exchangeKgS = exchangeM3PerS * (this.vapour - this.roomVapour);

    this.heaterC += (h * (heaterW - qHeaterAir)) / p.heaterCapacityJPerK;
    this.airC += (h * (qHeaterAir + fanW + qSkinAir - qAirWall - qAirMattress - qAirRoom - LATENT_HEAT_J_PER_KG * mistKgS)) / p.airCapacityJPerK;
    this.wallC += (h * (qAirWall + qSkinWall - qWallRoom + LATENT_HEAT_J_PER_KG * wallKgS)) / p.wallCapacityJPerK;
    this.mattressC += (h * (qAirMattress + qSkinMattress - qMattressRoom)) / p.mattressCapacityJPerK;
    this.skinC += (h * (qCoreSkin - qSkinAir - qSkinWall - qSkinMattress - LATENT_HEAT_J_PER_KG * skinKgS - this.skinExtraLossW)) / p.neonateSkinCapacityJPerK;
    this.coreC += (h * (p.neonateMetabolicW - qCoreSkin)) / p.neonateCoreCapacityJPerK;

    this.vapour = Math.max(0, this.vapour + (h * (mistKgS + skinKgS - wallKgS - exchangeKgS)) / p.airVolumeM3);
    this.wallWaterKg = Math.max(0, this.wallWaterKg + h * wallKgS);

    const outletTarget = this.airC + p.outletHeaterFraction * (this.heaterC - this.airC) + p.outletOffsetC;
    this.outletAirC = outletTarget + (this.outletAirC - outletTarget) * Math.exp(-h / p.outletTimeConstantS);

    this.lastHeaterW = heaterW;
    this.ledger.heaterJ += h * heaterW;
    this.ledger.metabolicJ += h * p.neonateMetabolicW;
    this.ledger.fanJ += h * fanW;
    this.ledger.toRoomJ += h * (qAirRoom + qWallRoom + qMattressRoom + this.skinExtraLossW);
    this.ledger.latentJ += h * LATENT_HEAT_J_PER_KG * (mistKgS + skinKgS - wallKgS);
    this.timeS += h;
  }
}
