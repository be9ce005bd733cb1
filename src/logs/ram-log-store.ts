import { ERASED, type LogStore } from "./log-store";

/** A LogStore in RAM: where the logs go on a device whose log partition is missing, so
 *  the firmware and its APIs run the same, keeping a few hours until the next reboot. */
export class RamLogStore implements LogStore {
  private readonly bytes: Uint8Array;

  constructor(
    readonly blockCount: number,
    readonly blockSize = 4096,
  ) {
    this.bytes = new Uint8Array(blockCount * blockSize).fill(ERASED);
  }

  read(offset: number, into: Uint8Array): void {
    into.set(this.bytes.subarray(offset, offset + into.length));
  }

  write(offset: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.bytes[offset + i] &= bytes[i];
  }

  erase(block: number): void {
    this.bytes.fill(ERASED, block * this.blockSize, (block + 1) * this.blockSize);
  }

  sync(): void {}
}
