// Reads one HTTP/1.1 request (RFC 9112) from bytes that arrive in arbitrary pieces:
// request line and header section bounded (414 / 431), the body bounded by its
// Content-Length (413) before any of it is read. A line that spans reads is gathered in
// a small buffer of its own, so a request dripped one byte at a time makes no garbage.
import type { HttpLimits } from "./http-limits";
import { fromCharCodes as latin1 } from "./utf8";
import { isToken } from "./http-token";
import { codeAt, hasControlChar, isDigits } from "./text-scan";

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
      let line: string;
      if (this.partialLength > 0) {
        this.keepPartial(bytes, i, lf);
        line = latin1(this.partial!, 0, this.partialLength);
        this.partialLength = 0;
      } else line = latin1(bytes, i, lf);
      i = lf + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (this.state === LINE) this.requestLine(line);
      else this.headerLine(line);
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

  private requestLine(line: string): void {
    // A client may send an empty line before the request (RFC 9112 §2.2).
    if (line === "" && this.headBytes <= 2) {
      this.headBytes = 0;
      return;
    }
    if (hasControlChar(line, false)) return this.fail(400, "control character in the request line");
    // METHOD SP request-target SP HTTP/d.d (RFC 9112 §3)
    const sp1 = line.indexOf(" ");
    const sp2 = sp1 < 0 ? -1 : line.indexOf(" ", sp1 + 1);
    const version = sp2 < 0 ? "" : line.slice(sp2 + 1);
    const method = sp1 < 0 ? "" : line.slice(0, sp1);
    if (!isToken(method) || sp2 === sp1 + 1 || !isHttpVersion(version)) {
      return this.fail(400, `malformed request line "${line.slice(0, 60)}" (expected METHOD /path HTTP/1.1)`);
    }
    if (codeAt(version, 5) !== 0x31) return this.fail(505, `HTTP version ${version} is not supported (HTTP/1.1 is)`);
    this.method = method;
    this.target = line.slice(sp1 + 1, sp2);
    this.version = codeAt(version, 7) === 0x30 ? "HTTP/1.0" : "HTTP/1.1";
    this.state = HEADERS;
  }

  private headerLine(line: string): void {
    if (line === "") return this.headEnd();
    const first = codeAt(line, 0);
    if (first === 0x20 || first === 0x09) return this.fail(400, "folded header line (obsolete line folding is not accepted)");
    const colon = line.indexOf(":");
    const name = colon < 0 ? "" : line.slice(0, colon);
    if (!isToken(name)) return this.fail(400, `malformed header line "${line.slice(0, 60)}"`);
    if (hasControlChar(line, true)) return this.fail(400, `control character in header ${name}`);
    if (++this.headerCount > this.limits.maxHeaderCount) return this.fail(431, `more than ${this.limits.maxHeaderCount} header fields`);
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = this.headers[key];
    if (previous === undefined) this.headers[key] = value;
    else if (key === "content-length" || key === "host") {
      if (previous !== value) return this.fail(400, `conflicting ${name} headers`);
    } else this.headers[key] = `${previous}, ${value}`;
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

/** "HTTP/" DIGIT "." DIGIT */
function isHttpVersion(text: string): boolean {
  if (text.length !== 8 || !text.startsWith("HTTP/") || codeAt(text, 6) !== 0x2e) return false;
  return isDigits(text.charAt(5), 1, 1) && isDigits(text.charAt(7), 1, 1);
}
