// host-sim's AssetSource: the web build's files in build/web/, checked against their
// index at start and held in memory (about 40 kB); the route streams them piece by piece
// exactly as the device streams them from flash.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAssetIndex, type AssetEntry, type AssetReader, type AssetSource } from "../src/webapp/asset-source";

export class FileAssetSource implements AssetSource {
  readonly entries: readonly AssetEntry[];
  /** Why there are no entries (not built, or a broken build), else null. */
  readonly problem: string | null;
  private readonly files = new Map<string, Uint8Array>();

  constructor(dir: string) {
    let entries: AssetEntry[] = [];
    let problem: string | null = null;
    try {
      entries = parseAssetIndex(readFileSync(join(dir, "assets.json"), "utf8"));
      for (const e of entries) {
        const bytes = readFileSync(join(dir, e.file));
        if (bytes.length !== e.length) throw new Error(`${e.file} is ${bytes.length} bytes, the index says ${e.length}`);
        this.files.set(e.file, bytes);
      }
    } catch (error) {
      entries = [];
      this.files.clear();
      problem = (error as NodeJS.ErrnoException).code === "ENOENT" ? `the web app is not built in ${dir} (npm run build:web)` : (error as Error).message;
    }
    this.entries = entries;
    this.problem = problem;
  }

  open(file: string): AssetReader {
    const bytes = this.files.get(file);
    if (!bytes) throw new Error(`${file} is not in the web build`);
    return { length: bytes.length, read: (offset, max) => bytes.subarray(offset, offset + max) };
  }
}
