// The API key check shared by HTTP requests and WebSocket upgrades, with failed keys
// throttled per client address: each address may present a wrong key `burst` times, then
// one attempt per `refillMs` (the allowance refills at that rate up to `burst`). While
// an address has no attempt left, every key it presents is refused unread (right or
// wrong, so the throttle gives nothing away); requests without a key are not counted.
import type { MonotonicClock } from "../core/types";
import { keysEqual, presentedKey, type KeyCarrier } from "./api-key";

export interface KeyThrottle {
  /** Wrong keys an address may present before it is slowed down. */
  readonly burst: number;
  /** Then one further attempt per this many ms. */
  readonly refillMs: number;
  /** Addresses remembered (the least recently failing is forgotten first). */
  readonly addresses: number;
}

export const DEFAULT_KEY_THROTTLE: KeyThrottle = Object.freeze({ burst: 5, refillMs: 10_000, addresses: 16 });

export type KeyVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly why: "missing" | "wrong" | "throttled"; readonly message: string; readonly retryAfterS?: number };

const OK: KeyVerdict = Object.freeze({ ok: true });

interface Failures {
  tokens: number;
  atMs: number;
}

/** "address:port" or "[v6]:port" → the address, which the throttle counts by. */
export function addressOf(remote: string): string {
  const colon = remote.lastIndexOf(":");
  if (colon <= 0) return remote;
  const host = remote.slice(0, colon);
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

export class KeyGuard {
  private readonly failures = new Map<string, Failures>();
  readonly throttle: KeyThrottle;
  private refused = 0;

  constructor(
    private readonly clock: MonotonicClock,
    /** The configured key, read at every check; null or "" = no authentication. */
    private readonly apiKey: () => string | null,
    throttle: Partial<KeyThrottle> = {},
  ) {
    this.throttle = Object.freeze({ ...DEFAULT_KEY_THROTTLE, ...throttle });
  }

  /** Whether a key is configured at all. */
  get required(): boolean {
    return !!this.apiKey();
  }

  /** Attempts refused because their address had used up its allowance. */
  get throttledCount(): number {
    return this.refused;
  }

  check(request: KeyCarrier, remote: string): KeyVerdict {
    const key = this.apiKey();
    if (!key) return OK;
    const presented = presentedKey(request);
    if (presented === null) return { ok: false, why: "missing", message: "API key required: Authorization: Bearer <key>, Basic auth with the key as password, or ?api-key=<key>" };
    // The address (string slicing, garbage on XS) only when some address has failed.
    if (this.failures.size === 0 && keysEqual(presented, key)) return OK;
    const address = addressOf(remote);
    const now = this.clock.now();
    const entry = this.failures.get(address);
    if (entry) {
      const { burst, refillMs } = this.throttle;
      entry.tokens = Math.min(burst, entry.tokens + (now - entry.atMs) / refillMs);
      entry.atMs = now;
      if (entry.tokens < 1) {
        this.refused++;
        const retryAfterS = Math.max(1, Math.ceil(((1 - entry.tokens) * refillMs) / 1000));
        return { ok: false, why: "throttled", message: `too many wrong API keys from ${address}: try again in ${retryAfterS} s`, retryAfterS };
      }
    }
    if (keysEqual(presented, key)) {
      return OK;
    }
    this.fail(address, now, entry);
    return { ok: false, why: "wrong", message: "wrong API key" };
  }

  private fail(address: string, now: number, entry: Failures | undefined): void {
    if (entry) {
      entry.tokens -= 1;
      // Most recently failing last: the first key is the one to forget.
      this.failures.delete(address);
      this.failures.set(address, entry);
      return;
    }
    if (this.failures.size >= this.throttle.addresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(address, { tokens: this.throttle.burst - 1, atMs: now });
  }
}
