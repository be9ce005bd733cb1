// An HTTP/1.1 response on the wire: the status line, the route's headers, the framing
// headers the server owns (Content-Length or chunked, Connection, Date), and the body
// queued as it is (text, bytes, or a source pulled as the socket drains).
import type { HttpBody, HttpResponse } from "./http-types";
import type { SendQueue } from "./send-queue";
import { breaksHeaderLine, isToken } from "./http-token";
import { utf8Length } from "./utf8";

const REASONS: Readonly<Record<number, string>> = Object.freeze({
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  507: "Insufficient Storage",
});

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? "Informational" : status < 300 ? "Success" : status < 400 ? "Redirection" : status < 500 ? "Client Error" : "Server Error");
}

/** Statuses that never carry a body (RFC 9110 §6.4.1). */
export function statusHasBody(status: number): boolean {
  return status >= 200 && status !== 204 && status !== 304;
}

const DAYS = Object.freeze(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]);
const MONTHS = Object.freeze(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]);
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
export function httpDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** Headers the server sets itself; a route's own value for one of them is ignored. */
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "date", "keep-alive"]);

export interface HeadOptions {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Content-Length, or "chunked", or null (no body, or close-delimited). */
  readonly length: number | "chunked" | null;
  readonly close: boolean;
  readonly date: string | null;
}

/** The serialised head; throws on a header name or value that would break the framing. */
export function responseHead(o: HeadOptions): string {
  let head = `HTTP/1.1 ${o.status} ${reasonPhrase(o.status)}\r\n`;
  if (o.headers) {
    for (const name of Object.keys(o.headers)) {
      const value = String(o.headers[name]);
      if (!isToken(name) || breaksHeaderLine(value)) throw new Error(`invalid response header ${JSON.stringify(name)}`);
      if (FRAMING.has(name.toLowerCase())) continue;
      head += `${name}: ${value}\r\n`;
    }
  }
  if (o.date !== null) head += `Date: ${o.date}\r\n`;
  if (o.length === "chunked") head += "Transfer-Encoding: chunked\r\n";
  else if (o.length !== null) head += `Content-Length: ${o.length}\r\n`;
  head += o.close ? "Connection: close\r\n\r\n" : "\r\n";
  return head;
}

/** What the request asked of its answer. */
export interface Exchange {
  /** A HEAD request: the head only. */
  readonly head: boolean;
  /** The connection closes after the answer (asked, or HTTP/1.0, or an error). */
  readonly close: boolean;
  /** The peer speaks HTTP/1.1 (a body of unknown length can be chunked). */
  readonly chunkedAllowed: boolean;
}

/** Queues the response's head and body; returns whether the connection closes after it
 *  (also when a body of unknown length goes to an HTTP/1.0 peer: its end is the close). */
export function queueResponse(queue: SendQueue, response: HttpResponse, exchange: Exchange, date: string | null): boolean {
  const status = response.status;
  const body: HttpBody | undefined = statusHasBody(status) ? response.body : undefined;
  let length: number | "chunked" | null;
  let close = exchange.close;
  let bytes: Uint8Array | null = null;
  if (body === undefined) length = statusHasBody(status) ? 0 : null;
  else if (typeof body === "string") {
    bytes = queue.encoded(body);
    length = bytes === null ? utf8Length(body) : bytes.length;
  } else if (body instanceof Uint8Array) length = body.length;
  else if (typeof body.length === "number") length = body.length;
  else if (exchange.chunkedAllowed) length = "chunked";
  else {
    length = null;
    close = true;
  }
  queue.text(responseHead({ status, headers: response.headers, length, close, date }));
  if (body === undefined) return close;
  if (exchange.head) {
    if (typeof body === "object" && !(body instanceof Uint8Array)) body.cancel?.();
  } else if (bytes !== null) queue.bytes(bytes);
  else if (typeof body === "string") queue.text(body);
  else if (body instanceof Uint8Array) queue.bytes(body);
  else queue.source(body, length === "chunked");
  return close;
}
