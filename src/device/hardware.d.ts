// "src/device/hardware" is bound per platform by the manifest: hardware-esp32.ts on the
// ESP32, hardware-sim.ts in Moddable's simulator. Both export this.
import type { OpenHardware } from "./platform";
export declare const openHardware: OpenHardware;
