// The built web app as the static-asset route sees it: an index written by the web build
// (web/build.ts: path, file, type, ETag, length) and a source that reads a file's bytes
// in pieces. host-sim reads build/web/ from disk; the device maps Moddable resources in
// flash, so no file is ever assembled in RAM.

/** One served file. Bodies are stored already gzip-compressed. */
export interface AssetEntry {
  /** The URL path it answers, e.g. "/" or "/app.js". */
  readonly path: string;
  /** The stored file's name in the source, e.g. "app.js.gz". */
  readonly file: string;
  /** Content-Type. */
  readonly type: string;
  /** Strong validator, quoted, e.g. "\"k3J9…\"" (a hash of the stored bytes). */
  readonly etag: string;
  /** Stored (compressed) length in bytes. */
  readonly length: number;
  /** Content-Encoding of the stored bytes. */
  readonly encoding: "gzip";
}

/** An opened stored file. */
export interface AssetReader {
  readonly length: number;
  /** Up to `max` bytes from `offset` (fewer only at the end). */
  read(offset: number, max: number): Uint8Array;
}

export interface AssetSource {
  /** The built files; empty when the app is not built. */
  readonly entries: readonly AssetEntry[];
  /** Opens a stored file named in `entries`; throws if it is missing. */
  open(file: string): AssetReader;
}

const ETAG = /^"[\x21\x23-\x7e]{1,64}"$/;
const PATH = /^\/[\x21-\x7e]*$/;

/** Checks the index JSON the web build writes (build/web/assets.json); throws naming
 *  the first thing wrong, so a broken build is refused at boot, not served. */
export function parseAssetIndex(text: string): AssetEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`asset index is not JSON: ${(error as Error).message}`);
  }
  const list = (value as { assets?: unknown } | null)?.assets;
  if (!Array.isArray(list)) throw new Error('asset index: "assets" must be an array');
  const seen: Record<string, true> = {};
  return list.map((item: Record<string, unknown>, i) => {
    const where = `asset index entry ${i}`;
    if (typeof item !== "object" || item === null) throw new Error(`${where} is not an object`);
    const { path, file, type, etag, length, encoding } = item;
    if (typeof path !== "string" || !PATH.test(path)) throw new Error(`${where}: bad path ${JSON.stringify(path)}`);
    if (seen[path]) throw new Error(`${where}: path ${path} listed twice`);
    seen[path] = true;
    if (typeof file !== "string" || file.length === 0 || file.includes("/")) throw new Error(`${where}: bad file ${JSON.stringify(file)}`);
    if (typeof type !== "string" || type.length === 0) throw new Error(`${where}: bad type`);
    if (typeof etag !== "string" || !ETAG.test(etag)) throw new Error(`${where}: bad etag ${JSON.stringify(etag)}`);
    if (typeof length !== "number" || !Number.isInteger(length) || length < 0) throw new Error(`${where}: bad length`);
    if (encoding !== "gzip") throw new Error(`${where}: encoding must be "gzip"`);
    return Object.freeze({ path, file, type, etag, length, encoding });
  });
}
