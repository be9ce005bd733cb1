// Where the trend and event logs live: a region of erase blocks, written the way NOR flash
// is (the ESP32's `flash` partition; on the host, a file that behaves the same): a byte is
// programmed once into erased space (0xFF), and a whole block is erased before its space
// is used again. Small whole records (settings, calibration) use RecordStore instead.

/** The value of an erased byte. */
export const ERASED = 0xff;

/**
 * Append-style, block-oriented storage for the logs. Synchronous: the logs call it after
 * the control tick (and at boot), never inside it. A failing call throws an Error saying
 * why; what was written before stays readable.
 */
export interface LogStore {
  /** Bytes per erase block (4096 on the ESP32's flash). */
  readonly blockSize: number;
  readonly blockCount: number;
  /** Fills `into` with the bytes at `offset`. */
  read(offset: number, into: Uint8Array): void;
  /** Programs `bytes` at `offset`, into space erased since it was last written. */
  write(offset: number, bytes: Uint8Array): void;
  /** Sets every byte of block `block` to 0xFF. */
  erase(block: number): void;
  /** Makes what was written durable (fsync on the host; flash writes already are). */
  sync(): void;
}

/** Blocks `[first, first + count)` of a store as a store of their own (the trend and the
 *  event log share one partition or file). A class, not an object of closures: on XS its
 *  methods stay in flash with the preloaded code. */
class LogRegion implements LogStore {
  readonly blockSize: number;
  private readonly base: number;

  constructor(
    private readonly store: LogStore,
    private readonly first: number,
    readonly blockCount: number,
  ) {
    this.blockSize = store.blockSize;
    this.base = first * store.blockSize;
  }

  read(offset: number, into: Uint8Array): void {
    this.store.read(this.base + offset, into);
  }

  write(offset: number, bytes: Uint8Array): void {
    this.store.write(this.base + offset, bytes);
  }

  erase(block: number): void {
    this.store.erase(this.first + block);
  }

  sync(): void {
    this.store.sync();
  }
}

export function logRegion(store: LogStore, first: number, count: number): LogStore {
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 1 || first + count > store.blockCount) {
    throw new RangeError(`log region of ${count} blocks at block ${first} does not fit a store of ${store.blockCount} blocks`);
  }
  return new LogRegion(store, first, count);
}
