// The host's storage for `npm start`: record slots as files beside the state file (the
// A/B logic is src/core/ab-record-store.ts, the same as on the device), and the state file
// itself, replaced atomically. Everything is written durably (fsync of the file, and of the
// directory when a file is created or renamed) and readable by its owner only (0600: the
// API key is in there).
import * as fs from "node:fs";
import * as path from "node:path";
import type { SlotMedium } from "../src/core/ab-record-store";

/** The file operations the stores use; tests replace them to cut the power mid-write. */
export interface FileOps {
  readFileSync(file: string, encoding: "utf8"): string;
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  existsSync(file: string): boolean;
  readdirSync(dir: string): string[];
}

export const NODE_FILE_OPS: FileOps = fs;

const OWNER_ONLY = 0o600;

/** `<dir>/<name>.json` → `<dir>/<name>`: the prefix of the record files beside it. */
export function recordBase(stateFile: string): string {
  return stateFile.endsWith(".json") ? stateFile.slice(0, -".json".length) : stateFile;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Writes `text` to `file` and waits until it is on the disk. */
function writeDurably(ops: FileOps, file: string, text: string): void {
  const fd = ops.openSync(file, "w", OWNER_ONLY);
  try {
    // A short write is not an error: write the rest.
    const bytes = Buffer.from(text, "utf8");
    for (let at = 0; at < bytes.length; ) at += ops.writeSync(fd, bytes, at, bytes.length - at);
    ops.fsyncSync(fd);
  } finally {
    ops.closeSync(fd);
  }
}

/** Makes a created, renamed or removed directory entry durable. */
function syncDirectory(ops: FileOps, dir: string): void {
  let fd: number | null = null;
  try {
    fd = ops.openSync(dir, "r");
    ops.fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the entry is then as durable as they make it.
  } finally {
    if (fd !== null) ops.closeSync(fd);
  }
}

/**
 * Record slots as files: slot `settings.a` of state file `.incunest-state.json` is
 * `.incunest-state.settings.a`. A slot is rewritten in place (the A/B store never writes the
 * slot holding the newest copy); an unreadable one is copied to `….corrupt-<n>` with the
 * first free n, so no corrupt copy ever replaces an earlier one.
 */
export class FileSlots implements SlotMedium {
  readonly base: string;
  private readonly dir: string;

  constructor(stateFile: string, private readonly ops: FileOps = NODE_FILE_OPS) {
    this.base = recordBase(stateFile);
    this.dir = path.dirname(path.resolve(stateFile));
  }

  file(key: string): string {
    return `${this.base}.${key}`;
  }

  read(key: string): string | null {
    const file = this.file(key);
    if (!this.ops.existsSync(file)) return null;
    return this.ops.readFileSync(file, "utf8");
  }

  write(key: string, content: string): void {
    const file = this.file(key);
    const created = !this.ops.existsSync(file);
    writeDurably(this.ops, file, content);
    if (created) syncDirectory(this.ops, this.dir);
  }

  erase(key: string): void {
    const file = this.file(key);
    if (this.ops.existsSync(file)) this.ops.unlinkSync(file);
  }

  keepCorrupt(key: string, content: string): string {
    let n = 1;
    while (this.ops.existsSync(`${this.file(key)}.corrupt-${n}`)) n++;
    const copy = `${this.file(key)}.corrupt-${n}`;
    writeDurably(this.ops, copy, content);
    syncDirectory(this.ops, this.dir);
    return path.basename(copy);
  }

  keys(): readonly string[] {
    const prefix = `${path.basename(this.base)}.`;
    if (!this.ops.existsSync(this.dir)) return [];
    return this.ops.readdirSync(this.dir).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
  }

  describe(key: string): string {
    return `file ${path.basename(this.file(key))}`;
  }
}

/**
 * A small JSON file replaced atomically: written to `<file>.tmp`, fsynced, renamed over the
 * file, the directory fsynced. A power cut leaves the old file or the new one; a leftover
 * temp file is removed at the next read. A UTF-8 byte order mark is ignored.
 */
export class AtomicJsonFile {
  constructor(readonly file: string, private readonly ops: FileOps = NODE_FILE_OPS) {}

  /** The parsed content; null when there is no file; `{ error }` when it cannot be used. */
  read(): { readonly value: unknown } | { readonly error: string } | null {
    const temp = `${this.file}.tmp`;
    try {
      if (this.ops.existsSync(temp)) this.ops.unlinkSync(temp);
    } catch {
      // left for the next write to replace
    }
    if (!this.ops.existsSync(this.file)) return null;
    let text: string;
    try {
      text = this.ops.readFileSync(this.file, "utf8");
    } catch (error) {
      return { error: `cannot read ${this.file}: ${errorText(error)}` };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (error) {
      return { error: `${this.file} is not JSON (${errorText(error)})` };
    }
  }

  /** Replaces the file; throws with why not. */
  write(value: unknown): void {
    const temp = `${this.file}.tmp`;
    writeDurably(this.ops, temp, `${JSON.stringify(value, null, 1)}\n`);
    this.ops.renameSync(temp, this.file);
    syncDirectory(this.ops, path.dirname(path.resolve(this.file)));
  }

  /** Moves the file aside as `<file>.<kind>-<n>` (first free n: nothing kept is ever
   *  replaced); says where. */
  setAside(kind = "corrupt"): string {
    let n = 1;
    while (this.ops.existsSync(`${this.file}.${kind}-${n}`)) n++;
    const copy = `${this.file}.${kind}-${n}`;
    this.ops.renameSync(this.file, copy);
    syncDirectory(this.ops, path.dirname(path.resolve(this.file)));
    return path.basename(copy);
  }
}
