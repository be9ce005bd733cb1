// The contracts between the firmware core and everything around it. Nothing here imports
// Node or Moddable: sensors, actuators, time and storage reach the core through these.

/** Why a sensor channel has no valid reading. */
export type SensorFaultKind =
  | "absent" // no presence pulse / NACK on address / device not found by ROM search
  | "crc" // checksum mismatch
  | "timeout" // conversion never completed
  | "implausible" // decoded, but outside what the physics allows (e.g. 85.0 °C power-on value)
  | "stale" // the same raw value for too long, or no new value yet
  | "bus"; // bus-level error (short, stuck line)

/** One channel's latest reading as the driver layer hands it to the core. */
export interface Reading {
  /** The measured value, or null when there is no valid reading. Never a sentinel. */
  readonly value: number | null;
  /** When `value` was measured (monotonic ms); null if never. */
  readonly atMs: number | null;
  /** Present when the channel is faulty. */
  readonly fault?: SensorFaultKind;
  /** Human-readable detail of the fault, for the alarm message and log. */
  readonly detail?: string;
  /** Monotonic ms since when the fault has persisted. */
  readonly faultSinceMs?: number;
}

/** Everything the core reads once per tick. Temperatures in °C, humidity in %RH. */
export interface SensorFrame {
  /** SHT31 temperature: the air control channel. */
  readonly air: Reading;
  /** SHT31 relative humidity. */
  readonly humidity: Reading;
  /** DS18B20 skin probe. */
  readonly skin: Reading;
  /** DS18B20 near the air outlet: the independent cut-out channel. */
  readonly probeAir: Reading;
  /** Fan tachometer, rpm. */
  readonly fanRpm: Reading;
}

/** The sensor side of the hardware, polled once per control tick. Must never block. */
export interface SensorSource {
  sample(nowMs: number): SensorFrame;
}

/** What the core drives each tick. */
export interface ActuatorCommand {
  /** Heater duty 0..1, already passed through the safety interlock. */
  readonly heaterDuty: number;
  /** Fan duty 0..1. */
  readonly fanDuty: number;
  readonly humidifierOn: boolean;
}

export interface ActuatorSink {
  apply(command: ActuatorCommand, nowMs: number): void;
}

/** Monotonic time in milliseconds (Time.ticks on Moddable, performance.now on Node, simulated in tests). */
export interface MonotonicClock {
  now(): number;
}

/** Wall-clock time for timestamps. `isSet` is false until SNTP (or the host) has set it. */
export interface WallClock {
  epochMs(): number;
  isSet(): boolean;
}

export interface TimerHandle {
  cancel(): void;
}

/** One-shot timers on the same time base as the MonotonicClock. */
export interface Timers {
  after(ms: number, callback: () => void): TimerHandle;
  /** A repeating timer, first due `ms` from now, then every `ms` (each due time measured
   *  from the previous one, as a chain of `after` calls made when each fires). Optional:
   *  where it exists, a periodic job costs no allocation per period (Moddable's
   *  `Timer.repeat`); `everyMs` below falls back to such a chain. */
  every?(ms: number, callback: () => void): TimerHandle;
}

/** `timers.every` where there is one, else a chain of `after` calls (the same due times). */
export function everyMs(timers: Timers, ms: number, callback: () => void): TimerHandle {
  if (timers.every) return timers.every(ms, callback);
  let handle: TimerHandle | null = null;
  let cancelled = false;
  const step = () => {
    callback();
    if (!cancelled) handle = timers.after(ms, step);
  };
  handle = timers.after(ms, step);
  return {
    cancel() {
      cancelled = true;
      handle?.cancel();
    },
  };
}

export type ControlMode = "air" | "skin";
export type IncubatorState = "STANDBY" | "PREHEATING" | "OPERATING" | "FAULT";

/** Key-value storage for settings that must survive a reboot. Integers and strings only
 *  (Moddable `preference` stores no floats). */
export interface SettingsStore {
  getInt(key: string): number | undefined;
  getString(key: string): string | undefined;
  setInt(key: string, value: number): void;
  setString(key: string, value: string): void;
  delete(key: string): void;
}

/** A record the control tick writes in place each tick instead of making a new one. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
