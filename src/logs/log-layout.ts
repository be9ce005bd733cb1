// How the trend and event logs share one store (the ESP32's `inculog` flash partition,
// host-sim's file beside the settings file): the event log's blocks first, the trend log
// gets the rest. 4 KB blocks: the ESP32's flash sector.
import { logRegion, type LogStore } from "./log-store";

export const LOG_LAYOUT = Object.freeze({
  blockSize: 4096,
  /** 20 blocks of 31 entries: at least 589 entries kept (issue 12 asks for 500). */
  eventBlocks: 20,
  /** 92 blocks of 127 minutes: at least 11 557 minutes (8.0 days) kept, 7 days asked. */
  trendBlocks: 92,
});

/** 112 blocks: 448 KB (0x70000), the partition size in src/device/partitions.csv. */
export const LOG_STORE_BLOCKS = LOG_LAYOUT.eventBlocks + LOG_LAYOUT.trendBlocks;

/** The smallest trend region that still keeps 7 days once its oldest block is reused. */
const MIN_TREND_BLOCKS = 81;

export interface LogRegions {
  readonly trend: LogStore;
  readonly events: LogStore;
}

/** Blocks of the RAM store a device without its log partition falls back on (16 KB:
 *  two hours of minutes and 31 events, lost at a reboot). */
export const FALLBACK_LOG_BLOCKS = 4;

/**
 * Splits a store into the two logs' regions. A store too small for 7 days and 500 events
 * (the RAM fallback) is split in half and `reduced` says so; below 4 blocks it throws.
 */
export function splitLogStore(store: LogStore): LogRegions & { readonly reduced: boolean } {
  if (store.blockSize !== LOG_LAYOUT.blockSize) throw new RangeError(`log store blocks are ${store.blockSize} bytes, the logs need ${LOG_LAYOUT.blockSize}`);
  const trendBlocks = store.blockCount - LOG_LAYOUT.eventBlocks;
  if (trendBlocks >= MIN_TREND_BLOCKS) {
    return { events: logRegion(store, 0, LOG_LAYOUT.eventBlocks), trend: logRegion(store, LOG_LAYOUT.eventBlocks, trendBlocks), reduced: false };
  }
  if (store.blockCount < FALLBACK_LOG_BLOCKS) throw new RangeError(`log store of ${store.blockCount} blocks is too small: at least ${FALLBACK_LOG_BLOCKS} needed`);
  const events = Math.floor(store.blockCount / 2);
  return { events: logRegion(store, 0, events), trend: logRegion(store, events, store.blockCount - events), reduced: true };
}
