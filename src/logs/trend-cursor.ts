// Walks the trend log oldest to newest, a few records per store read, one reused view:
// what history queries and the CSV export read through, on the device as on the host.
import { TREND_RECORD_BYTES, TrendRecordView } from "./trend-record";
import type { TrendLog } from "./trend-log";

/** Records read from the store at a time (512 bytes). */
const RUN = 16;

export class TrendCursor {
  private readonly chunk = new Uint8Array(RUN * TREND_RECORD_BYTES);
  private readonly view = new TrendRecordView(this.chunk);
  private inChunk = 0;
  private index = 0;
  private chunkId = 0;
  private nextId: number;
  /** Records skipped because their checksum failed (a torn or corrupt slot). */
  skipped = 0;

  /** From record `fromId` (default: the oldest held) to the newest at the time of the
   *  call (`endId`): records added later are not visited. */
  constructor(
    private readonly log: TrendLog,
    fromId = 0,
    private readonly endId = log.endId,
  ) {
    this.nextId = fromId;
  }

  /** The next valid record, or null at the end. The view is reused: read it before the
   *  next call. */
  next(): TrendRecordView | null {
    for (;;) {
      while (this.index < this.inChunk) {
        const i = this.index++;
        if (this.log.isValid(this.chunkId + i, this.chunk, i * TREND_RECORD_BYTES)) return this.view.at(this.chunk, i * TREND_RECORD_BYTES, this.chunkId + i);
        this.skipped++;
      }
      if (!this.fill()) return null;
    }
  }

  private fill(): boolean {
    let id = Math.max(this.nextId, this.log.oldestId);
    while (id < this.endId) {
      const n = this.log.readRun(id, this.chunk, Math.min(RUN, this.endId - id));
      if (n > 0) {
        this.chunkId = id;
        this.inChunk = n;
        this.index = 0;
        this.nextId = id + n;
        return true;
      }
      const next = this.log.skipLost(id);
      if (next <= id) break;
      id = next;
    }
    this.inChunk = 0;
    this.index = 0;
    this.nextId = this.endId;
    return false;
  }
}

/** The id to start from to visit (about) the last `count` valid records: walks back one
 *  record at a time, so torn slots do not make the answer short. */
export function startOfLast(log: TrendLog, count: number): number {
  const probe = new Uint8Array(TREND_RECORD_BYTES);
  let id = log.endId;
  let found = 0;
  const oldest = log.oldestId;
  while (found < count && id > oldest) {
    id--;
    if (log.readRun(id, probe, 1) === 1 && log.isValid(id, probe, 0)) found++;
  }
  return id;
}
