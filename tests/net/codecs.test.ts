// The server's byte codecs against Node's own: SHA-1 (node:crypto), base64 (Buffer),
// UTF-8 validation and decoding (TextDecoder), piecewise UTF-8 encoding (Buffer).
// Random cases are fast-check properties; a failure prints its seed.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { base64Decode, base64Encode } from "../../src/net/base64";
import { sha1 } from "../../src/net/sha1";
import { decodeUtf8, encodeUtf8, isValidUtf8, Utf8Validator, Utf8Writer, utf8Length } from "../../src/net/utf8";
import { acceptKey } from "../../src/net/ws-handshake";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fatal = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");
const nodeValid = (b: Uint8Array) => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};
/** Bytes that are often almost UTF-8: lead bytes, continuations, edges of the ranges. */
const utf8ish = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x9f, 0xa0, 0x8f, 0x90)), { maxLength: 40 }).map((a) => Uint8Array.from(a));

describe("net codecs", () => {
  it("SHA-1 equals node:crypto's, at every length around the block boundaries and at random", () => {
    for (let n = 0; n <= 130; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);
      assert.equal(hex(sha1(bytes)), createHash("sha1").update(bytes).digest("hex"), `length ${n}`);
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => hex(sha1(bytes)) === createHash("sha1").update(bytes).digest("hex")));
  });

  it("gives RFC 6455's own accept key for its sample nonce", () => {
    assert.equal(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("base64 round-trips as Buffer does and refuses what is not canonical padded base64", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = base64Encode(bytes);
        assert.equal(text, Buffer.from(bytes).toString("base64"));
        assert.deepEqual(base64Decode(text), bytes);
      }),
    );
    for (const bad of ["abc", "ab=c", "a===", "ab\u00e9=", "AB==", "ABC=", "ab c", "=AAA"]) assert.equal(base64Decode(bad), null, bad);
    assert.deepEqual(base64Decode("AA=="), Uint8Array.of(0));
  });

  it("validates UTF-8 exactly as a fatal TextDecoder, fed in any split", () => {
    const cases: [number[], boolean][] = [
      [[0xe2, 0x82, 0xac], true],
      [[0xf0, 0x9f, 0x98, 0x80], true],
      [[0xc0, 0x80], false], // overlong NUL
      [[0xe0, 0x80, 0x80], false], // overlong
      [[0xed, 0xa0, 0x80], false], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], false], // above U+10FFFF
      [[0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5], true], // Autobahn 6.2
      [[0xce, 0xba, 0xe1, 0xbd], false], // ends inside a sequence
    ];
    for (const [bytes, valid] of cases) assert.equal(isValidUtf8(Uint8Array.from(bytes)), valid, hex(Uint8Array.from(bytes)));
    fc.assert(
      fc.property(utf8ish, fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        const v = new Utf8Validator();
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        let ok = true;
        let from = 0;
        for (const p of [...points, bytes.length]) {
          if (ok) ok = v.push(bytes, from, p);
          from = p;
        }
        assert.equal(ok && v.complete, nodeValid(bytes), hex(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it("decodes as TextDecoder does, invalid sequences replaced the same way", () => {
    fc.assert(fc.property(utf8ish, (bytes) => decodeUtf8(bytes) === lenient.decode(bytes)), { numRuns: 2000 });
    const long = Buffer.from("é€😀x".repeat(2000));
    assert.equal(decodeUtf8(long), long.toString("utf8"));
  });

  it("encodes a string piecewise into windows of any size exactly as Buffer does", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.integer({ min: 4, max: 9 }), (text, window) => {
        const expected = Buffer.from(text, "utf8");
        assert.equal(utf8Length(text), expected.length);
        const w = new Utf8Writer();
        w.begin(text);
        const out = new Uint8Array(expected.length + 8);
        let at = 0;
        while (!w.done) {
          const n = w.write(out, at, Math.min(out.length, at + window));
          assert.ok(n > 0, "a window of 4 bytes always takes a character");
          at += n;
        }
        assert.equal(hex(out.subarray(0, at)), hex(expected));
        assert.equal(hex(encodeUtf8(text)), hex(expected));
      }),
      { numRuns: 1000 },
    );
    // Lone surrogates become U+FFFD, as Buffer writes them.
    assert.equal(hex(encodeUtf8("a\ud800b\udc00")), Buffer.from("a\ud800b\udc00").toString("hex"));
  });
});
