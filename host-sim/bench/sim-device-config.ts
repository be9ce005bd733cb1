// The DeviceConfig of the firmware composed on simulated time for the XS benches and tests
// (no pins, no probes' ROM codes, no network): hardware-sim's board and the core at 1 Hz.
import type { DeviceConfig } from "../../src/device/platform";

export const SIM_DEVICE_CONFIG: DeviceConfig = Object.freeze({
  pins: Object.freeze({}),
  skinRom: "",
  probeAirRom: "",
  httpPort: 0,
  wifiSsid: "",
  wifiPassword: "",
  apSsid: "",
  sntp: Object.freeze([]),
  periodMs: 1000,
  crashAfterS: 0,
});
