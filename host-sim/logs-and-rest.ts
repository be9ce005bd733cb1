// host-sim's trend and event logs (a file beside the settings file, block for block the
// device's flash partition), the device settings REST changes (name, calibration) and the
// REST API, wired as on the device: the logs open before the core, attach to it, and the
// REST API is one of the server's routes.
import type { MqttSettings } from "../src/protocol/mqtt/mqtt-settings";
import type { IncubatorApi } from "../src/core/api";
import { FIRMWARE_VERSION } from "../src/core/firmware-version";
import type { RecordStore } from "../src/core/record-store";
import type { StorageFaultReporter } from "../src/core/storage-health";
import type { MonotonicClock, Timers, WallClock } from "../src/core/types";
import { DeviceSettings } from "../src/config/device-settings";
import { FirmwareLogs } from "../src/logs/firmware-logs";
import { RestApi } from "../src/protocol/rest/rest-api";
import { hostSystemInfo } from "./host-system-info";
import { FileLogStore, logFileBeside } from "./log-file-store";

export interface HostLogs {
  readonly logs: FirmwareLogs;
  readonly settings: DeviceSettings;
  readonly logFile: string;
  /** What the boot found, for the banner. */
  readonly notes: readonly string[];
}

/** Opens the logs and the device settings (before the core: the drivers need the calibration). */
export function openHostLogs(o: { stateFile: string; records: RecordStore; timers: Timers; wall: WallClock; onStorageFault: (message: string) => void; storage?: StorageFaultReporter }): HostLogs {
  const logFile = logFileBeside(o.stateFile);
  let store: FileLogStore | null = null;
  const notes: string[] = [];
  try {
    store = new FileLogStore(logFile);
  } catch (error) {
    notes.push(`cannot open ${logFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const logs = new FirmwareLogs({
    store, timers: o.timers, wall: o.wall, bootMessage: `host-sim firmware ${FIRMWARE_VERSION} started`,
    onStorageFault: (log, message) => {
      o.onStorageFault(message);
      o.storage?.failed(`${log === "trend" ? "trend" : "event"} log`, message);
    },
    onStorageOk: (log) => o.storage?.recovered(`${log === "trend" ? "trend" : "event"} log`),
  });
  const settings = new DeviceSettings(o.records, "IncuNest (host-sim)", (kind, message, origin) => logs.events.record(kind, "INFO", message, origin));
  notes.push(...logs.bootLines, ...settings.load().map((p) => `device settings: ${p}`));
  return { logs, settings, logFile, notes };
}

export function hostRestApi(o: { api: IncubatorApi; host: HostLogs; time: MonotonicClock & Timers & WallClock; rateClock: MonotonicClock; address: string; reboot: () => void; mqtt?: MqttSettings }): RestApi {
  return new RestApi({
    api: o.api,
    trend: o.host.logs.trend,
    events: o.host.logs.events,
    settings: o.host.settings,
    system: hostSystemInfo({ clock: o.time, host: o.address }),
    clock: o.rateClock,
    timers: o.time,
    wall: o.time,
    reboot: o.reboot,
    ...(o.mqtt ? { mqtt: o.mqtt } : {}),
  });
}
