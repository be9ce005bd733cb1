// The device's trend and event logs, its REST-changeable settings (name, calibration) and
// the REST API: the same platform-free pieces host-sim runs (src/logs, src/config,
// src/protocol/rest), bound here to the device's log store, records, Wi-Fi figures,
// Moddable's instrumentation and restart.
import Net from "net";
import type { IncubatorApi } from "../core/api";
import { FIRMWARE_VERSION, HARDWARE_VERSION } from "../core/firmware-version";
import type { RecordStore } from "../core/record-store";
import type { StorageFaultReporter } from "../core/storage-health";
import type { MonotonicClock, Timers, WallClock } from "../core/types";
import { DeviceSettings } from "../config/device-settings";
import { FirmwareLogs } from "../logs/firmware-logs";
import { RestApi } from "../protocol/rest/rest-api";
import type { MemoryProbe, SystemInfo, WifiStatus } from "../protocol/rest/system-info";
import { openLogStore } from "./log-store";
import { instrumentationMemory } from "./memory-probe";

export interface DeviceLogs {
  readonly logs: FirmwareLogs;
  readonly settings: DeviceSettings;
}

/** Opens the logs (before the core, so the boot is their first entry) and the device
 *  settings (before the hardware: the drivers apply the calibration). */
export function openDeviceLogs(o: { records: RecordStore; timers: Timers; wall: WallClock; log: (text: string, level?: "info" | "warning") => void; storage?: StorageFaultReporter }): DeviceLogs {
  const logs = new FirmwareLogs({
    store: openLogStore((text) => o.log(text, "warning")),
    timers: o.timers,
    wall: o.wall,
    bootMessage: `firmware ${FIRMWARE_VERSION} started`,
    onStorageFault: (which, message) => {
      o.log(message, "warning");
      o.storage?.failed(`${which === "trend" ? "trend" : "event"} log`, message);
    },
    onStorageOk: (which) => o.storage?.recovered(`${which === "trend" ? "trend" : "event"} log`),
  });
  const settings = new DeviceSettings(o.records, "IncuNest", (kind, message, origin) => logs.events.record(kind, "INFO", message, origin));
  for (const line of logs.bootLines) o.log(`logs: ${line}`);
  for (const problem of settings.load()) o.log(`device settings: ${problem}`, "warning");
  return { logs, settings };
}

function net<T>(read: () => T): T | null {
  try {
    const value = read();
    return value === undefined || value === "" ? null : value;
  } catch {
    return null;
  }
}

/** INCUNEST_ and the last three bytes of the Wi-Fi MAC address, e.g. INCUNEST_3FA2C1. */
export function deviceId(): string {
  const mac = net(() => Net.get("MAC"));
  return mac ? `INCUNEST_${mac.replace(/:/g, "").slice(-6).toUpperCase()}` : "INCUNEST_001";
}

/** The device's identity, uptime, Wi-Fi and memory for /api/status (a class: its methods
 *  stay in flash, nothing but the instance is made at boot). */
class DeviceSystemInfo implements SystemInfo {
  readonly deviceId = deviceId();
  readonly firmwareVersion = FIRMWARE_VERSION;
  readonly hardwareVersion = HARDWARE_VERSION;
  readonly memory: MemoryProbe = instrumentationMemory();
  // The monotonic clock counts from the ESP32's boot, but from the host's epoch in the
  // simulator: the uptime is counted from here (made at boot).
  private readonly bootMs: number;

  constructor(
    private readonly clock: MonotonicClock,
    private readonly online: () => boolean,
  ) {
    this.bootMs = clock.now();
  }

  uptimeS(): number {
    return (this.clock.now() - this.bootMs) / 1000;
  }

  wifi(): WifiStatus {
    const connected = this.online();
    const rssi = connected ? net(() => Net.get("RSSI")) : null;
    return { connected, ssid: connected ? net(() => Net.get("SSID")) : null, rssi: typeof rssi === "number" ? Math.round(rssi) : null, ip: connected ? net(() => Net.get("IP")) : null };
  }

  network(): { readonly hostname: string; readonly mqttEnabled: boolean } {
    return { hostname: this.deviceId.toLowerCase(), mqttEnabled: false };
  }
}

export function deviceSystemInfo(clock: MonotonicClock, online: () => boolean): SystemInfo {
  return new DeviceSystemInfo(clock, online);
}

/** System.restart() where the platform has it (the ESP32's io `system` module). */
function platformRestart(): (() => void) | undefined {
  const system = (globalThis as { System?: { restart?: () => void } }).System;
  return typeof system?.restart === "function" ? () => system.restart!() : undefined;
}

export function deviceRestApi(o: { api: IncubatorApi; device: DeviceLogs; clock: MonotonicClock & Timers; wall: WallClock; online: () => boolean }): RestApi {
  return new RestApi({
    api: o.api,
    trend: o.device.logs.trend,
    events: o.device.logs.events,
    settings: o.device.settings,
    system: deviceSystemInfo(o.clock, o.online),
    clock: o.clock,
    timers: o.clock,
    wall: o.wall,
    reboot: platformRestart(),
  });
}
