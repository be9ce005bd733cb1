// "src/device/network" is bound per platform by the manifest: network-esp32.ts (Wi-Fi with
// access-point fallback) on the ESP32, network-host.ts in Moddable's simulator.
import type { StartNetwork } from "./platform";
export declare const startNetwork: StartNetwork;
