// The trend and event logs as both platforms start them: opened on the platform's store
// before the core exists (the boot and any power failure are the first entries), fed by
// the core's events once it does, written out at a clean stop.
import type { IncubatorApi } from "../core/api";
import type { Timers, WallClock } from "../core/types";
import { EventLog, type EventBootReport } from "./event-log";
import { FALLBACK_LOG_BLOCKS, splitLogStore } from "./log-layout";
import type { LogStore } from "./log-store";
import { RamLogStore } from "./ram-log-store";
import { TrendLog, type TrendBootReport } from "./trend-log";

export interface FirmwareLogsOptions {
  /** The platform's store (flash partition, file), or null when it has none. */
  readonly store: LogStore | null;
  readonly timers: Timers;
  readonly wall: WallClock;
  /** The boot entry's text, e.g. "firmware 0.1.0 started". */
  readonly bootMessage: string;
  /** A write of either log failed (STORAGE_FAULT); `log` is "trend" or "events". */
  readonly onStorageFault?: (log: "trend" | "events", message: string) => void;
  readonly onStorageOk?: (log: "trend" | "events") => void;
}

export class FirmwareLogs {
  readonly trend: TrendLog;
  readonly events: EventLog;
  readonly trendBoot: TrendBootReport;
  readonly eventBoot: EventBootReport;
  /** What the boot found, one line each, for the console and the firmware log. */
  readonly bootLines: readonly string[];
  private detach: Array<() => void> = [];

  constructor(o: FirmwareLogsOptions) {
    const lines: string[] = [];
    let store = o.store;
    let regions;
    try {
      regions = store ? splitLogStore(store) : null;
    } catch (error) {
      lines.push(`log store unusable: ${error instanceof Error ? error.message : String(error)}`);
      regions = null;
    }
    if (!regions) {
      store = new RamLogStore(FALLBACK_LOG_BLOCKS);
      regions = splitLogStore(store);
      lines.push("logs kept in RAM only: they are lost at the next reboot");
    } else if (regions.reduced) lines.push("log store smaller than 7 days of minutes: fewer kept");
    this.trend = new TrendLog({
      store: regions.trend, timers: o.timers,
      onStorageFault: (m) => o.onStorageFault?.("trend", m), onStorageOk: () => o.onStorageOk?.("trend"),
    });
    this.events = new EventLog({
      store: regions.events, timers: o.timers, wall: o.wall,
      onStorageFault: (m) => o.onStorageFault?.("events", m), onStorageOk: () => o.onStorageOk?.("events"),
    });
    this.trendBoot = this.trend.open();
    this.eventBoot = this.events.open(o.bootMessage);
    const t = this.trendBoot;
    const e = this.eventBoot;
    if (t.readError) lines.push(`trend log unreadable (${t.readError}): starting empty`);
    if (e.readError) lines.push(`event log unreadable (${e.readError}): starting empty`);
    lines.push(`trend log: ${t.records} minute records${t.tornSlots ? `; ${t.tornSlots} torn or corrupt slot(s) at the tail skipped` : ""}`);
    lines.push(`event log: ${e.records} entries${e.tornSlots ? `; ${e.tornSlots} torn or corrupt slot(s) at the tail skipped` : ""}${e.previousRun === "unexpected" ? "; the last run ended without a shutdown (power failure logged)" : ""}`);
    this.bootLines = lines;
  }

  /** Starts logging the core's ticks and events (before `start`, to catch POWER_FAILURE). */
  attach(api: IncubatorApi): void {
    this.detach.push(this.trend.attach(api), this.events.attach(api));
  }

  /** A clean stop or a requested reboot: the shutdown entry, then everything written. */
  shutdown(message: string, kind: "shutdown" | "reboot" = "shutdown"): void {
    for (const d of this.detach) d();
    this.detach = [];
    this.events.record(kind, "INFO", message);
    this.trend.flush(true);
    this.events.flush();
  }
}
