// At most 60 REST requests in any 60 seconds per client (the docs' limit; 429 beyond):
// the times of each client's last 60 requests in a small ring, so the window slides.
import type { MonotonicClock } from "../../core/types";

export const REST_RATE = Object.freeze({ requests: 60, windowMs: 60_000, clients: 32 });

class ClientWindow {
  readonly times: Float64Array;
  next = 0;
  count = 0;
  lastMs = 0;
  constructor(size: number) {
    this.times = new Float64Array(size);
  }
}

export class RateLimiter {
  private readonly clients = new Map<string, ClientWindow>();

  constructor(
    private readonly clock: MonotonicClock,
    private readonly limit = REST_RATE.requests,
    private readonly windowMs = REST_RATE.windowMs,
    private readonly maxClients = REST_RATE.clients,
  ) {}

  /** Counts a request of `client`: 0 when it may go on, else the milliseconds until it may. */
  take(client: string): number {
    const now = this.clock.now();
    let w = this.clients.get(client);
    if (!w) {
      if (this.clients.size >= this.maxClients) this.evictIdlest();
      w = new ClientWindow(this.limit);
      this.clients.set(client, w);
    }
    w.lastMs = now;
    if (w.count === this.limit) {
      const oldest = w.times[w.next];
      if (now - oldest < this.windowMs) return this.windowMs - (now - oldest);
    } else w.count++;
    w.times[w.next] = now;
    w.next = (w.next + 1) % this.limit;
    return 0;
  }

  private evictIdlest(): void {
    let idlest: string | null = null;
    let lastMs = Infinity;
    for (const [key, w] of this.clients) {
      if (w.lastMs < lastMs) {
        lastMs = w.lastMs;
        idlest = key;
      }
    }
    if (idlest !== null) this.clients.delete(idlest);
  }
}

/** The client a request counts against: the peer's address without its port. */
export function clientAddress(remote: string): string {
  if (remote.startsWith("[")) {
    const end = remote.indexOf("]");
    return end > 0 ? remote.slice(1, end) : remote;
  }
  const colon = remote.lastIndexOf(":");
  return colon > 0 && remote.indexOf(":") === colon ? remote.slice(0, colon) : remote;
}
