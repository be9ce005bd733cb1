// What differs between the ESP32 and Moddable's desktop simulator, behind two module
// names the manifest binds per platform:
//   "incunest/hardware": src/device/hardware-esp32 (real chips) | hardware-sim (simulated chips + plant model)
//   "incunest/network":  src/device/network-esp32 (Wi-Fi, AP fallback) | network-host (the host's network)
import type { ActuatorSink, MonotonicClock, SensorSource, Timers } from "../core/types";

/** The device configuration (manifest `config`, overridable with mcconfig `key=value`). */
export interface DeviceConfig {
  readonly pins: Readonly<Record<string, number>>;
  readonly httpPort: number;
  readonly apiKey: string;
  readonly wifiSsid: string;
  readonly wifiPassword: string;
  readonly apSsid: string;
  readonly apPassword: string;
  readonly sntp: readonly string[];
  readonly periodMs: number;
}

export interface Hardware {
  readonly sensors: SensorSource;
  readonly actuators: ActuatorSink;
  /** One line for the log and the status page: what was found on the buses. */
  readonly description: string;
}

export type MonotonicClockAndTimers = MonotonicClock & Timers;

export type OpenHardware = (config: DeviceConfig, clock: MonotonicClockAndTimers, log: (text: string) => void) => Hardware;

export interface NetworkStatus {
  readonly state: string;
  readonly ip: string | null;
  readonly accessPointOpen: boolean;
}

export interface NetworkControl {
  status(): NetworkStatus;
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
