// The trend log: one 32-byte record a minute (trend-record.ts) in a ring on a LogStore
// that keeps at least the last 7 days. Inside the control tick only the minute's sums
// grow (MinuteAccumulator); the finished minute is encoded after the tick, and records
// go to the store in batches of `batchMinutes`, so a power cut loses at most the records
// not yet written: fewer than `batchMinutes` minutes plus the minute in progress.
import type { IncubatorApi, Snapshot } from "../core/api";
import type { Timers } from "../core/types";
import type { LogStore } from "./log-store";
import { MinuteAccumulator } from "./minute-accumulator";
import { SlotRing, type RingReport } from "./slot-ring";
import { encodeTrend, TREND_RECORD_BYTES, TREND_TAG } from "./trend-record";

/** At least 7 days of minutes (issue 12). */
export const TREND_MIN_RECORDS = 10_080;
export const TREND_BATCH_MINUTES = 5;

export interface TrendLogOptions {
  readonly store: LogStore;
  readonly timers: Timers;
  /** Records written per batch (default 5). */
  readonly batchMinutes?: number;
  /** Hears of a write that failed (for STORAGE_FAULT); the records stay queued and are
   *  retried with the next batch. Must not throw. */
  readonly onStorageFault?: (message: string) => void;
  /** Hears that writing works again after a fault. */
  readonly onStorageOk?: () => void;
}

export interface TrendStorage {
  /** Bytes of the log's region of the store. */
  readonly total: number;
  readonly used: number;
  readonly free: number;
  readonly percent: number;
  readonly records: number;
  /** Records the ring holds when full, and at least (after reusing its oldest block). */
  readonly capacityRecords: number;
  readonly retainedRecords: number;
  readonly recordBytes: number;
  /** Records finished but not yet written to the store. */
  readonly pending: number;
  /** Records given up because the store kept failing. */
  readonly dropped: number;
}

export interface TrendBootReport extends RingReport {
  /** Records held, from the ids (a torn or corrupt one among them is skipped when read). */
  readonly records: number;
}

export class TrendLog {
  readonly ring: SlotRing;
  readonly batchMinutes: number;
  /** Finished minutes not yet written: a queue of sealed slots in one buffer (a view per
   *  slot took about 5 slots each on XS). */
  private readonly queued: Uint8Array;
  private readonly pendingView: DataView;
  private readonly pendingCapacity: number;
  /** The slot handed to the ring, copied from the queue. */
  private readonly outSlot = new Uint8Array(TREND_RECORD_BYTES);
  private pendingHead = 0;
  private pendingCount = 0;
  private current = new MinuteAccumulator();
  private closing = new MinuteAccumulator();
  private closingReady = false;
  private afterTickScheduled = false;
  private faulted = false;
  private droppedRecords = 0;
  private readonly afterTick = (): void => {
    this.afterTickScheduled = false;
    this.finishClosingMinute();
    if (this.pendingCount >= this.batchMinutes) this.flush();
  };

  constructor(private readonly options: TrendLogOptions) {
    this.ring = new SlotRing(options.store, TREND_TAG, TREND_RECORD_BYTES);
    this.batchMinutes = Math.max(1, Math.floor(options.batchMinutes ?? TREND_BATCH_MINUTES));
    // Room for two batches: a store that fails for a while loses nothing until then.
    const capacity = 2 * this.batchMinutes;
    this.pendingCapacity = capacity;
    this.queued = new Uint8Array(capacity * TREND_RECORD_BYTES);
    this.pendingView = new DataView(this.queued.buffer);
  }

  /** Finds the write position (boot: the sector headers and the newest sector only, so
   *  the control loop is not kept waiting). Never throws. */
  open(): TrendBootReport {
    const report = this.ring.open();
    return { ...report, records: report.readError ? 0 : this.ring.heldIds };
  }

  /** Feeds the log from the core's tick events; returns the unsubscribe function. */
  attach(api: IncubatorApi): () => void {
    return api.subscribe((event) => {
      if (event.type === "tick") this.addTick(event.snapshot);
    });
  }

  /** One control tick's values (runs inside the tick: sums only). */
  addTick(s: Snapshot): void {
    const minute = Math.floor(s.epochMs / 60_000);
    if (this.current.samples > 0 && minute !== this.current.minute) {
      if (this.closingReady) this.finishClosingMinute();
      const done = this.current;
      this.current = this.closing;
      this.closing = done;
      this.closingReady = true;
      this.scheduleAfterTick();
    }
    this.current.add(s, minute);
  }

  /** Writes every finished minute now (and, with `includeCurrent`, the minute in progress:
   *  a clean shutdown or a requested reboot). */
  flush(includeCurrent = false): void {
    this.finishClosingMinute();
    if (includeCurrent && this.current.samples > 0) {
      this.enqueue(this.current);
      this.current.reset();
    }
    let wrote = false;
    while (this.pendingCount > 0) {
      const slot = this.outSlot;
      copySlot(this.queued, this.pendingHead * TREND_RECORD_BYTES, slot, 0);
      try {
        this.ring.append(slot);
      } catch (error) {
        this.reportFault(`trend log: writing a record failed: ${describe(error)}; ${this.pendingCount} record(s) kept for the next try`);
        return;
      }
      wrote = true;
      this.pendingHead = (this.pendingHead + 1) % this.pendingCapacity;
      this.pendingCount--;
    }
    if (!wrote) return;
    try {
      this.ring.sync();
    } catch (error) {
      this.reportFault(`trend log: sync failed: ${describe(error)}`);
      return;
    }
    if (this.faulted) {
      this.faulted = false;
      this.options.onStorageOk?.();
    }
  }

  /** Id one past the newest record (pending ones included). */
  get endId(): number {
    return this.ring.nextId + this.pendingCount;
  }

  get oldestId(): number {
    return this.ring.oldestId;
  }

  get pending(): number {
    return this.pendingCount;
  }

  /**
   * Copies up to `max` consecutive records from `id` on into `into`; returns how many, and
   * 0 at the end. Records still queued come after the stored ones. `id` below the oldest
   * record held must be moved up by the caller (`oldestId`); a block the store lost is
   * skipped by `skipLost`.
   */
  readRun(id: number, into: Uint8Array, max: number): number {
    const stored = this.ring.nextId;
    if (id < stored) return this.ring.readRun(id, into, max);
    let n = 0;
    const limit = Math.min(max, Math.floor(into.length / TREND_RECORD_BYTES));
    for (let index = id - stored; n < limit && index < this.pendingCount; index++, n++) {
      copySlot(this.queued, ((this.pendingHead + index) % this.pendingCapacity) * TREND_RECORD_BYTES, into, n * TREND_RECORD_BYTES);
    }
    return n;
  }

  /** The id where reading goes on when `id` cannot be read (its block is gone). */
  skipLost(id: number): number {
    if (id < this.ring.oldestId) return this.ring.oldestId;
    const perBlock = this.ring.recordsPerBlock;
    return Math.min(this.ring.nextId, (Math.floor(id / perBlock) + 1) * perBlock);
  }

  /** Record `id` just read into `bytes` at `offset` is whole (queued ones always are). */
  isValid(id: number, bytes: Uint8Array, offset: number): boolean {
    return id >= this.ring.nextId ? bytes[offset] === this.ring.tag : this.ring.isValidRecord(id, bytes, offset);
  }

  storage(): TrendStorage {
    const recordBytes = TREND_RECORD_BYTES;
    const total = this.options.store.blockCount * this.options.store.blockSize;
    const records = this.ring.countRecords() + this.pendingCount;
    const used = records * recordBytes;
    return {
      total,
      used,
      free: total - used,
      percent: Math.round((1000 * used) / total) / 10,
      records,
      capacityRecords: this.ring.recordsPerBlock * this.ring.blockCount,
      retainedRecords: this.ring.recordsPerBlock * (this.ring.blockCount - 1),
      recordBytes,
      pending: this.pendingCount,
      dropped: this.droppedRecords,
    };
  }

  /** Forgets every record (factory reset). Throws when the store fails. */
  clear(): void {
    this.pendingCount = 0;
    this.current.reset();
    this.closing.reset();
    this.closingReady = false;
    this.ring.clear();
  }

  private scheduleAfterTick(): void {
    if (this.afterTickScheduled) return;
    this.afterTickScheduled = true;
    this.options.timers.after(0, this.afterTick);
  }

  private finishClosingMinute(): void {
    if (!this.closingReady) return;
    this.closingReady = false;
    this.enqueue(this.closing);
    this.closing.reset();
  }

  private enqueue(minute: MinuteAccumulator): void {
    const capacity = this.pendingCapacity;
    if (this.pendingCount === capacity) {
      // The store has failed for two whole batches: the oldest queued minute is given up.
      this.pendingHead = (this.pendingHead + 1) % capacity;
      this.pendingCount--;
      this.droppedRecords++;
    }
    const index = (this.pendingHead + this.pendingCount) % capacity;
    encodeTrend(this.pendingView, index * TREND_RECORD_BYTES, minute);
    this.ring.seal(this.queued, index * TREND_RECORD_BYTES);
    this.pendingCount++;
  }

  private reportFault(message: string): void {
    this.faulted = true;
    this.options.onStorageFault?.(message);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One record's bytes from `from` at `fromAt` to `to` at `toAt` (no view made). */
function copySlot(from: Uint8Array, fromAt: number, to: Uint8Array, toAt: number): void {
  for (let i = 0; i < TREND_RECORD_BYTES; i++) to[toAt + i] = from[fromAt + i];
}
