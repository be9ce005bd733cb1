import type { AlarmSignalOutput } from "../alarms/annunciator";
import type { HistoryEntry } from "../alarms/alarm-history";
import type { PersistedSettings } from "./persisted-settings";
import type { RecordStore } from "./record-store";
import type { PersistSettings } from "./settings-keeper";
import type { StorageHealth } from "./storage-health";
import type { ActuatorSink, MonotonicClock, SensorSource, Timers, WallClock } from "./types";

export interface IncubatorOptions {
  readonly clock: MonotonicClock;
  readonly wall: WallClock;
  readonly timers: Timers;
  readonly sensors: SensorSource;
  readonly actuators: ActuatorSink;
  readonly periodMs?: number;
  /** Settings loaded at boot; defaults when absent. */
  readonly settings?: PersistedSettings;
  /** Boot found the stored settings unreadable or gone (SETTINGS_LOST is raised); null: fine. */
  readonly settingsLost?: "corrupt" | "missing" | null;
  /** Stores what must survive a reboot. A command's change is stored first and takes effect
   *  once stored (its reply waits); a throw or rejection refuses the command, naming why.
   *  Changes the firmware makes itself are stored after the tick, retried while failing. */
  readonly persist?: PersistSettings;
  /** Alarm history restored at boot (decodeAlarmHistory of what `persistAlarmHistory` saved). */
  readonly alarmHistory?: readonly HistoryEntry[];
  /** Called with the encoded alarm history whenever it changes. */
  readonly persistAlarmHistory?: (encoded: string) => void;
  /** Failing stores (STORAGE_FAULT while they fail); the core makes its own when absent. */
  readonly storage?: StorageHealth;
  /** Buzzer and alarm LED; driven with the IEC 60601-1-8 patterns when given. */
  readonly alarmSignal?: AlarmSignalOutput;
  /** Where what the controllers learn about this incubator is kept across reboots (none: nothing is kept). */
  readonly records?: RecordStore;
  /** Where a failing event listener's error is reported (the tick goes on regardless). */
  readonly onError?: (error: unknown) => void;
}
