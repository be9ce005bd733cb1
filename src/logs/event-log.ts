// The event log: every alarm raised, acknowledged and cleared, every state, setpoint,
// mode and calibration change (with the interface and client a command came from),
// boots, shutdowns and power failures, with their time; at least the last 500 kept
// across reboots in a ring of 128-byte slots on a LogStore. Entries are queued as they
// happen and written after the control tick, each burst in one go.
import type { IncubatorApi, IncubatorEvent, Setpoints } from "../core/api";
import type { ControlMode, Timers, WallClock } from "../core/types";
import { decodeEvent, encodeEvent, EVENT_LEVELS, EVENT_RECORD_BYTES, EVENT_TAG, type EventKind, type EventLevel, type LoggedEvent, type NewEvent } from "./event-record";
import type { LogStore } from "./log-store";
import { SlotRing, type RingReport } from "./slot-ring";

export const EVENT_MIN_RECORDS = 500;
/** Entries queued while the store fails before the oldest queued one is given up. */
const QUEUE = 32;

export interface EventLogOptions {
  readonly store: LogStore;
  readonly timers: Timers;
  readonly wall: WallClock;
  /** Hears of a write that failed (for STORAGE_FAULT); entries stay queued. Must not throw. */
  readonly onStorageFault?: (message: string) => void;
  readonly onStorageOk?: () => void;
}

export interface EventBootReport extends RingReport {
  /** Entries held, from the ids (before this boot's own entries are written). */
  readonly records: number;
  /** How the run before this boot ended, judged by the last entry it left. */
  readonly previousRun: "none" | "clean" | "unexpected";
  readonly lastEvent: LoggedEvent | null;
}

/** Kinds that end a run in order; a run whose last entry is another kind ended unexpectedly. */
const CLEAN_END: readonly EventKind[] = Object.freeze(["shutdown", "reboot"]);

export class EventLog {
  readonly ring: SlotRing;
  private readonly slot = new Uint8Array(EVENT_RECORD_BYTES);
  private readonly slotView = new DataView(this.slot.buffer);
  private readonly probe = new Uint8Array(EVENT_RECORD_BYTES);
  private queue: NewEvent[] = [];
  private flushScheduled = false;
  private faulted = false;
  private droppedEntries = 0;
  private setpoints: Setpoints | null = null;
  private mode: ControlMode | null = null;
  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  constructor(private readonly options: EventLogOptions) {
    this.ring = new SlotRing(options.store, EVENT_TAG, EVENT_RECORD_BYTES);
  }

  /** Scans the store and logs the boot (and, when the last run left no shutdown entry, a
   *  power failure). Never throws. */
  open(bootMessage: string): EventBootReport {
    const report = this.ring.open();
    const lastEvent = report.readError ? null : this.newest();
    const previousRun = lastEvent === null ? "none" : CLEAN_END.includes(lastEvent.kind) ? "clean" : "unexpected";
    if (previousRun === "unexpected") {
      this.record("power_failure", "WARNING", "the previous run ended without a shutdown entry: power cut, crash or watchdog reset");
    }
    this.record("boot", "INFO", bootMessage);
    return { ...report, records: report.readError ? 0 : this.ring.heldIds, previousRun, lastEvent };
  }

  /** Logs the core's alarm, state and settings events; returns the unsubscribe function. */
  attach(api: IncubatorApi): () => void {
    const s = api.snapshot();
    this.setpoints = s.setpoints;
    this.mode = s.mode;
    return api.subscribe((event) => this.onEvent(event));
  }

  /** Queues an entry; it is written after the current tick. */
  record(kind: EventKind, level: EventLevel, message: string, origin: NewEvent["origin"] = null, epochMs = this.options.wall.epochMs()): void {
    if (this.queue.length >= QUEUE) {
      this.queue.shift();
      this.droppedEntries++;
    }
    this.queue.push({ kind, level, message, origin, epochMs });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.options.timers.after(0, this.flushLater);
    }
  }

  /** Writes the queued entries now. */
  flush(): void {
    let wrote = false;
    while (this.queue.length > 0) {
      encodeEvent(this.slot, this.slotView, this.queue[0]);
      this.ring.seal(this.slot);
      try {
        this.ring.append(this.slot);
      } catch (error) {
        this.fault(`event log: writing an entry failed: ${describe(error)}; ${this.queue.length} entr${this.queue.length === 1 ? "y" : "ies"} kept for the next try`);
        return;
      }
      this.queue.shift();
      wrote = true;
    }
    if (!wrote) return;
    try {
      this.ring.sync();
    } catch (error) {
      this.fault(`event log: sync failed: ${describe(error)}`);
      return;
    }
    if (this.faulted) {
      this.faulted = false;
      this.options.onStorageOk?.();
    }
  }

  /** Entries newest first, at most `count`, at `minLevel` or above (queued ones included). */
  newestFirst(count: number, minLevel: EventLevel | "DEBUG" = "DEBUG"): LoggedEvent[] {
    const out: LoggedEvent[] = [];
    const next = this.newestFirstCursor(minLevel);
    for (let e = next(); e !== null && out.length < count; e = next()) out.push(e);
    return out;
  }

  /** A function returning the entries one by one, newest first (for streamed answers):
   *  entries written after the call are not visited. */
  newestFirstCursor(minLevel: EventLevel | "DEBUG" = "DEBUG"): () => LoggedEvent | null {
    const min = minLevel === "DEBUG" ? 0 : EVENT_LEVELS.indexOf(minLevel);
    const queued = this.queue.slice();
    const stored = this.ring.nextId;
    let q = queued.length - 1;
    let id = stored - 1;
    return () => {
      while (q >= 0) {
        const index = q--;
        const e = queued[index];
        if (EVENT_LEVELS.indexOf(e.level) >= min) return Object.freeze({ id: stored + index, ...e });
      }
      while (id >= this.ring.oldestId) {
        const e = this.read(id--);
        if (e && EVENT_LEVELS.indexOf(e.level) >= min) return e;
      }
      return null;
    };
  }

  /** The newest entry, or null when the log is empty. */
  newest(): LoggedEvent | null {
    return this.newestFirst(1)[0] ?? null;
  }

  /** Entries held (stored and queued). */
  get count(): number {
    return this.ring.countRecords() + this.queue.length;
  }

  get dropped(): number {
    return this.droppedEntries;
  }

  /** Forgets every entry (factory reset). Throws when the store fails. */
  clear(): void {
    this.queue = [];
    this.ring.clear();
  }

  private read(id: number): LoggedEvent | null {
    if (this.ring.readRun(id, this.probe, 1) !== 1 || !this.ring.isValid(this.probe, 0)) return null;
    return decodeEvent(this.probe, 0, id);
  }

  private onEvent(event: IncubatorEvent): void {
    switch (event.type) {
      case "alarm": {
        const a = event.alarm;
        if (event.change === "raised") {
          const level: EventLevel = a.level === "CRITICAL" ? "ERROR" : a.level === "WARNING" ? "WARNING" : "INFO";
          this.record("alarm_raised", level, `alarm ${a.id} ${a.code} raised: ${a.message}`, null, event.epochMs);
        } else {
          this.record(event.change === "acknowledged" ? "alarm_acknowledged" : "alarm_cleared", "INFO", `alarm ${a.id} ${a.code} ${event.change}`, event.origin ?? null, event.epochMs);
        }
        return;
      }
      case "state_change":
        this.record("state_change", event.next === "FAULT" ? "ERROR" : "INFO", `state ${event.previous} → ${event.next}: ${event.reason}`, event.origin ?? null, event.epochMs);
        return;
      case "settings":
        this.settingsChanged(event.setpoints, event.mode, event.origin ?? null, event.epochMs);
        return;
      default:
        return;
    }
  }

  private settingsChanged(next: Setpoints, mode: ControlMode, origin: NewEvent["origin"], epochMs: number): void {
    const before = this.setpoints;
    this.setpoints = next;
    const modeBefore = this.mode;
    this.mode = mode;
    if (modeBefore !== null && modeBefore !== mode) this.record("mode", "INFO", `control mode ${modeBefore} → ${mode}`, origin, epochMs);
    if (!before) return;
    if (before.air !== next.air || before.override !== next.override) {
      this.record("setpoint", "INFO", `air setpoint ${before.air.toFixed(1)} → ${next.air.toFixed(1)} °C${next.override ? " (override)" : ""}`, origin, epochMs);
    }
    if (before.skin !== next.skin) this.record("setpoint", "INFO", `skin setpoint ${before.skin.toFixed(1)} → ${next.skin.toFixed(1)} °C`, origin, epochMs);
    if (before.humidity !== next.humidity) this.record("setpoint", "INFO", `humidity setpoint ${before.humidity.toFixed(1)} → ${next.humidity.toFixed(1)} %RH`, origin, epochMs);
  }

  private fault(message: string): void {
    this.faulted = true;
    this.options.onStorageFault?.(message);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
