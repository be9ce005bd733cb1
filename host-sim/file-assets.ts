// host-sim's AssetSource: the web build's files in build/web/, read from disk piece by
// piece as the route streams them (the same route the device serves from flash).
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAssetIndex, type AssetEntry, type AssetReader, type AssetSource } from "../src/webapp/asset-source";

export class FileAssetSource implements AssetSource {
  readonly entries: readonly AssetEntry[];
  /** Why there are no entries (not built, or a broken build), else null. */
  readonly problem: string | null;

  constructor(private readonly dir: string) {
    let entries: AssetEntry[] = [];
    let problem: string | null = null;
    try {
      entries = parseAssetIndex(readFileSync(join(dir, "assets.json"), "utf8"));
      for (const e of entries) {
        const size = statSync(join(dir, e.file)).size;
        if (size !== e.length) throw new Error(`${e.file} is ${size} bytes, the index says ${e.length}`);
      }
    } catch (error) {
      entries = [];
      problem = (error as NodeJS.ErrnoException).code === "ENOENT" ? `the web app is not built in ${dir} (npm run build:web)` : (error as Error).message;
    }
    this.entries = entries;
    this.problem = problem;
  }

  open(file: string): AssetReader {
    const path = join(this.dir, file);
    const length = statSync(path).size;
    return {
      length,
      read(offset, max) {
        const piece = Buffer.alloc(Math.max(0, Math.min(max, length - offset)));
        const fd = openSync(path, "r");
        try {
          const n = readSync(fd, piece, 0, piece.length, offset);
          return piece.subarray(0, n);
        } finally {
          closeSync(fd);
        }
      },
    };
  }
}
