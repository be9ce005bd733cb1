import { ERASED, type LogStore } from "../src/logs/log-store";

/**
 * A LogStore in RAM that behaves like NOR flash: programming only clears bits (a byte
 * written twice without an erase holds the AND of both, and `strict` makes that an
 * error), an erase sets a block to 0xFF. For tests, benches and XS runs; `cutPowerAfter`
 * stops every write after that many more bytes (a power cut in the middle of a write).
 */
export class MemoryLogStore implements LogStore {
  readonly bytes: Uint8Array;
  writes = 0;
  erases = 0;
  syncs = 0;
  bytesWritten = 0;
  /** Make the next operations throw this (a failing flash). */
  failWith: string | null = null;
  /** Bytes still programmed before the "power" goes; null: no cut. */
  cutPowerAfter: number | null = null;

  constructor(
    readonly blockSize = 4096,
    readonly blockCount = 16,
    private readonly strict = true,
    bytes?: Uint8Array,
  ) {
    this.bytes = bytes ?? new Uint8Array(blockSize * blockCount).fill(ERASED);
  }

  read(offset: number, into: Uint8Array): void {
    this.check(offset, into.length);
    into.set(this.bytes.subarray(offset, offset + into.length));
  }

  write(offset: number, bytes: Uint8Array): void {
    this.check(offset, bytes.length);
    if (this.failWith !== null) throw new Error(this.failWith);
    this.writes++;
    for (let i = 0; i < bytes.length; i++) {
      if (this.cutPowerAfter !== null) {
        if (this.cutPowerAfter <= 0) throw new Error("power cut");
        this.cutPowerAfter--;
      }
      const old = this.bytes[offset + i];
      if (this.strict && (old & bytes[i]) !== bytes[i]) {
        throw new Error(`flash byte ${offset + i} written twice without an erase (0x${old.toString(16)} then 0x${bytes[i].toString(16)})`);
      }
      this.bytes[offset + i] = old & bytes[i];
      this.bytesWritten++;
    }
  }

  erase(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.blockCount) throw new RangeError(`no block ${block}`);
    if (this.failWith !== null) throw new Error(this.failWith);
    if (this.cutPowerAfter !== null && this.cutPowerAfter <= 0) throw new Error("power cut");
    this.erases++;
    this.bytes.fill(ERASED, block * this.blockSize, (block + 1) * this.blockSize);
  }

  sync(): void {
    this.syncs++;
  }

  /** A copy of what is stored now: the flash as a reboot finds it. */
  snapshot(): MemoryLogStore {
    return new MemoryLogStore(this.blockSize, this.blockCount, this.strict, this.bytes.slice());
  }

  private check(offset: number, length: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + length > this.bytes.length) {
      throw new RangeError(`bytes ${offset}..${offset + length} are outside the store (${this.bytes.length} bytes)`);
    }
  }
}
