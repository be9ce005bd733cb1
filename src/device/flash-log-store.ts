// The logs' store on the ESP32: the `inculog` data partition (partitions.csv) through
// Moddable's `flash` module, used as raw NOR flash: 4 KB sectors erased one at a time and
// programmed once, which is exactly what the logs' slot ring does (src/logs/slot-ring.ts).
// No file system: nothing to mount or format at boot, no metadata to tear in a power cut,
// and every write and erase is one the ring asked for (the wear figures in docs/device.md).
import Flash from "flash";
import type { LogStore } from "../logs/log-store";

export const LOG_PARTITION = "inculog";

class FlashLogStore implements LogStore {
  readonly blockSize: number;
  readonly blockCount: number;

  constructor(private readonly flash: Flash) {
    this.blockSize = flash.blockSize;
    this.blockCount = Math.floor(flash.byteLength / flash.blockSize);
  }

  read(offset: number, into: Uint8Array): void {
    into.set(new Uint8Array(this.flash.read(offset, into.length) as ArrayBuffer));
  }

  write(offset: number, bytes: Uint8Array): void {
    this.flash.write(offset, bytes.length, bytes);
  }

  erase(block: number): void {
    this.flash.erase(block);
  }

  sync(): void {
    // esp_partition_write has programmed the flash when it returns.
  }
}

export function openLogStore(log: (text: string) => void): LogStore | null {
  try {
    return new FlashLogStore(new Flash(LOG_PARTITION));
  } catch (error) {
    log(`flash partition "${LOG_PARTITION}" not found (${String(error)}): the trend and event logs are not kept; flash with this project's partitions.csv`);
    return null;
  }
}
