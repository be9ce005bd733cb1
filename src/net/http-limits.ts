// Limits of the HTTP side of the server: what one socket may hold and for how long. The
// ESP32 has about 8 TCP connections in all, so an idle or dripping socket must not keep
// one; WebSocket limits are the router's (src/net/limits.ts).

export interface HttpLimits {
  /** Sockets not (yet) upgraded to WebSocket. A further one closes the longest-idle such
   *  socket that is between requests (kept alive, or answered and lingering), or new and
   *  silent for `evictIdleAfterMs`; else it is answered 503. */
  readonly maxSockets: number;
  readonly evictIdleAfterMs: number;
  /** Request line (method, target, version); longer: 414. */
  readonly maxRequestLineBytes: number;
  /** Request line plus header section; more: 431. */
  readonly maxHeadBytes: number;
  readonly maxHeaderCount: number;
  /** Request body (Content-Length); larger: 413 before any of it is read. */
  readonly maxBodyBytes: number;
  /** From accepting the socket (or the first byte after a keep-alive pause) to the whole
   *  request, however slowly it drips (slowloris); then 408 and the socket is closed. */
  readonly requestTimeoutMs: number;
  /** A kept-alive socket waits this long for its next request. */
  readonly keepAliveIdleMs: number;
  /** A route's answer, and a response's progress on the wire: no progress this long and
   *  the socket is closed (503 if nothing was sent yet). */
  readonly responseTimeoutMs: number;
  /** After an error response the request's remaining bytes are read and dropped for up
   *  to this long / this many bytes before closing, so that the response is not lost in
   *  a TCP reset of a peer that is still sending. */
  readonly lingerMs: number;
  readonly lingerBytes: number;
  /** A WebSocket close handshake (ours or the peer's) is given this long to finish. */
  readonly wsCloseTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  maxSockets: 3,
  evictIdleAfterMs: 1_000,
  maxRequestLineBytes: 2048,
  maxHeadBytes: 8192,
  maxHeaderCount: 64,
  maxBodyBytes: 4096,
  requestTimeoutMs: 10_000,
  keepAliveIdleMs: 5_000,
  responseTimeoutMs: 30_000,
  lingerMs: 1_000,
  lingerBytes: 65_536,
  wsCloseTimeoutMs: 2_000,
});

/** Checks a limits table; returns what is wrong, or null. */
export function checkHttpLimits(limits: HttpLimits): string | null {
  for (const key of Object.keys(DEFAULT_HTTP_LIMITS) as (keyof HttpLimits)[]) {
    const value = limits[key];
    if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) return `HTTP limit ${key} must be a number >= 0, got ${String(value)}`;
  }
  if (limits.maxSockets < 1) return "HTTP limit maxSockets must be at least 1";
  if (limits.maxRequestLineBytes > limits.maxHeadBytes) return "maxRequestLineBytes must be <= maxHeadBytes";
  return null;
}
