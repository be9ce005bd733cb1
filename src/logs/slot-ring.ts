// A ring of fixed-size, checksummed record slots over a LogStore's erase blocks: the
// shape of both the trend log and the event log. Slot 0 of every block holds the block's
// header (magic, ring tag, slot size, block sequence number); the other slots hold records
// whose first byte is the ring's tag and whose last two bytes are the CRC of the rest.
// Blocks are used in order; the next block is erased (losing the oldest records) when the
// current one is full. Every record has an id, `blockSeq * recordsPerBlock + slot - 1`,
// that only grows, across reboots too.
import { crc16 } from "./crc16";
import { ERASED, type LogStore } from "./log-store";

const MAGIC = Object.freeze([0x49, 0x4e, 0x43, 0x4c]); // "INCL"
const FORMAT = 1;
const HEADER_BYTES = 16;

/** What the boot scan found. */
export interface RingReport {
  readonly blocksInUse: number;
  /** Slots of the newest block that were written but fail their checksum (a write cut short). */
  readonly tornSlots: number;
  /** Blocks with a header that is not this ring's (never used, erased, corrupt, cut short). */
  readonly blocksWithoutHeader: number;
  /** Set when the store could not be read at all (the ring then starts empty in place). */
  readonly readError: string | null;
}

export class SlotRing {
  readonly recordsPerBlock: number;
  readonly blockCount: number;
  /** Sequence number of each block's header, -1 where the block holds none of ours. */
  private readonly blockSeq: Float64Array;
  /** Valid records per block, -1 while not counted yet. */
  private readonly blockRecords: Int32Array;
  private readonly header = new Uint8Array(HEADER_BYTES);
  private readonly headerView = new DataView(this.header.buffer);
  private readonly probe: Uint8Array;
  /** One bit per record slot whose checksum was found good since its sector was last
   *  erased: a record is checked once, not at every query or export. */
  private readonly checked: Uint32Array;
  private readonly wordsPerBlock: number;
  private headBlock = -1;
  private headSeq = -1;
  /** The next slot to write in the head block (1..recordsPerBlock; past it: full). */
  private headSlot = 1;
  private oldestBlock = -1;

  constructor(
    private readonly store: LogStore,
    readonly tag: number,
    readonly slotSize: number,
  ) {
    if (slotSize < HEADER_BYTES || store.blockSize % slotSize !== 0 || store.blockSize / slotSize < 2) {
      throw new RangeError(`slot size ${slotSize} does not divide the block size ${store.blockSize} into a header and records`);
    }
    this.recordsPerBlock = store.blockSize / slotSize - 1;
    this.blockCount = store.blockCount;
    this.blockSeq = new Float64Array(this.blockCount).fill(-1);
    this.blockRecords = new Int32Array(this.blockCount).fill(-1);
    this.probe = new Uint8Array(slotSize);
    this.wordsPerBlock = Math.ceil(this.recordsPerBlock / 32);
    this.checked = new Uint32Array(this.blockCount * this.wordsPerBlock);
  }

  /** Finds the blocks in use and the write position. Never throws: an unreadable store
   *  leaves the ring empty (the first append then erases and rewrites). */
  open(): RingReport {
    let blocksWithoutHeader = 0;
    let tornSlots = 0;
    try {
      for (let b = 0; b < this.blockCount; b++) {
        const seq = this.readHeader(b);
        this.blockSeq[b] = seq;
        if (seq < 0) blocksWithoutHeader++;
        else if (seq > this.headSeq) {
          this.headSeq = seq;
          this.headBlock = b;
        }
      }
      // Headers of an older pass must be exactly the sequence numbers that pass gave them.
      if (this.headBlock >= 0) {
        for (let back = 1; back < this.blockCount; back++) {
          const b = (this.headBlock - back + this.blockCount) % this.blockCount;
          if (this.blockSeq[b] >= 0 && this.blockSeq[b] !== this.headSeq - back) {
            this.blockSeq[b] = -1;
            blocksWithoutHeader++;
          }
        }
        tornSlots = this.findHeadSlot();
      }
    } catch (error) {
      this.blockSeq.fill(-1);
      this.headBlock = -1;
      this.headSeq = -1;
      return { blocksInUse: 0, tornSlots: 0, blocksWithoutHeader: this.blockCount, readError: String(error instanceof Error ? error.message : error) };
    }
    this.findOldest();
    return { blocksInUse: this.blockCount - blocksWithoutHeader, tornSlots, blocksWithoutHeader, readError: null };
  }

  /** The id the next appended record gets. */
  get nextId(): number {
    if (this.headBlock < 0) return 0;
    return this.headSeq * this.recordsPerBlock + this.headSlot - 1;
  }

  /** The id of the oldest record still held (equal to nextId when empty). */
  get oldestId(): number {
    if (this.oldestBlock < 0) return this.nextId;
    return this.blockSeq[this.oldestBlock] * this.recordsPerBlock;
  }

  /** Bytes the ring can hold records in. */
  get capacityBytes(): number {
    return this.blockCount * this.recordsPerBlock * this.slotSize;
  }

  /** Writes one record slot (tag and checksum already in place, see `seal`); returns its id.
   *  Throws when the store fails: the slot is then given up (it may be half written). */
  append(slot: Uint8Array): number {
    if (this.headBlock < 0 || this.headSlot > this.recordsPerBlock) this.startBlock();
    const id = this.nextId;
    const slotIndex = this.headSlot;
    this.headSlot++;
    this.store.write(this.headBlock * this.store.blockSize + slotIndex * this.slotSize, slot);
    if (this.blockRecords[this.headBlock] >= 0) this.blockRecords[this.headBlock]++;
    return id;
  }

  sync(): void {
    this.store.sync();
  }

  /**
   * Reads up to `max` consecutive records from `id` on (within one block) into `into`;
   * returns how many were read: 0 when `id` is no longer held or not yet written. The
   * slots are as stored: check each with `isValid`.
   */
  readRun(id: number, into: Uint8Array, max: number): number {
    if (id < this.oldestId || id >= this.nextId) return 0;
    const seq = Math.floor(id / this.recordsPerBlock);
    const block = seq % this.blockCount;
    if (this.blockSeq[block] !== seq) return 0;
    const slot = (id % this.recordsPerBlock) + 1;
    const n = Math.min(max, this.recordsPerBlock - slot + 1, this.nextId - id, Math.floor(into.length / this.slotSize));
    if (n <= 0) return 0;
    const bytes = n * this.slotSize;
    this.store.read(block * this.store.blockSize + slot * this.slotSize, bytes === into.length ? into : into.subarray(0, bytes));
    return n;
  }

  /** The first id at or after `id` that is still held (records are lost as blocks are reused). */
  clampId(id: number): number {
    return Math.max(id, this.oldestId);
  }

  /** Ids from the oldest record held to the newest: the records held, counting any slot
   *  that a later read finds torn or corrupt (known without reading the store). */
  get heldIds(): number {
    return this.nextId - this.oldestId;
  }

  /** Counts the valid records held: reads each sector once (checking each record's
   *  checksum, which later reads then skip), then keeps count. */
  countRecords(): number {
    let total = 0;
    for (let b = 0; b < this.blockCount; b++) {
      if (this.blockSeq[b] < 0) continue;
      if (this.blockRecords[b] < 0) this.blockRecords[b] = this.countBlock(b);
      total += this.blockRecords[b];
    }
    return total;
  }

  /** Stamps `slot` with this ring's tag and the checksum. */
  seal(slot: Uint8Array, offset = 0): void {
    slot[offset] = this.tag;
    const crc = crc16(slot, offset, offset + this.slotSize - 2);
    slot[offset + this.slotSize - 2] = crc & 0xff;
    slot[offset + this.slotSize - 1] = crc >> 8;
  }

  /** As `isValid`, for the record `id` just read into `bytes`: its checksum is computed the
   *  first time only (the ring was the only writer of the slot since). */
  isValidRecord(id: number, bytes: Uint8Array, offset = 0): boolean {
    if (bytes[offset] !== this.tag) return false;
    const block = Math.floor(id / this.recordsPerBlock) % this.blockCount;
    const slot = id % this.recordsPerBlock;
    const word = block * this.wordsPerBlock + (slot >>> 5);
    const bit = 1 << (slot & 31);
    if (this.checked[word] & bit) return true;
    if (!this.isValid(bytes, offset)) return false;
    this.checked[word] |= bit;
    return true;
  }

  /** The slot at `offset` of `bytes` is a whole record of this ring. */
  isValid(bytes: Uint8Array, offset = 0): boolean {
    if (bytes[offset] !== this.tag) return false;
    const crc = crc16(bytes, offset, offset + this.slotSize - 2);
    return bytes[offset + this.slotSize - 2] === (crc & 0xff) && bytes[offset + this.slotSize - 1] === crc >> 8;
  }

  /** Erases the whole ring (factory reset of the logs). */
  clear(): void {
    this.checked.fill(0);
    for (let b = 0; b < this.blockCount; b++) {
      this.store.erase(b);
      this.blockSeq[b] = -1;
      this.blockRecords[b] = -1;
    }
    this.headBlock = -1;
    this.headSeq = -1;
    this.headSlot = 1;
    this.oldestBlock = -1;
  }

  private startBlock(): void {
    const seq = this.headSeq + 1;
    const block = seq % this.blockCount;
    // From here on the block's old records are gone, whatever happens next.
    this.blockSeq[block] = -1;
    this.blockRecords[block] = 0;
    this.checked.fill(0, block * this.wordsPerBlock, (block + 1) * this.wordsPerBlock);
    if (this.oldestBlock === block) this.findOldest();
    this.store.erase(block);
    const h = this.header;
    for (let i = 0; i < 4; i++) h[i] = MAGIC[i];
    h[4] = this.tag;
    h[5] = FORMAT;
    this.headerView.setUint16(6, this.slotSize, true);
    this.headerView.setUint32(8, seq, true);
    h[12] = 0;
    h[13] = 0;
    const crc = crc16(h, 0, 14);
    this.headerView.setUint16(14, crc, true);
    this.store.write(block * this.store.blockSize, h);
    this.blockSeq[block] = seq;
    this.headBlock = block;
    this.headSeq = seq;
    this.headSlot = 1;
    if (this.oldestBlock < 0) this.findOldest();
  }

  private readHeader(block: number): number {
    const h = this.header;
    this.store.read(block * this.store.blockSize, h);
    for (let i = 0; i < 4; i++) if (h[i] !== MAGIC[i]) return -1;
    if (h[4] !== this.tag || h[5] !== FORMAT || this.headerView.getUint16(6, true) !== this.slotSize) return -1;
    if (this.headerView.getUint16(14, true) !== crc16(h, 0, 14)) return -1;
    const seq = this.headerView.getUint32(8, true);
    return seq % this.blockCount === block ? seq : -1;
  }

  /** Puts the head after the last written slot of the newest block; returns how many of
   *  its written slots fail their checksum (a torn tail). */
  private findHeadSlot(): number {
    let last = 0;
    let torn = 0;
    let valid = 0;
    for (let slot = 1; slot <= this.recordsPerBlock; slot++) {
      this.store.read(this.headBlock * this.store.blockSize + slot * this.slotSize, this.probe);
      if (isErased(this.probe)) continue;
      last = slot;
      if (this.isValid(this.probe)) valid++;
      else torn++;
    }
    this.headSlot = last + 1;
    this.blockRecords[this.headBlock] = valid;
    return torn;
  }

  private findOldest(): void {
    this.oldestBlock = -1;
    if (this.headBlock < 0) return;
    for (let step = 1; step <= this.blockCount; step++) {
      const b = (this.headBlock + step) % this.blockCount;
      if (this.blockSeq[b] >= 0) {
        this.oldestBlock = b;
        return;
      }
    }
  }

  private countBlock(block: number): number {
    const first = this.blockSeq[block] * this.recordsPerBlock;
    const end = Math.min(first + this.recordsPerBlock, this.nextId);
    const run = Math.max(1, Math.floor(512 / this.slotSize));
    const chunk = new Uint8Array(run * this.slotSize);
    let valid = 0;
    for (let id = first; id < end; ) {
      const n = this.readRun(id, chunk, run);
      if (n === 0) break;
      for (let i = 0; i < n; i++) if (this.isValidRecord(id + i, chunk, i * this.slotSize)) valid++;
      id += n;
    }
    return valid;
  }
}

function isErased(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== ERASED) return false;
  return true;
}
