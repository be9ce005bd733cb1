// The alarm system's news as the core's events: the active list the snapshot shows, each
// alarm event sent out, the history saved whenever it changes, and why a store fails logged.
// It is handed the core's alarm system at each use, as the core reads it then.
import type { AlarmInfo, CommandOrigin, IncubatorEvent } from "./api";
import type { AlarmEvent, AlarmSystem } from "../alarms/alarm-system";
import type { EventHub } from "./event-hub";
import type { StorageFault, StorageHealth } from "./storage-health";
import type { WallClock } from "./types";

export class AlarmFeed {
  /** The active alarms the snapshot shows. */
  active: readonly AlarmInfo[];
  private savedHistoryVersion: number;
  private loggedStorage: readonly StorageFault[] = [];

  constructor(
    alarms: AlarmSystem,
    private readonly events: EventHub<IncubatorEvent>,
    private readonly storage: StorageHealth,
    private readonly wall: WallClock,
    private readonly persistAlarmHistory: ((encoded: string) => void) | undefined,
  ) {
    this.savedHistoryVersion = alarms.history.version;
    // Occurrences kept open across the reboot (a latched cut-out, an unseen SETTINGS_LOST).
    this.active = alarms.activeAlarms();
  }

  /** The active list as the alarm system has it now. */
  refresh(alarms: AlarmSystem): void {
    this.active = alarms.activeAlarms();
  }

  /** Sends the alarm events out (an acknowledgement carries the command's origin), saves the history. */
  send(alarms: AlarmSystem, events: readonly AlarmEvent[], origin: CommandOrigin | null): void {
    // An alarm event is itself the log entry (the log feed renders it); no second "log" event.
    for (const event of events) this.events.emit(origin && event.change === "acknowledged" ? { ...event, origin } : event);
    if (alarms.history.version !== this.savedHistoryVersion) {
      this.savedHistoryVersion = alarms.history.version;
      this.persistAlarmHistory?.(alarms.history.encode());
    }
  }

  /** Says in the log why a store fails (the alarm names the store; the reason is here). */
  logStorage(): void {
    const epochMs = this.wall.epochMs();
    const lines = this.storage.changesSince(this.loggedStorage);
    for (let i = 0; i < lines.length; i++) this.events.emit({ type: "log", text: lines[i].text, source: "storage", level: lines[i].level, epochMs });
    this.loggedStorage = this.storage.current();
  }
}
