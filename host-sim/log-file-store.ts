import * as fs from "node:fs";
import * as path from "node:path";
import { ERASED, type LogStore } from "../src/logs/log-store";
import { LOG_LAYOUT, LOG_STORE_BLOCKS } from "../src/logs/log-layout";

/** The logs' file beside the settings file: `.incunest-state.json` → `.incunest-state.logs`. */
export function logFileBeside(settingsFile: string): string {
  const dir = path.dirname(settingsFile);
  const base = path.basename(settingsFile).replace(/\.json$/i, "");
  return path.join(dir, `${base}.logs`);
}

/**
 * host-sim's LogStore: one file standing for the device's flash partition, block for
 * block (a new file is "erased": all 0xFF). Writes go straight to the file at their
 * offset, `sync` is an fsync, so a process killed mid-write leaves what a power cut
 * leaves on flash: a torn slot that the logs' checksums find.
 */
export class FileLogStore implements LogStore {
  readonly blockSize = LOG_LAYOUT.blockSize;
  private readonly fd: number;
  private readonly erasedBlock: Uint8Array;

  constructor(
    readonly file: string,
    readonly blockCount = LOG_STORE_BLOCKS,
  ) {
    this.erasedBlock = new Uint8Array(this.blockSize).fill(ERASED);
    const exists = fs.existsSync(file);
    this.fd = fs.openSync(file, exists ? "r+" : "w+");
    const size = this.blockSize * blockCount;
    const have = fs.fstatSync(this.fd).size;
    for (let offset = Math.floor(have / this.blockSize) * this.blockSize; offset < size; offset += this.blockSize) {
      // A new file, or one cut short: the missing blocks read as erased.
      const start = Math.max(offset, have);
      fs.writeSync(this.fd, this.erasedBlock, start - offset, this.blockSize - (start - offset), start);
    }
  }

  read(offset: number, into: Uint8Array): void {
    this.check(offset, into.length);
    const got = fs.readSync(this.fd, into, 0, into.length, offset);
    if (got < into.length) into.fill(ERASED, got);
  }

  write(offset: number, bytes: Uint8Array): void {
    this.check(offset, bytes.length);
    fs.writeSync(this.fd, bytes, 0, bytes.length, offset);
  }

  erase(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.blockCount) throw new RangeError(`no block ${block}`);
    fs.writeSync(this.fd, this.erasedBlock, 0, this.blockSize, block * this.blockSize);
  }

  sync(): void {
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private check(offset: number, length: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + length > this.blockSize * this.blockCount) {
      throw new RangeError(`bytes ${offset}..${offset + length} are outside the log file (${this.blockSize * this.blockCount} bytes)`);
    }
  }
}
