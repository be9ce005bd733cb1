// The logs' store in Moddable's simulator: a file standing for the ESP32's `inculog`
// partition (same size, 4 KB blocks, erased = 0xFF), in the `file` module's root (/tmp/
// on Linux), so the simulator keeps its logs between runs as the device keeps its flash.
import { File } from "file";
import config from "mc/config";
import { ERASED, type LogStore } from "../logs/log-store";
import { LOG_LAYOUT, LOG_STORE_BLOCKS } from "../logs/log-layout";

const FILE_NAME = "incunest-logs.bin";
/** An erase writes the block in pieces of this many bytes: the simulator keeps no 4 KB
 *  buffer the ESP32's flash store does not have, so its heap figures stay the device's. */
const ERASE_PIECE = 256;

class FileLogStore implements LogStore {
  readonly blockSize = LOG_LAYOUT.blockSize;
  readonly blockCount = LOG_STORE_BLOCKS;
  private readonly erased: ArrayBuffer;

  constructor(private readonly file: File) {
    this.erased = new Uint8Array(ERASE_PIECE).fill(ERASED).buffer;
    for (let b = Math.floor(file.length / this.blockSize); b < this.blockCount; b++) this.erase(b);
  }

  read(offset: number, into: Uint8Array): void {
    this.file.position = offset;
    into.set(new Uint8Array(this.file.read(ArrayBuffer, into.length)));
  }

  write(offset: number, bytes: Uint8Array): void {
    this.file.position = offset;
    // The simulator's File takes whole ArrayBuffers only.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    this.file.write(copy.buffer);
  }

  erase(block: number): void {
    for (let at = 0; at < this.blockSize; at += ERASE_PIECE) {
      this.file.position = block * this.blockSize + at;
      this.file.write(this.erased);
    }
  }

  sync(): void {
    // File.write flushes.
  }
}

export function openLogStore(log: (text: string) => void): LogStore | null {
  const path = `${String(config.file?.root ?? "/tmp/")}${FILE_NAME}`;
  try {
    return new FileLogStore(new File(path, true));
  } catch (error) {
    log(`log file ${path} cannot be opened (${String(error)}): the trend and event logs are not kept`);
    return null;
  }
}
