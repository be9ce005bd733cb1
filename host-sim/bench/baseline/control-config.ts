// Frozen copy of src/core/control-config.ts at commit 2cdf252 (main before issue 15), kept only so the
// XS control bench measures the old controllers side by side with today's. Not firmware code.
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

/** Heater PID on air temperature; output is heater duty 0..1. */
export const AIR_PID = Object.freeze({
  gains: Object.freeze({ kp: 1.7, ki: 0.0045, kd: 10 }),
  limits: Object.freeze({ min: 0, max: 1 }),
  derivativeFilterS: 15,
  antiWindup: "clamp" as const,
  integralBand: 1,
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
  /** Time-proportioning window. */
  windowS: 15,
  /** Shortest on or off time worth switching for (relay and transducer wear). */
  minSwitchS: 2,
  /** A demand this much above the current window's fraction starts a new window at once. */
  restartDemandStep: 0.5,
});

export const FAN = Object.freeze({
  floor: 0.35,
  ceiling: 1.0,
  /** After heating stops, the fan runs on at its floor to carry the element's heat away. */
  runOnS: 120,
});
