// What differs between the ESP32 and Moddable's desktop simulator, behind two module
// names the manifest binds per platform (declared in hardware.d.ts and network.d.ts):
//   "src/device/hardware": hardware-esp32 (real chips) | hardware-sim (simulated chips + plant model)
//   "src/device/network":  network-esp32 (Wi-Fi, AP fallback) | network-host (the host's network)
import type { SensorCalibration } from "../../drivers/calibration";
import type { AlarmSignalOutput } from "../alarms/annunciator";
import type { ActuatorSink, MonotonicClock, SensorSource, Timers } from "../core/types";

/** The device configuration (manifest `config`, overridable with mcconfig `key=value`). */
/** What an instrumented build measures allocation with (src/device/allocation-profile.ts). */
export interface AllocationMeasure {
  readonly enabled: boolean;
  measure<T>(label: string, fn: () => T): T;
}

export interface DeviceConfig {
  /** `config.pins` with `pins.*` command-line overrides (drivers/board-pins.ts reads them). */
  readonly pins: Readonly<Record<string, unknown>>;
  /** DS18B20 ROM codes, 16 hex digits in wire order (from the probes' labels or the boot log). */
  readonly skinRom: string;
  readonly probeAirRom: string;
  readonly httpPort: number;
  readonly wifiSsid: string;
  readonly wifiPassword: string;
  readonly apSsid: string;
  readonly sntp: readonly string[];
  readonly periodMs: number;
  /** Simulator only (hardware-sim.ts): seconds after boot at which an exception escapes a
   *  timer callback, to see what an unhandled exception does (0: never). */
  readonly crashAfterS: number;
}

export interface Hardware {
  readonly sensors: SensorSource;
  readonly actuators: ActuatorSink;
  /** Buzzer and alarm LED. */
  readonly alarmSignal: AlarmSignalOutput;
  /** One line for the log and the status page: what was found on the buses. */
  readonly description: string;
}

export type MonotonicClockAndTimers = MonotonicClock & Timers;

/** `calibration`: the offsets the drivers add to the SHT31 and skin probe readings (REST config). */
/** `profile`: the allocation profile of an instrumented build (src/device/allocation-profile.ts). */
export type OpenHardware = (config: DeviceConfig, clock: MonotonicClockAndTimers, log: (text: string) => void, calibration?: SensorCalibration, profile?: AllocationMeasure) => Hardware;

export interface NetworkStatus {
  readonly state: string;
  readonly ip: string | null;
  readonly accessPointOpen: boolean;
}

export interface NetworkControl {
  status(): NetworkStatus;
  /** The simulator: the host's clock is right, so SNTP is not run (and the SDK's classic lin
   *  socket, which SNTP uses, frees a UDP socket with a message still queued for it when the
   *  name does not resolve: XS then aborts). */
  readonly clockFromHost: boolean;
  /** Joins again with the credentials saved from the set-up page. */
  rejoin(): void;
}

export interface NetworkOptions {
  readonly timers: Timers;
  readonly log: (text: string, level?: "info" | "warning") => void;
  readonly credentials: () => { ssid: string; password: string } | null;
  readonly accessPoint: { readonly ssid: string; readonly password: string };
  readonly onOnline: (ip: string) => void;
}

export type StartNetwork = (options: NetworkOptions) => NetworkControl;
