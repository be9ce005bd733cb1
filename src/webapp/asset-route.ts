// The bedside app's files at "/" (public: they carry no data and no secret; the app asks
// for the API key). Stored gzip-compressed, sent as stored with Content-Encoding: gzip,
// validated by ETag (If-None-Match → 304), and streamed from the source piece by piece.
import type { HttpBodySource, HttpRequest, HttpResponse, HttpRoute } from "../net/http-types";
import type { AssetEntry, AssetReader, AssetSource } from "./asset-source";
import { codeAt } from "../net/text-scan";

/** Every answer revalidates (a 304 is a few bytes); a new firmware is seen at once. */
const CACHE_CONTROL = "no-cache";

/** The page may only talk to its own origin and may not be framed (its buttons drive a
 *  heater). uPlot sizes its canvas through element styles, which style-src allows. */
const HTML_SECURITY: Readonly<Record<string, string>> = Object.freeze({
  "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
});

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = withoutWeak(etag);
  for (const part of header.split(",")) {
    const tag = part.trim();
    if (tag === "*" || withoutWeak(tag) === bare) return true;
  }
  return false;
}

function withoutWeak(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

/** [0-9.]+ (as the weight was read before; Number() of a malformed one is NaN, not > 0). */
function isQValueChars(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = codeAt(text, i);
    if ((c < 0x30 || c > 0x39) && c !== 0x2e) return false;
  }
  return true;
}

/** Whether Accept-Encoding admits gzip. No header: any coding is acceptable (RFC 9110 12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return true;
  let star: boolean | null = null;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    let q = 1;
    for (const p of params) {
      const eq = p.indexOf("=");
      if (eq < 0 || p.slice(0, eq).trim() !== "q") continue;
      const value = p.slice(eq + 1).trim();
      if (value.length > 0 && isQValueChars(value)) q = Number(value);
    }
    const coding = name.trim();
    if (coding === "gzip" || coding === "x-gzip") return q > 0;
    if (coding === "*") star = q > 0;
  }
  return star === true;
}

class AssetBody implements HttpBodySource {
  private offset = 0;
  readonly length: number;

  constructor(private reader: AssetReader | null) {
    this.length = reader?.length ?? 0;
  }

  next(max: number): Uint8Array | null {
    const reader = this.reader;
    if (!reader || this.offset >= reader.length) {
      this.reader = null;
      return null;
    }
    const piece = reader.read(this.offset, Math.max(1, Math.min(max, reader.length - this.offset)));
    if (piece.length === 0) {
      // A short stored file: end here rather than loop (the length said more).
      this.reader = null;
      return null;
    }
    this.offset += piece.length;
    return piece;
  }

  cancel(): void {
    this.reader = null;
  }
}

export class AssetRoute implements HttpRoute {
  private readonly byPath: Readonly<Record<string, AssetEntry>>;

  constructor(private readonly source: AssetSource) {
    const byPath: Record<string, AssetEntry> = {};
    for (const entry of source.entries) byPath[entry.path] = entry;
    if (byPath["/index.html"] === undefined && byPath["/"] !== undefined) byPath["/index.html"] = byPath["/"];
    this.byPath = Object.freeze(byPath);
  }

  /** Whether the app's files are there (a firmware built without them serves none). */
  get built(): boolean {
    return this.byPath["/"] !== undefined;
  }

  handle(request: HttpRequest): HttpResponse | null {
    const entry = Object.prototype.hasOwnProperty.call(this.byPath, request.path) ? this.byPath[request.path] : undefined;
    // Not built: "/" is left to the next route (the page that says how to connect).
    if (entry === undefined) return null;
    if (request.method !== "GET") {
      return { status: 405, headers: { Allow: "GET", "Content-Type": "text/plain; charset=utf-8" }, body: `${request.path} answers GET only\n` };
    }
    const isHtml = entry.type.startsWith("text/html");
    const common: Record<string, string> = {
      ETag: entry.etag,
      "Cache-Control": CACHE_CONTROL,
      Vary: "Accept-Encoding",
      "X-Content-Type-Options": "nosniff",
      ...(isHtml ? HTML_SECURITY : {}),
    };
    if (etagMatches(request.headers["if-none-match"], entry.etag)) return { status: 304, headers: common };
    if (!acceptsGzip(request.headers["accept-encoding"])) {
      return {
        status: 406,
        headers: { "Content-Type": "text/plain; charset=utf-8", Vary: "Accept-Encoding" },
        body: `${request.path} is stored gzip-compressed only: send Accept-Encoding: gzip (curl --compressed)\n`,
      };
    }
    return {
      status: 200,
      headers: { ...common, "Content-Type": entry.type, "Content-Encoding": "gzip" },
      body: new AssetBody(this.source.open(entry.file)),
    };
  }
}
