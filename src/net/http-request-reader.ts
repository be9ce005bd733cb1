// Reads one HTTP/1.1 request (RFC 9112) from bytes that arrive in arbitrary pieces:
// request line and header section bounded (414 / 431), the body bounded by its
// Content-Length (413) before any of it is read. A line that spans reads is gathered in
// a small buffer of its own, so a request dripped one byte at a time makes no garbage.
import type { HttpLimits } from "./http-limits";
import { fromCharCodes as latin1 } from "./utf8";
import { isTokenBytes } from "./http-token";
import { isDigits } from "./text-scan";

const LINE = 0;
const HEADERS = 1;
const BODY = 2;
const DONE = 3;
const FAILED = 4;


/** Why a request was refused, as the response should say it. */
export interface HttpReadError {
  readonly status: number;
  readonly message: string;
}


export class HttpRequestReader {
  method = "";
  target = "";
  version = "";
  /** Lower-case names; repeated fields joined with ", ". */
  headers: Record<string, string> = {};
  headerCount = 0;
  body: Uint8Array | null = null;
  error: HttpReadError | null = null;
  /** Bytes of this request seen so far (nothing before its first byte). */
  started = false;

  private state = LINE;
  private headBytes = 0;
  private bodyReceived = 0;
  private partial: Uint8Array | null = null;
  private partialLength = 0;
  /** Where a field name is lower-cased (made at the first header). */
  private nameBuffer: Uint8Array | null = null;

  constructor(private readonly limits: HttpLimits) {}

  get complete(): boolean {
    return this.state === DONE;
  }

  get failed(): boolean {
    return this.state === FAILED;
  }

  /** The head is in and a body is expected (for "Expect: 100-continue"). */
  get readingBody(): boolean {
    return this.state === BODY;
  }

  /** Ready for the next request on the same connection. */
  reset(): void {
    this.method = this.target = this.version = "";
    this.headers = {};
    this.headerCount = 0;
    this.body = null;
    this.error = null;
    this.started = false;
    this.state = LINE;
    this.headBytes = 0;
    this.bodyReceived = 0;
    this.partialLength = 0;
  }

  /** Consumes bytes [start, end) up to the end of this request; returns how many. */
  push(bytes: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end && this.state !== DONE && this.state !== FAILED) {
      if (this.state === BODY) {
        const n = Math.min(end - i, this.body!.length - this.bodyReceived);
        this.body!.set(bytes.subarray(i, i + n), this.bodyReceived);
        this.bodyReceived += n;
        i += n;
        if (this.bodyReceived === this.body!.length) this.state = DONE;
        continue;
      }
      this.started = true;
      let lf = i;
      while (lf < end && bytes[lf] !== 0x0a) lf++;
      const lineLimit = this.state === LINE ? this.limits.maxRequestLineBytes : this.limits.maxHeadBytes;
      if (lf === end) {
        // The line goes on in a later read: keep what came, within the limits.
        const n = end - i;
        if (!this.count(n, this.partialLength + n, lineLimit)) return end - start;
        this.keepPartial(bytes, i, end);
        i = end;
        break;
      }
      const n = lf + 1 - i;
      if (!this.count(n, this.partialLength + n - 1, lineLimit)) return lf + 1 - start;
      // The line is judged on its bytes; strings are made only of what is kept (on XS every
      // property read of a string primitive, even .length, makes a wrapper object).
      let src = bytes;
      let s = i;
      let e = lf;
      if (this.partialLength > 0) {
        this.keepPartial(bytes, i, lf);
        src = this.partial!;
        s = 0;
        e = this.partialLength;
        this.partialLength = 0;
      }
      i = lf + 1;
      if (e > s && src[e - 1] === 0x0d) e--;
      if (this.state === LINE) this.requestLine(src, s, e);
      else this.headerLine(src, s, e);
    }
    return i - start;
  }

  private count(n: number, lineLength: number, lineLimit: number): boolean {
    this.headBytes += n;
    if (this.state === LINE && lineLength > lineLimit) {
      this.fail(414, `request line longer than ${lineLimit} bytes`);
      return false;
    }
    if (this.headBytes > this.limits.maxHeadBytes) {
      this.fail(431, `request header section larger than ${this.limits.maxHeadBytes} bytes`);
      return false;
    }
    return true;
  }

  private keepPartial(bytes: Uint8Array, start: number, end: number): void {
    const need = this.partialLength + end - start;
    if (this.partial === null || this.partial.length < need) {
      let size = this.partial === null ? 256 : this.partial.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.limits.maxHeadBytes + 1));
      if (this.partial !== null) grown.set(this.partial.subarray(0, this.partialLength));
      this.partial = grown;
    }
    this.partial.set(bytes.subarray(start, end), this.partialLength);
    this.partialLength = need;
  }

  /** The request line, bytes [s, e) without its CRLF. */
  private requestLine(src: Uint8Array, s: number, e: number): void {
    // A client may send an empty line before the request (RFC 9112 §2.2).
    if (e === s && this.headBytes <= 2) {
      this.headBytes = 0;
      return;
    }
    if (hasControlByte(src, s, e, false)) return this.fail(400, "control character in the request line");
    // METHOD SP request-target SP HTTP/d.d (RFC 9112 §3)
    const sp1 = indexOfByte(src, s, e, 0x20);
    const sp2 = sp1 < 0 ? -1 : indexOfByte(src, sp1 + 1, e, 0x20);
    if (sp1 < 0 || !isTokenBytes(src, s, sp1) || sp2 === sp1 + 1 || sp2 < 0 || !isHttpVersionBytes(src, sp2 + 1, e)) {
      return this.fail(400, `malformed request line "${latin1(src, s, e).slice(0, 60)}" (expected METHOD /path HTTP/1.1)`);
    }
    if (src[sp2 + 1 + 5] !== 0x31) return this.fail(505, `HTTP version ${latin1(src, sp2 + 1, e)} is not supported (HTTP/1.1 is)`);
    this.method = latin1(src, s, sp1);
    this.target = latin1(src, sp1 + 1, sp2);
    this.version = src[sp2 + 1 + 7] === 0x30 ? "HTTP/1.0" : "HTTP/1.1";
    this.state = HEADERS;
  }

  /** One header line, bytes [s, e) without its CRLF. */
  private headerLine(src: Uint8Array, s: number, e: number): void {
    if (e === s) return this.headEnd();
    const first = src[s];
    if (first === 0x20 || first === 0x09) return this.fail(400, "folded header line (obsolete line folding is not accepted)");
    const colon = indexOfByte(src, s, e, 0x3a);
    if (colon < 0 || !isTokenBytes(src, s, colon)) return this.fail(400, `malformed header line "${latin1(src, s, e).slice(0, 60)}"`);
    if (hasControlByte(src, s, e, true)) return this.fail(400, `control character in header ${latin1(src, s, colon)}`);
    if (++this.headerCount > this.limits.maxHeaderCount) return this.fail(431, `more than ${this.limits.maxHeaderCount} header fields`);
    const key = this.lowerName(src, s, colon);
    // String.prototype.trim's white space among Latin-1 bytes that got this far: SP, HTAB, NBSP.
    let vs = colon + 1;
    let ve = e;
    while (vs < ve && isTrimmed(src[vs])) vs++;
    while (ve > vs && isTrimmed(src[ve - 1])) ve--;
    const value = latin1(src, vs, ve);
    const previous = this.headers[key];
    if (previous === undefined) this.headers[key] = value;
    else if (key === "content-length" || key === "host") {
      if (previous !== value) return this.fail(400, `conflicting ${latin1(src, s, colon)} headers`);
    } else this.headers[key] = `${previous}, ${value}`;
  }

  /** A field name (a token: ASCII) in lower case. */
  private lowerName(src: Uint8Array, s: number, e: number): string {
    if (this.nameBuffer === null || this.nameBuffer.length < e - s) this.nameBuffer = new Uint8Array(Math.max(64, e - s));
    const out = this.nameBuffer;
    for (let i = s; i < e; i++) {
      const c = src[i];
      out[i - s] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    }
    return latin1(out, 0, e - s);
  }

  private headEnd(): void {
    const h = this.headers;
    if (this.version === "HTTP/1.1" && h["host"] === undefined) return this.fail(400, "HTTP/1.1 request without a Host header");
    if (h["transfer-encoding"] !== undefined) return this.fail(501, "request bodies with Transfer-Encoding are not accepted: send a Content-Length");
    const lengthText = h["content-length"];
    let length = 0;
    if (lengthText !== undefined) {
      if (!isDigits(lengthText, 1, 15)) return this.fail(400, `malformed Content-Length "${lengthText.slice(0, 20)}"`);
      length = Number(lengthText);
    }
    if (length > this.limits.maxBodyBytes) return this.fail(413, `request body of ${length} bytes is larger than ${this.limits.maxBodyBytes} bytes`);
    if (length === 0) {
      this.state = DONE;
      return;
    }
    this.body = new Uint8Array(length);
    this.bodyReceived = 0;
    this.state = BODY;
  }

  private fail(status: number, message: string): void {
    this.state = FAILED;
    this.error = { status, message };
    this.partialLength = 0;
  }
}

/** "HTTP/" DIGIT "." DIGIT, bytes [s, e). */
function isHttpVersionBytes(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 8) return false;
  if (b[s] !== 0x48 || b[s + 1] !== 0x54 || b[s + 2] !== 0x54 || b[s + 3] !== 0x50 || b[s + 4] !== 0x2f || b[s + 6] !== 0x2e) return false;
  return isDigit(b[s + 5]) && isDigit(b[s + 7]);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isTrimmed(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0;
}

function indexOfByte(b: Uint8Array, s: number, e: number, byte: number): number {
  for (let i = s; i < e; i++) if (b[i] === byte) return i;
  return -1;
}

/** Whether bytes [s, e) hold a control character (0x00-0x1f, 0x7f); HTAB allowed if `allowTab`. */
function hasControlByte(b: Uint8Array, s: number, e: number, allowTab: boolean): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if ((c < 0x20 && !(allowTab && c === 0x09)) || c === 0x7f) return true;
  }
  return false;
}
