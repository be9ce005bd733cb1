import * as fs from "node:fs";
import * as path from "node:path";
import type { SettingsStore } from "../src/core/types";

/** The file operations the store uses; tests replace them to cut the power mid-write. */
export interface FileOps {
  readFileSync(file: string, encoding: "utf8"): string;
  openSync(file: string, flags: string): number;
  writeSync(fd: number, text: string): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  existsSync(file: string): boolean;
}

const NODE_FILE_OPS: FileOps = fs;

type Stored = Record<string, number | string>;

/**
 * A SettingsStore in one JSON file on the host, replaced atomically on every change:
 * the new content goes to `<file>.tmp`, is fsynced, renamed over the file, and the
 * directory is fsynced. A power cut at any point leaves either the old or the new file,
 * never a mixture; a leftover temp file is ignored and removed at the next start.
 * A file that does not parse is set aside as `<file>.corrupt` (never silently lost)
 * and the store starts empty; `problems` says what happened.
 */
export class FileSettingsStore implements SettingsStore {
  private values: Stored = {};
  private readonly loadProblems: string[] = [];

  /** `onError` hears of a write that failed (disk full, read-only): the value is kept in
   *  memory for this run, and the error never reaches the caller (the control tick). */
  constructor(
    readonly file: string,
    private readonly onError: (message: string) => void = () => {},
    private readonly ops: FileOps = NODE_FILE_OPS,
  ) {
    this.load();
  }

  /** What was wrong with the file at start (empty when it was fine or absent). */
  get problems(): readonly string[] {
    return this.loadProblems;
  }

  getInt(key: string): number | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    // A non-number where an integer belongs is returned as NaN so the reader can call it corrupt.
    return typeof v === "number" ? v : NaN;
  }

  getString(key: string): string | undefined {
    const v = this.values[key];
    if (v === undefined) return undefined;
    return typeof v === "string" ? v : String(v);
  }

  setInt(key: string, value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`setting "${key}" must be an integer, got ${value}`);
    this.write({ ...this.values, [key]: value });
  }

  setString(key: string, value: string): void {
    this.write({ ...this.values, [key]: value });
  }

  delete(key: string): void {
    if (!(key in this.values)) return;
    const next = { ...this.values };
    delete next[key];
    this.write(next);
  }

  private load(): void {
    const temp = `${this.file}.tmp`;
    if (this.ops.existsSync(temp)) {
      this.loadProblems.push(`removed ${path.basename(temp)} left by an interrupted write`);
      this.ops.unlinkSync(temp);
    }
    if (!this.ops.existsSync(this.file)) return;
    let text: string;
    try {
      text = this.ops.readFileSync(this.file, "utf8");
    } catch (e) {
      this.loadProblems.push(`cannot read ${this.file}: ${(e as Error).message}; starting empty`);
      return;
    }
    const parsed = parseStored(text);
    if (typeof parsed === "string") {
      this.loadProblems.push(`${this.file} is corrupt (${parsed}); set aside as ${path.basename(this.file)}.corrupt, starting empty`);
      this.ops.renameSync(this.file, `${this.file}.corrupt`);
      return;
    }
    this.values = parsed;
  }

  private write(next: Stored): void {
    this.values = next;
    const temp = `${this.file}.tmp`;
    try {
      const fd = this.ops.openSync(temp, "w");
      try {
        this.ops.writeSync(fd, `${JSON.stringify(next, null, 1)}\n`);
        this.ops.fsyncSync(fd);
      } finally {
        this.ops.closeSync(fd);
      }
      this.ops.renameSync(temp, this.file);
    } catch (e) {
      this.onError(`could not save settings to ${this.file}: ${(e as Error).message}`);
      return;
    }
    this.syncDirectory();
  }

  private syncDirectory(): void {
    let fd: number | null = null;
    try {
      fd = this.ops.openSync(path.dirname(path.resolve(this.file)), "r");
      this.ops.fsyncSync(fd);
    } catch {
      // Some file systems cannot fsync a directory; the rename is still atomic there.
    } finally {
      if (fd !== null) this.ops.closeSync(fd);
    }
  }
}

function parseStored(text: string): Stored | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "not a JSON object";
  const out: Stored = {};
  for (const [key, value] of Object.entries(data)) {
    // Wrong-typed values are kept as they are: the settings codec names and replaces them.
    if (typeof value === "number" || typeof value === "string") out[key] = value;
    else out[key] = JSON.stringify(value);
  }
  return out;
}

/** A SettingsStore in memory, for tests and for a simulator run that should forget. */
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
