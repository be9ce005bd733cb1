// The IncuNest ESP32 board's pin assignment and bus settings, read from the manifest's
// `config.pins` (overridable with `mcconfig ... pins.heater=...`), with defaults and checks.
// Platform-free so the manifest's values are checked by a test, not at boot.
import { esp32PwmProblem } from "./esp32-pwm";

export interface PwmPin {
  readonly pin: number;
  readonly hz: number;
  /** Bits of duty resolution: the PWM's values are 0 .. 2^resolution - 1. */
  readonly resolution: number;
}

export interface BoardPins {
  readonly i2c: { readonly data: number; readonly clock: number; readonly hz: number };
  readonly oneWire: number;
  readonly heater: PwmPin;
  readonly fan: PwmPin;
  readonly tachometer: number;
  readonly tachPulsesPerRevolution: number;
  readonly humidifier: number;
  readonly buzzer: number;
  readonly alarmLed: number;
}

/** Defaults for the keys `config.pins` may leave out. Heater: a slow PWM a solid-state relay
 *  or MOSFET follows (10 Hz, 12 bits: the ESP32 needs at least 9 Hz at 11 bits, 5 Hz at 12);
 *  fan: 25 kHz (the 4-wire fan standard) at 10 bits (at most 78 kHz at 10 bits). */
export const BOARD_DEFAULTS = Object.freeze({
  i2cHz: 100_000,
  heaterHz: 10,
  heaterBits: 12,
  fanHz: 25_000,
  fanBits: 10,
  tachPulses: 2,
});

export type PinsResult = { readonly ok: true; readonly pins: BoardPins } | { readonly ok: false; readonly problems: readonly string[] };

/** Reads `config.pins`; every missing or invalid entry and every PWM pair the ESP32 would
 *  refuse is named. */
export function boardPinsFromConfig(config: Readonly<Record<string, unknown>>): PinsResult {
  const problems: string[] = [];
  // mcconfig passes command-line overrides (pins.heater=25) as strings.
  const int = (key: string, fallback?: number, min = 0): number => {
    const raw = config[key] ?? fallback;
    const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      problems.push(`pins.${key}: ${raw === undefined ? "missing" : `${JSON.stringify(raw)} is not an integer of at least ${min}`}`);
      return -1;
    }
    return value;
  };
  const pwm = (name: string, pinKey: string, hzKey: string, bitsKey: string, hz: number, bits: number): PwmPin => {
    const pin: PwmPin = { pin: int(pinKey), hz: int(hzKey, hz, 1), resolution: int(bitsKey, bits, 1) };
    if (pin.hz > 0 && pin.resolution > 0) {
      const why = esp32PwmProblem(pin.hz, pin.resolution);
      if (why) problems.push(`${name} PWM (pins.${hzKey}=${pin.hz}, pins.${bitsKey}=${pin.resolution}): ${why}`);
    }
    return pin;
  };
  const pins: BoardPins = {
    i2c: { data: int("i2cSda"), clock: int("i2cScl"), hz: int("i2cHz", BOARD_DEFAULTS.i2cHz, 1) },
    oneWire: int("oneWire"),
    heater: pwm("heater", "heater", "heaterHz", "heaterBits", BOARD_DEFAULTS.heaterHz, BOARD_DEFAULTS.heaterBits),
    fan: pwm("fan", "fan", "fanHz", "fanBits", BOARD_DEFAULTS.fanHz, BOARD_DEFAULTS.fanBits),
    tachometer: int("fanTach"),
    tachPulsesPerRevolution: int("tachPulses", BOARD_DEFAULTS.tachPulses, 1),
    humidifier: int("humidifier"),
    buzzer: int("buzzer"),
    alarmLed: int("alarmLed"),
  };
  return problems.length ? { ok: false, problems } : { ok: true, pins };
}

/** `config.pins` with mcconfig's command-line overrides applied: `mcconfig ... pins.heater=18`
 *  arrives as a top-level key "pins.heater" (mcconfig does not nest dotted names). */
export function pinsWithOverrides(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const pins: Record<string, unknown> = { ...((config.pins as Record<string, unknown> | undefined) ?? {}) };
  for (const key of Object.keys(config)) if (key.startsWith("pins.")) pins[key.slice(5)] = config[key];
  return pins;
}
