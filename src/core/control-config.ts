// Control constants in one frozen table. Temperatures °C, humidity %RH, times seconds.

export const SETPOINT_LIMITS = Object.freeze({
  air: Object.freeze({ min: 20.0, max: 37.0, overrideMax: 39.0 }),
  skin: Object.freeze({ min: 35.0, max: 37.5 }),
  humidity: Object.freeze({ min: 30, max: 85 }),
});

export const DEFAULT_SETTINGS = Object.freeze({
  air: 36.0,
  skin: 36.5,
  humidity: 60,
  mode: "air" as const,
});

export const CONTROL = Object.freeze({
  periodMs: 1000,
  /** OPERATING is entered once the controlled temperature stays within this band… */
  steadyBandC: 0.5,
  /** …for this long. */
  steadyHoldS: 60,
  /** Skin mode with a failed skin probe falls back to air control at this setpoint. */
  skinFallbackAirC: 36.0,
  /** Air temperature bounds of the skin-mode cascade. */
  skinModeAirMinC: 30.0,
  skinModeAirMaxC: 39.0,
  /** Time constant of the skin reading's smoothing in the skin-mode cascade. */
  skinFilterS: 15,
});

/** The air loop's gains of the standard build, before an incubator has been measured (what
 *  plant-knowledge.ts's airGains gives for DEFAULT_KNOWLEDGE; kd = kp × HEAT.derivativeS); once
 *  measured, the gains in force follow the incubator. Shown in GET /api/config. */
export const AIR_PID = Object.freeze({
  gains: Object.freeze({ kp: 1.6, ki: 0.016, kd: 32 }),
});

/** The heat controller (heat-controller.ts): its air loop's gains come from plant-knowledge.ts. */
export const HEAT = Object.freeze({
  /** A warm-up from cold: the air at least this far below its target when heating starts, and
   *  no further above the room than this (or this share of the way from the room to the target). */
  coldStartC: 3,
  coldShare: 0.3,
  /** Without a measured boost, the air loop takes over from full heat this close to the target. */
  holdFromC: 0.5,
  /** In skin mode the air's target is its bound: full heat until this close to it. */
  skinHoldFromC: 0.25,
  /** A probe boost stops this close to the target; after the end-of-warm-up boost, full heat
   *  goes on until this close. */
  boostCutC: 0.25,
  finishC: 0.15,
  /** The end-of-warm-up boost starts when the gap is this much less than what a boost lifts. */
  boostMargin: 0.1,
  /** The air loop boosts the fan only once the air has been this close to the target for a
   *  while (its slow average, AirTrend.hood, within this of it). */
  boostHoodC: 1.5,
  /** A setpoint raised by at least this while holding a warm incubator: full heat and fan
   *  until the air is this close to it. */
  stepBoostC: 0.3,
  stepCutC: 0.5,
  /** A rise of at most this: full heat and fan from the first tick. */
  stepAtOnceC: 1.5,
  /** After such a boost full heat goes on until finishC + finishPerSpare × (spareDutyMax − the
   *  learned need) of the target (at most stepCutC). */
  finishPerSpare: 2,
  /** An air target closer than this to the cut-out limit in force: the fan follows the heater duty. */
  nearCutoutC: 1.5,
  /** There, the air falling (faster than fallRate) this far below the target is a porthole:
   *  the fan follows all of the duty until the air is back, whatever the heater has to spare. */
  nearFallenC: 0.5,
  /** No fan boost for air targets above this (override setpoints) nor in skin mode. */
  boostMaxTargetC: 37,
  /** The least a boost is assumed to lift after it stalled, °C. */
  boostMinC: 0.1,
  /** The probe boost of a first warm-up: only in warm-ups of at least this rise, at most this long. */
  probeMinRiseC: 4,
  probeMaxS: 120,
  /** The demand beyond full heat (the fan boost) moves this many times faster than below; a
   *  demand below this re-arms the boost. */
  boostGain: 6,
  /** The air loop boosts only for errors above this, and at once when the air falls faster
   *  than fallRate (°C/s); the demand below boostRearm for rearmS re-arms the boost. */
  boostErrorC: 0.25,
  fallRate: 0.004,
  boostRearm: 0.9,
  rearmS: 60,
  /** A heater whose steady duty is below this has power to spare: its boosts may last twice the element's emptying. */
  spareDutyMax: 0.4,
  /** The air loop boosts the fan (a porthole open), and keeps boosting while the air is low,
   *  only for a heater whose steady duty is below this (one at its limit gains nothing from it). */
  boostDutyMax: 0.7,
  /** Derivative of the air: filter time constant, and derivative time (kd = kp × derivativeS). */
  derivativeFilterS: 10,
  derivativeS: 20,
  /** The integral's bound, and the share of its rate while the fan boosts. */
  integralMax: 1.5,
  boostIntegralShare: 0.25,
  /** Least heater duty when on, and the minimum on and off times of the heater. */
  minDuty: 0.01,
  minSwitchS: 30,
  /** The heater goes off only once the loop's demand is this far below zero. */
  offBelow: 0.3,
  /** After a warm-up from cold, the duty is averaged this long for next time. */
  afterWarmupS: 600,
  /** Steady operation: within this band of the target this long gives the learned heater need. */
  steadyBandC: 0.15,
  steadyWindowS: 1200,
  /** The knowledge record is written at most this often. */
  saveEveryS: 600,
});

/** The element guard (element-guard.ts): the outlet probe's reading above the SHT31's (the
 *  cross-check alarms at 1.0 °C) and below the cut-out limit in force, smoothed over filterS.
 *  The fan rises from its floor as the excess grows from excessFanFromC to excessFanFullC; the heater duty
 *  is capped from 1 down to 0 as the excess grows from excessCapFromC to excessCapZeroC, or as
 *  the margin shrinks from marginCapFromC to marginCapZeroC. */
export const ELEMENT_GUARD = Object.freeze({
  filterS: 5,
  /** How far the outlet probe lags the cabin air, s (its housing, the outlet's mixing). */
  probeLagS: 20,
  excessFanFromC: 0.6,
  excessFanFullC: 0.72,
  /** How fast the guard's fan may rise and fall, per second (of the way from floor to ceiling). */
  fanRiseRate: 0.02,
  fanFallRate: 0.001,
  /** While charging, before any boost of the charge, the fan falls again once the share is this
   *  far below where it rises (more than a DS18B20 step: a peak of the charge's early rise
   *  raised it), at this rate: a fan kept up for nothing only loses the air's heat to a cold hood. */
  chargeFallClearC: 0.1,
  chargeFallRate: 0.003,
  excessCapFromC: 0.75,
  excessCapZeroC: 0.92,
  /** The same four while charging towards a new target at full heat (a warm-up, a raised
   *  setpoint): the air rises, and the cross-check (which compares the channels as they are,
   *  the lagging probe behind the rising air) sees less than the element's share. */
  chargeFanFromC: 0.7,
  chargeFanFullC: 0.74,
  chargeCapFromC: 0.76,
  chargeCapZeroC: 0.92,
  /** Charging towards a target far from the cut-out (at least HEAT.nearCutoutC below it, air
   *  mode), the charge's fan and cap start this much later: there the element's store cannot
   *  carry the air into the cut-out when a porthole closes, and the cross-check's own margin
   *  (1.0 °C, widened by the probe's lag while the air moves) is what the share is kept from. */
  roomyChargeC: 0.08,
  /** ... unless the air has fallen this far below its lagged value (a porthole open). */
  chargeFallC: 0.05,
  /** After the end-of-warm-up boost the air falls back by about the learned lift of a boost; a
   *  fall this much further is a porthole. */
  boostFallC: 0.2,
  marginCapFromC: 0.6,
  marginCapZeroC: 0.25,
});

/** Skin-mode outer loop: skin error to the air's offset over the skin setpoint (°C of air per °C
 *  of skin); the air target is then bounded to skinModeAirMinC..skinModeAirMaxC. */
export const SKIN_PID = Object.freeze({
  gains: Object.freeze({ kp: 10, ki: 0.006, kd: 0 }),
  limits: Object.freeze({ min: -4, max: 2.5 }),
  derivativeFilterS: 0,
});

/** Humidity PI; output is the humidifier's on-fraction of each window. */
export const HUMIDITY_PID = Object.freeze({
  gains: Object.freeze({ kp: 0.2, ki: 0.0012, kd: 2 }),
  limits: Object.freeze({ min: 0, max: 1 }),
  derivativeFilterS: 10,
});

export const HUMIDIFIER = Object.freeze({
  /** Time-proportioning window: the humidifier switches at most twice per window. */
  windowS: 30,
  /** Shortest on and off times. */
  minOnS: 4,
  minOffS: 4,
  /** Humidity this far below the setpoint starts a new window at once (%RH). */
  surgeRh: 3,
  /** The humidity's lag behind the humidifier (its mist, the SHT31), s: the PI's dead time. */
  lagS: 12,
  /** A window starting this far below the setpoint starts an approach (%RH)… */
  approachRh: 4,
  /** …of full mist until the humidity plus its rise over this long reaches the setpoint. */
  coastS: 25,
  rateFilterS: 8,
  /** A window may be this much shorter or longer, so that its on-time is whole seconds. */
  windowSlackS: 2,
  /** Beyond this error (%RH) the PI integrates this many times faster (after an approach). */
  farRh: 1,
  farIntegral: 4,
});

export const FAN = Object.freeze({
  floor: 0.35,
  ceiling: 1.0,
  /** After heating stops, the fan runs on at its floor to carry the element's heat away. */
  runOnS: 120,
});
