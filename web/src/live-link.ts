// The app's one /ws connection: subscribes to everything, sends commands and matches
// their answers, reconnects with back-off, and says what it is doing. The key goes in
// the query (browsers cannot set WebSocket headers); it is never in the page's URL.
import { CLOSE_SERVER_FULL, CLOSE_UNAUTHORISED, type CommandOutcome, type ServerMessage } from "./protocol";

export type LinkStatus =
  | { readonly kind: "connecting"; readonly attempt: number }
  | { readonly kind: "open" }
  | { readonly kind: "waiting"; readonly attempt: number; readonly retryAt: number; readonly reason: string }
  | { readonly kind: "unauthorised" };

export interface LinkListener {
  message(message: ServerMessage): void;
  status(status: LinkStatus): void;
}

/** Back-off after the n-th failed attempt (1-based): 0.5, 1, 2, 4 s, then 5 s, ±20 %. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(5000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** A command gets its answer within this, or is reported as unanswered. */
const COMMAND_TIMEOUT_MS = 10_000;

interface Pending {
  readonly resolve: (outcome: CommandOutcome) => void;
  readonly timer: number;
}

export class LiveLink {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer = 0;
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private stopped = true;

  constructor(
    private readonly url: (key: string | null) => string,
    private readonly key: () => string | null,
    private readonly listener: LinkListener,
  ) {}

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Connects (again) now, e.g. after a new key was entered. */
  start(): void {
    this.stopped = false;
    clearTimeout(this.retryTimer);
    this.drop();
    this.attempt++;
    this.listener.status({ kind: "connecting", attempt: this.attempt });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url(this.key()));
    } catch (error) {
      this.retry(`cannot open the connection: ${(error as Error).message}`);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      ws.send(JSON.stringify({ type: "subscribe", channel: "all" }));
      this.listener.status({ kind: "open" });
    };
    ws.onmessage = (event) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (message.type === "command_response") this.answer(message.data.command_id, message.data);
      this.listener.message(message);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failPending(opened ? "the connection was lost before the answer came: check the value shown" : "not connected");
      if (event.code === CLOSE_UNAUTHORISED) {
        this.stopped = true;
        this.listener.status({ kind: "unauthorised" });
        return;
      }
      const why = event.code === CLOSE_SERVER_FULL ? `the incubator serves its maximum of clients (${event.reason || "server full"})` : opened ? "connection lost" : "cannot reach the incubator";
      this.retry(why);
    };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.drop();
  }

  /** Sends a command; resolves with the firmware's answer (never rejects). */
  command(action: string, data: Record<string, unknown>): Promise<CommandOutcome> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve({ success: false, message: "not connected to the incubator: nothing was sent" });
    const id = `web-${this.nextId++}`;
    return new Promise((resolve) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        resolve({ success: false, message: `no answer from the incubator within ${COMMAND_TIMEOUT_MS / 1000} s: check the value shown` });
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      ws.send(JSON.stringify({ type: "command", command_id: id, action, data }));
    });
  }

  private answer(id: unknown, outcome: CommandOutcome): void {
    const pending = typeof id === "string" ? this.pending.get(id) : undefined;
    if (!pending) return;
    this.pending.delete(id as string);
    clearTimeout(pending.timer);
    pending.resolve({ success: outcome.success, message: outcome.message, ...(outcome.code !== undefined ? { code: outcome.code } : {}) });
  }

  private failPending(message: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ success: false, message });
      this.pending.delete(id);
    }
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    const wait = backoffMs(this.attempt);
    this.listener.status({ kind: "waiting", attempt: this.attempt, retryAt: Date.now() + wait, reason });
    this.retryTimer = window.setTimeout(() => this.start(), wait);
  }

  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close();
      this.failPending("reconnecting");
    }
  }
}
