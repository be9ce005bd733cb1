// Power cuts for the host store's tests: real file operations until the power fails at
// operation number `cutAt`; a write at that moment lands only half its bytes, and every
// later operation fails.
import * as fs from "node:fs";
import type { FileOps } from "../../host-sim/file-store";

import { PowerCutError, PowerCutSteps } from "./sim-esp32-preference";

export { PowerCutError };

/** Counts the steps that change the disk; `cutAt` null never cuts. */
export class PowerCutFiles extends PowerCutSteps implements FileOps {
  constructor(cutAt: number | null = null, private readonly inner: FileOps = fs) {
    super(cutAt);
  }

  readFileSync(file: string, encoding: "utf8"): string { if (this.dead) throw new PowerCutError("no power"); return this.inner.readFileSync(file, encoding); }
  existsSync(file: string): boolean { return this.inner.existsSync(file); }
  readdirSync(dir: string): string[] { return this.inner.readdirSync(dir); }
  openSync(file: string, flags: string, mode?: number): number {
    // Opening for writing truncates: that is a change on the disk of its own.
    if (flags !== "r") this.step();
    return this.inner.openSync(file, flags, mode);
  }
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number {
    this.step(() => this.inner.writeSync(fd, data, offset, length >> 1));
    return this.inner.writeSync(fd, data, offset, length);
  }
  fsyncSync(fd: number): void { this.step(); this.inner.fsyncSync(fd); }
  closeSync(fd: number): void { this.inner.closeSync(fd); }
  renameSync(from: string, to: string): void { this.step(); this.inner.renameSync(from, to); }
  unlinkSync(file: string): void { this.step(); this.inner.unlinkSync(file); }
}

