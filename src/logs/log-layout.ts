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

/** Splits a store into the two logs' regions; throws naming the problem when it is too small. */
export function splitLogStore(store: LogStore): LogRegions {
  if (store.blockSize !== LOG_LAYOUT.blockSize) throw new RangeError(`log store blocks are ${store.blockSize} bytes, the logs need ${LOG_LAYOUT.blockSize}`);
  const trendBlocks = store.blockCount - LOG_LAYOUT.eventBlocks;
  if (trendBlocks < MIN_TREND_BLOCKS) {
    throw new RangeError(`log store of ${store.blockCount} blocks is too small: ${LOG_LAYOUT.eventBlocks + MIN_TREND_BLOCKS} needed for 500 events and 7 days of minutes`);
  }
  return {
    events: logRegion(store, 0, LOG_LAYOUT.eventBlocks),
    trend: logRegion(store, LOG_LAYOUT.eventBlocks, trendBlocks),
  };
}
