// Which stores are failing right now, and why: the source of the STORAGE_FAULT alarm.
// Every store that must survive a reboot reports here: the RecordStore implementations
// (one entry per record: "settings", "alarms", "apikey", ...) and the append-style logs
// (the trend and event logs report their own names). The alarm system raises one
// STORAGE_FAULT per failing store at the next control tick and clears it once it recovers.

/** What a store tells about itself. Cheap; may be called from any context, never throws. */
export interface StorageFaultReporter {
  /** `store` could not write what it had to; `reason` says why (shown in the alarm). */
  failed(store: string, reason: string): void;
  /** `store` has written successfully again (no-op if it was not failing). */
  recovered(store: string): void;
}

/** The answer of changesSince when nothing changed (every tick asks). */
const NO_LINES: ReadonlyArray<{ readonly text: string; readonly level: "info" | "error" }> = Object.freeze([]);

export interface StorageFault {
  readonly store: string;
  readonly reason: string;
}

/** Longest store name and reason kept (they travel in the alarm message and its history). */
const MAX_STORE = 24;
const MAX_REASON = 80;

function clean(text: string, max: number): string {
  // Control characters would garble the alarm history's encoding and every client's display.
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f|]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export class StorageHealth implements StorageFaultReporter {
  private readonly faults = new Map<string, string>();
  private list: readonly StorageFault[] = Object.freeze([]);

  failed(store: string, reason: string): void {
    const name = clean(store, MAX_STORE) || "store";
    const why = clean(reason, MAX_REASON) || "write failed";
    if (this.faults.get(name) === why) return;
    this.faults.set(name, why);
    this.refresh();
  }

  recovered(store: string): void {
    if (this.faults.delete(clean(store, MAX_STORE) || "store")) this.refresh();
  }

  /** Log lines for what changed since `before` (an earlier `current()`): why a store fails
   *  (the alarm names the store; the reason is in the log), and when it writes again. */
  changesSince(before: readonly StorageFault[]): ReadonlyArray<{ readonly text: string; readonly level: "info" | "error" }> {
    const now = this.list;
    if (now === before) return NO_LINES;
    const lines: Array<{ readonly text: string; readonly level: "info" | "error" }> = [];
    for (const f of now) if (!before.some((o) => o.store === f.store && o.reason === f.reason)) lines.push({ text: `storage: ${f.store} failing: ${f.reason}`, level: "error" });
    for (const o of before) if (!now.some((f) => f.store === o.store)) lines.push({ text: `storage: ${o.store} writes again`, level: "info" });
    return lines;
  }

  /** The stores failing now, in the order they first failed. */
  current(): readonly StorageFault[] {
    return this.list;
  }

  private refresh(): void {
    this.list = Object.freeze([...this.faults].map(([store, reason]) => Object.freeze({ store, reason })));
  }
}
