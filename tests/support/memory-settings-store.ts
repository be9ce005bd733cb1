import type { SettingsStore } from "../../src/core/types";

/** The key-value store of earlier firmware, in memory (tests of the legacy codec and of the upgrade). */
export class MemorySettingsStore implements SettingsStore {
  readonly values = new Map<string, number | string>();
  writes = 0;

  getInt(key: string): number | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : typeof v === "number" ? v : NaN;
  }

  getString(key: string): string | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : String(v);
  }

  setInt(key: string, value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`setting "${key}" must be an integer, got ${value}`);
    this.values.set(key, value);
    this.writes++;
  }

  setString(key: string, value: string): void {
    this.values.set(key, value);
    this.writes++;
  }

  delete(key: string): void {
    if (this.values.delete(key)) this.writes++;
  }
}
