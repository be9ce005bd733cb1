// The response head's checks by character code (src/net/http-token.ts) agree with the
// RFC 9110 token grammar as a RegExp states it, for every character and random strings.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { breaksHeaderLine, isToken } from "../../src/net/http-token";
import { responseHead } from "../../src/net/http-response";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

describe("HTTP tokens and header values by character code", () => {
  it("every single character is a token exactly when RFC 9110's tchar says so", () => {
    for (let c = 0; c < 0x180; c++) {
      const s = String.fromCharCode(c);
      assert.equal(isToken(s), TOKEN.test(s), `U+${c.toString(16)}`);
      assert.equal(breaksHeaderLine(`a${s}b`), c === 0x0d || c === 0x0a || c === 0, `U+${c.toString(16)} in a value`);
    }
    assert.equal(isToken(""), false);
  });

  it("random strings: the same verdicts as the RegExp (seed printed on failure)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."aZ09-_.!~ :\r\n\0é\u00ff{}") }), (s) => {
        assert.equal(isToken(s), TOKEN.test(s));
        assert.equal(breaksHeaderLine(s), /[\r\n\0]/.test(s));
      }),
      { numRuns: 500 },
    );
  });

  it("the response head refuses a bad name or a value with a line break, by name", () => {
    assert.match(responseHead({ status: 200, headers: { "Cache-Control": "no-cache" }, length: null, close: false, date: null }), /\r\nCache-Control: no-cache\r\n/);
    assert.throws(() => responseHead({ status: 200, headers: { "Bad Name": "x" }, length: null, close: false, date: null }), /invalid response header "Bad Name"/);
    assert.throws(() => responseHead({ status: 200, headers: { "X-A": "1\r\nSet-Cookie: x" }, length: null, close: false, date: null }), /invalid response header "X-A"/);
  });
});
