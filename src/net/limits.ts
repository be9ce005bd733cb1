// Limits that keep one client from hurting the others or the control loop.

export interface ServerLimits {
  /** Open connections over all endpoints; a further client is closed with TRY_AGAIN_LATER. */
  readonly maxConnections: number;
  /** Largest accepted frame, in UTF-8 bytes; a bigger one closes with MESSAGE_TOO_BIG. */
  readonly maxFrameBytes: number;
  /** Token bucket per client: burst size and sustained messages per second. */
  readonly rateBurst: number;
  readonly ratePerSecond: number;
  /** Refused messages within `floodWindowMs` that close the connection as a flood. */
  readonly floodRefusals: number;
  readonly floodWindowMs: number;
  /** Droppable frames (sensor updates) are dropped while more than this is queued. */
  readonly queueSoftBytes: number;
  /** Any frame that would queue beyond this closes the connection as a dead reader. */
  readonly queueHardBytes: number;
  /** A queue that stays above the soft limit this long closes the connection. */
  readonly stallMs: number;
  /** After this long without a frame or pong from the peer, it is pinged... */
  readonly pingAfterMs: number;
  /** ...and after this long it is closed as gone (half-open). */
  readonly idleTimeoutMs: number;
  /** How often the router looks at idle and stalled connections. */
  readonly sweepMs: number;
}

/** Defaults: the device's (4 clients, small queues); the host may configure more. */
export const DEFAULT_LIMITS: ServerLimits = Object.freeze({
  maxConnections: 4,
  maxFrameBytes: 4096,
  rateBurst: 20,
  ratePerSecond: 10,
  floodRefusals: 50,
  floodWindowMs: 10_000,
  queueSoftBytes: 8 * 1024,
  queueHardBytes: 32 * 1024,
  stallMs: 30_000,
  // The seed's client pings every 30 s; a transport without WebSocket pings relies on that.
  pingAfterMs: 20_000,
  idleTimeoutMs: 65_000,
  sweepMs: 5_000,
});

/** Checks a limits table; returns what is wrong, or null. */
export function checkLimits(limits: ServerLimits): string | null {
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ServerLimits)[]) {
    const value = limits[key];
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      return `limit ${key} must be a positive number, got ${String(value)}`;
    }
  }
  if (limits.queueHardBytes < limits.queueSoftBytes) return "queueHardBytes must be >= queueSoftBytes";
  if (limits.idleTimeoutMs <= limits.pingAfterMs) return "idleTimeoutMs must be > pingAfterMs";
  return null;
}
