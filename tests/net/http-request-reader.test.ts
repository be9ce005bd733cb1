// The request reader alone: what it takes, how it splits pipelined requests, and every
// refusal with its status, at the first byte past a limit.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../../src/net/http-limits";
import { HttpRequestReader } from "../../src/net/http-request-reader";
import { parseRequestTarget } from "../../src/net/request-target";

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));

function read(text: string | Uint8Array, cuts: number[] = [], limits: Partial<HttpLimits> = {}) {
  const data = typeof text === "string" ? bytes(text) : text;
  const reader = new HttpRequestReader({ ...DEFAULT_HTTP_LIMITS, ...limits });
  let used = 0;
  let from = 0;
  for (const cut of [...cuts, data.length]) {
    // Until the request is complete the reader takes every byte it is given.
    if (!reader.complete && !reader.failed) used += reader.push(data, from, cut);
    from = cut;
  }
  return { reader, used };
}

describe("HTTP request reader", () => {
  const post = "POST /api/x?a=1 HTTP/1.1\r\nHost: incunest\r\nContent-Type: text/plain\r\nX-Two: a\r\nx-two: b\r\nContent-Length: 5\r\n\r\nhello";

  it("reads request line, headers (lower-case, repeats joined) and body, however split", () => {
    const check = (r: HttpRequestReader) => {
      assert.equal(r.complete, true);
      assert.deepEqual([r.method, r.target, r.version], ["POST", "/api/x?a=1", "HTTP/1.1"]);
      assert.deepEqual(r.headers, { host: "incunest", "content-type": "text/plain", "x-two": "a, b", "content-length": "5" });
      assert.equal(Buffer.from(r.body!).toString(), "hello");
    };
    check(read(post).reader);
    check(read(post, Array.from({ length: post.length - 1 }, (_, i) => i + 1)).reader);
    fc.assert(fc.property(fc.array(fc.nat({ max: post.length }), { maxLength: 12 }), (cuts) => check(read(post, [...new Set(cuts)].sort((a, b) => a - b)).reader)));
  });

  it("stops at the end of one request: a pipelined one stays for later", () => {
    const two = `GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n`;
    const { reader, used } = read(two);
    assert.equal(reader.target, "/a");
    assert.equal(used, two.indexOf("GET /b"));
    reader.reset();
    reader.push(bytes(two), used, two.length);
    assert.equal(reader.target, "/b");
  });

  it("takes bare LF line ends and an empty line before the request", () => {
    const { reader } = read("\r\nGET / HTTP/1.0\nUser-Agent: x\n\n");
    assert.deepEqual([reader.complete, reader.version, reader.headers["user-agent"]], [true, "HTTP/1.0", "x"]);
  });

  it("refuses with the status that says what is wrong", () => {
    const cases: [string, string | Uint8Array, number, RegExp, Partial<HttpLimits>?][] = [
      ["request line too long", `GET /${"a".repeat(3000)} HTTP/1.1\r\n`, 414, /request line longer than 2048/],
      ["header line of 10 MB", bytes(`GET / HTTP/1.1\r\nX-Big: ${"b".repeat(10 * 1024 * 1024)}`), 431, /larger than 8192/],
      ["too many headers", `GET / HTTP/1.1\r\nHost: h\r\n${"A: 1\r\n".repeat(70)}\r\n`, 431, /more than 64 header fields/],
      ["no Host", "GET / HTTP/1.1\r\n\r\n", 400, /without a Host/],
      ["HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\n", 505, /HTTP\/2\.0/],
      ["garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n", 400, /control character|malformed/],
      ["folded header", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400, /folded/],
      ["space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, /malformed header/],
      ["chunked body", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501, /Content-Length/],
      ["two lengths", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, /conflicting/],
      ["bad length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, /malformed Content-Length/],
      ["body too large", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4097\r\n\r\n", 413, /4097 bytes is larger than 4096/],
      ["body over a configured limit", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", 413, /larger than 10/, { maxBodyBytes: 10 }],
      ["NUL in a header", "GET / HTTP/1.1\r\nHost: h\0x\r\n\r\n", 400, /control character/],
    ];
    for (const [what, text, status, message, limits] of cases) {
      const { reader } = read(text, [], limits);
      assert.equal(reader.failed, true, what);
      assert.equal(reader.error!.status, status, what);
      assert.match(reader.error!.message, message, what);
    }
  });

  it("refuses an endless header line at the limit, having kept no more than the limit", () => {
    const reader = new HttpRequestReader(DEFAULT_HTTP_LIMITS);
    const chunk = bytes("x".repeat(1000));
    reader.push(bytes("GET / HTTP/1.1\r\nX-Big: "), 0, 24);
    let reads = 0;
    while (!reader.failed && reads < 20) {
      reader.push(chunk, 0, chunk.length);
      reads++;
    }
    assert.equal(reader.error?.status, 431);
    assert.ok(reads <= 9, `refused after ${reads} reads of 1000 bytes`);
  });

  it("splits request targets into a decoded path and query", () => {
    assert.deepEqual(parseRequestTarget("/ws?api-key=a%2Bb&x=1+2&x=3&bad=%zz"), { path: "/ws", query: { "api-key": "a+b", x: "3" } });
    assert.deepEqual(parseRequestTarget("http://192.168.1.100/v2/api/ws/device-feed?api-key=k"), { path: "/v2/api/ws/device-feed", query: { "api-key": "k" } });
    assert.deepEqual(parseRequestTarget("/a%20b#frag"), { path: "/a b", query: {} });
    assert.match(parseRequestTarget("/%e9") as string, /malformed %-escape/);
    assert.match(parseRequestTarget("ws") as string, /neither a path nor an http URL/);
  });
});
