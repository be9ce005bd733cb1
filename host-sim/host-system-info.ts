import * as os from "node:os";
import { FIRMWARE_VERSION, HARDWARE_VERSION } from "../src/core/firmware-version";
import type { MonotonicClock } from "../src/core/types";
import type { MemoryProbe, SystemInfo, WifiStatus } from "../src/protocol/rest/system-info";

/** Node's heap, as the device reports XS's: what the process has reserved and what is free in it. */
export const NODE_MEMORY: MemoryProbe = Object.freeze({
  read() {
    const m = process.memoryUsage();
    return { heapFree: m.heapTotal - m.heapUsed, heapTotal: m.heapTotal, source: "node" };
  },
});

/** host-sim's /api/status figures: no Wi-Fi (the host's network), Node's memory. */
export function hostSystemInfo(options: { clock: MonotonicClock; host: string; deviceId?: string }): SystemInfo {
  const bootMs = options.clock.now();
  const wifi: WifiStatus = Object.freeze({ connected: true, ssid: null, rssi: null, ip: options.host });
  return {
    deviceId: options.deviceId ?? "INCUNEST_SIM",
    firmwareVersion: FIRMWARE_VERSION,
    hardwareVersion: `${HARDWARE_VERSION} (host-sim)`,
    uptimeS: () => (options.clock.now() - bootMs) / 1000,
    wifi: () => wifi,
    memory: NODE_MEMORY,
    network: () => ({ hostname: os.hostname(), mqttEnabled: false }),
  };
}
