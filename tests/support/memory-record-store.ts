import type { RecordStore } from "../../src/core/record-store";

/** A RecordStore in memory, for tests of the code that uses records; `failWith` makes the
 *  next saves fail with that reason (the stored copy stays as it was). */
export class MemoryRecordStore implements RecordStore {
  readonly records = new Map<string, string>();
  failWith: string | null = null;
  saves = 0;

  load(name: string): string | null {
    return this.records.get(name) ?? null;
  }

  save(name: string, text: string): Promise<void> {
    this.saves++;
    if (this.failWith !== null) return Promise.reject(new Error(this.failWith));
    this.records.set(name, text);
    return Promise.resolve();
  }
}
