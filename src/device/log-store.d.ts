// "src/device/log-store" is bound per platform by the manifest: flash-log-store.ts (the
// `inculog` flash partition) on the ESP32, sim-log-store.ts (a file) in Moddable's simulator.
import type { LogStore } from "../logs/log-store";
/** The trend and event logs' store, or null (said through `log`) when there is none. */
export declare function openLogStore(log: (text: string) => void): LogStore | null;
