// What the platform-free HTTP server hands to the routes it serves (REST, the web app,
// set-up, ...) and what they answer. The server reads and bounds the request, checks
// the API key, and writes the response as the socket drains; routes never see a socket.

export interface HttpRequest {
  /** Upper-case, e.g. "GET". */
  readonly method: string;
  /** Percent-decoded path without the query, e.g. "/api/status". */
  readonly path: string;
  /** Decoded query parameters (the last of repeated names). */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text ("" when none), already bounded by the server. */
  readonly body: string;
  /** The peer, "address:port". */
  readonly remote: string;
  /** The request presented the configured API key (`Authorization: Bearer <key>`, Basic
   *  auth with the key as password, or `?api-key=<key>`), or no key is configured. Routes
   *  refuse an unauthorised request in their own format. */
  readonly authorized: boolean;
}

/** A body produced in pieces as the socket drains, so it is never whole in RAM. */
export interface HttpBodySource {
  /** Total length in bytes when known (sent as Content-Length); otherwise chunked. */
  readonly length?: number;
  /** The next piece, about `max` bytes at most; null at the end. */
  next(max: number): string | Uint8Array | null;
  /** The response was abandoned (the peer went away). */
  cancel?(): void;
}

export type HttpBody = string | Uint8Array | HttpBodySource;

export interface HttpResponse {
  readonly status: number;
  /** E.g. Content-Type, Cache-Control, ETag, Content-Encoding; the server adds framing
   *  headers (Content-Length / Transfer-Encoding, Connection, Date where known). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: HttpBody;
}

export interface HttpRoute {
  /** Answers the request, or null when this route does not serve its path (the next
   *  route is asked; none left: 404). A thrown error or rejected promise is a 500. */
  handle(request: HttpRequest): HttpResponse | Promise<HttpResponse> | null;
}
