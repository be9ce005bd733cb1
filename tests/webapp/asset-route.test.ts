// The static-asset route, platform-free: what the device serves from flash and host-sim
// from disk.
import { strict as assert } from "node:assert";
import { gunzipSync, gzipSync } from "node:zlib";
import type { HttpBodySource, HttpRequest, HttpResponse } from "../../src/net/http-types";
import { acceptsGzip, AssetRoute, etagMatches } from "../../src/webapp/asset-route";
import { parseAssetIndex, type AssetEntry, type AssetSource } from "../../src/webapp/asset-source";

// Text that does not compress to nothing (a fixed pseudo-random sequence).
let seed = 7;
const page = "<!doctype html><title>IncuNest</title>" + Array.from({ length: 4000 }, () => String.fromCharCode(97 + ((seed = (seed * 1103515245 + 12345) % 2147483648) % 26))).join("");
const stored = gzipSync(Buffer.from(page));

/** A source that counts how much it was asked to read at a time. */
function memorySource(files: Record<string, Uint8Array>, entries: AssetEntry[]): AssetSource & { reads: number[] } {
  const reads: number[] = [];
  return {
    entries,
    reads,
    open(file) {
      const bytes = files[file];
      if (!bytes) throw new Error(`no ${file}`);
      return {
        length: bytes.length,
        read(offset, max) {
          reads.push(max);
          return bytes.subarray(offset, offset + max);
        },
      };
    },
  };
}

const ENTRY: AssetEntry = { path: "/", file: "index.html.gz", type: "text/html; charset=utf-8", etag: '"abc123"', length: stored.length, encoding: "gzip" };

function request(path: string, headers: Record<string, string> = {}, method = "GET", authorized = false): HttpRequest {
  return { method, path, query: {}, headers, body: "", remote: "127.0.0.1:1", authorized };
}

function drain(body: HttpBodySource, piece: number): Buffer {
  const parts: Buffer[] = [];
  for (let p = body.next(piece); p !== null; p = body.next(piece)) parts.push(Buffer.from(typeof p === "string" ? Buffer.from(p) : p));
  return Buffer.concat(parts);
}

describe("static-asset route (the bedside app's files)", () => {
  it("serves the stored gzip bytes streamed in pieces no larger than asked, with type, encoding and ETag", () => {
    const source = memorySource({ "index.html.gz": stored }, [ENTRY]);
    const r = new AssetRoute(source).handle(request("/", { "accept-encoding": "gzip, deflate, br" })) as HttpResponse;
    assert.equal(r.status, 200);
    assert.equal(r.headers!["Content-Encoding"], "gzip");
    assert.equal(r.headers!["Content-Type"], "text/html; charset=utf-8");
    assert.equal(r.headers!.ETag, '"abc123"');
    assert.equal(r.headers!["Cache-Control"], "no-cache");
    assert.match(r.headers!["Content-Security-Policy"], /frame-ancestors 'none'/);
    const body = r.body as HttpBodySource;
    assert.equal(body.length, stored.length);
    const bytes = drain(body, 512);
    assert.equal(gunzipSync(bytes).toString(), page);
    assert.ok(source.reads.length > 1 && source.reads.every((n) => n <= 512), `read in pieces: ${source.reads}`);
    assert.equal(body.next(512), null, "stays ended");
  });

  it("answers 304 to a matching If-None-Match (also weak, in a list, or *), without a body", () => {
    const route = new AssetRoute(memorySource({ "index.html.gz": stored }, [ENTRY]));
    for (const tag of ['"abc123"', 'W/"abc123"', '"zzz", "abc123"', "*"]) {
      const r = route.handle(request("/", { "if-none-match": tag })) as HttpResponse;
      assert.equal(r.status, 304, tag);
      assert.equal(r.body, undefined);
      assert.equal(r.headers!.ETag, '"abc123"');
    }
    assert.equal((route.handle(request("/", { "if-none-match": '"other"' })) as HttpResponse).status, 200);
    assert.equal((route.handle(request("/index.html")) as HttpResponse).status, 200, "/index.html is the same page");
  });

  it("refuses a client that excludes gzip (406, saying how), a method other than GET (405), and leaves other paths to other routes", () => {
    const route = new AssetRoute(memorySource({ "index.html.gz": stored }, [ENTRY]));
    const refused = route.handle(request("/", { "accept-encoding": "identity" })) as HttpResponse;
    assert.equal(refused.status, 406);
    assert.match(String(refused.body), /Accept-Encoding: gzip/);
    const post = route.handle(request("/", {}, "POST")) as HttpResponse;
    assert.equal(post.status, 405);
    assert.equal(post.headers!.Allow, "GET");
    assert.equal(route.handle(request("/api/status")), null);
    assert.equal(route.handle(request("/constructor")), null, "no prototype lookups");
  });

  it("reads Accept-Encoding and If-None-Match as RFC 9110 says", () => {
    assert.equal(acceptsGzip(undefined), true);
    assert.equal(acceptsGzip("gzip;q=0.5"), true);
    assert.equal(acceptsGzip("gzip;q=0"), false);
    assert.equal(acceptsGzip("br, *;q=0.1"), true);
    assert.equal(acceptsGzip("br, *;q=0"), false);
    assert.equal(acceptsGzip("deflate"), false);
    assert.equal(etagMatches(undefined, '"a"'), false);
    assert.equal(etagMatches('"b" , W/"a"', '"a"'), true);
  });

  it("without a built app leaves / to the next route (the page saying how to connect)", () => {
    const route = new AssetRoute(memorySource({}, []));
    assert.equal(route.built, false);
    assert.equal(route.handle(request("/")), null);
  });

  it("refuses a broken asset index at boot, naming what is wrong", () => {
    assert.throws(() => parseAssetIndex("{"), /not JSON/);
    assert.throws(() => parseAssetIndex('{"assets":{}}'), /must be an array/);
    const good = { path: "/", file: "index.html.gz", type: "text/html", etag: '"x"', length: 3, encoding: "gzip" };
    assert.equal(parseAssetIndex(JSON.stringify({ assets: [good] })).length, 1);
    assert.throws(() => parseAssetIndex(JSON.stringify({ assets: [good, good] })), /listed twice/);
    assert.throws(() => parseAssetIndex(JSON.stringify({ assets: [{ ...good, etag: "x" }] })), /bad etag/);
    assert.throws(() => parseAssetIndex(JSON.stringify({ assets: [{ ...good, file: "../x" }] })), /bad file/);
    assert.throws(() => parseAssetIndex(JSON.stringify({ assets: [{ ...good, encoding: "br" }] })), /encoding/);
  });
});
