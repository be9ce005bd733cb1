// A real /ws server on 127.0.0.1 (ephemeral port) in front of the real Incubator on
// simulated time, plus a small promise-based client for the tests.
import { WebSocket } from "ws";
import { startServer, type HostServer } from "../../host-sim/server";
import type { ServerLimits } from "../../src/net/limits";
import type { AlarmInfo } from "../../src/core/api";
import { toyIncubator } from "./toy-incubator";
import { TEST_ORIGIN } from "./origin";

export const TEST_KEY = "test-key-4f9c";
/** The fixture's socket send window: Moddable's lin socket, so every frame over 1 kB
 *  goes out in pieces. */
export const TEST_SEND_WINDOW = 1024;

export interface WsFixture {
  readonly server: HostServer;
  readonly toy: ReturnType<typeof toyIncubator>;
  /** ws://127.0.0.1:port/ws */
  readonly wsUrl: string;
  /** Runs `seconds` of simulated incubator time (ticks, router sweeps). */
  run(seconds: number): void;
  /** Makes the real core raise TEMP_HIGH: therapy at an air setpoint of 30 °C while the
   *  air is at 33.5 °C (setpoint + 3.0 °C is the limit; the cut-out's 38 °C is far). */
  raiseTempHigh(): Promise<AlarmInfo>;
  close(): Promise<void>;
}

export async function wsFixture(limits: Partial<ServerLimits> = {}, apiKey: string | null = TEST_KEY): Promise<WsFixture> {
  const toy = toyIncubator();
  toy.incubator.start();
  const server = await startServer({
    api: toy.incubator,
    host: "127.0.0.1",
    port: 0,
    apiKey,
    clock: toy.time,
    timers: toy.time,
    wall: toy.time,
    limits,
    closeGraceMs: 300,
    sendWindow: TEST_SEND_WINDOW,
    log: () => {},
  });
  return {
    server,
    toy,
    wsUrl: server.wsUrl,
    run: (seconds) => toy.run(seconds),
    raiseTempHigh: async () => {
      const core = toy.incubator;
      for (const [action, data] of [["set_temperature", { setpoint: 30 }], ["set_state", { state: "start" }]] as const) {
        const r = await core.execute(action, data, TEST_ORIGIN);
        if (!r.success) throw new Error(`${action}: ${r.message}`);
      }
      toy.plant.air = 33.5;
      toy.plant.roomC = 33.5;
      for (let s = 0; s < 10; s++) {
        toy.run(1);
        const alarm = core.snapshot().alarms.find((a) => a.code === "TEMP_HIGH");
        if (alarm) return alarm;
      }
      throw new Error("TEMP_HIGH was not raised");
    },
    close: async () => {
      await server.close();
      toy.incubator.stop();
    },
  };
}

export interface Envelope {
  readonly type: string;
  readonly timestamp: string;
  readonly data?: any;
}

/** A `ws` client that records every message and closing, with awaitable look-ups. */
export class TestClient {
  readonly messages: Envelope[] = [];
  closeCode: number | null = null;
  closeReason = "";
  private waiters: Array<() => void> = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.wake();
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    this.closed = new Promise((resolve) =>
      ws.once("close", (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.wake();
        resolve();
      }),
    );
    ws.on("error", () => {});
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const client = new TestClient(new WebSocket(url, { headers }));
    await client.opened;
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The first message from index `from` on matching `match`, waiting up to `ms` real ms. */
  async next(match: (m: Envelope) => boolean, from = 0, ms = 5000): Promise<Envelope> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (let i = from; i < this.messages.length; i++) if (match(this.messages[i])) return this.messages[i];
      if (this.closeCode !== null) throw new Error(`closed (${this.closeCode} ${this.closeReason}) before the expected message; got ${JSON.stringify(this.messages.slice(from))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${ms} ms; got ${JSON.stringify(this.messages.slice(from)).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitClosed(ms = 5000): Promise<{ code: number; reason: string }> {
    await Promise.race([this.closed, new Promise((_, reject) => setTimeout(() => reject(new Error(`not closed within ${ms} ms`)), ms).unref())]);
    return { code: this.closeCode!, reason: this.closeReason };
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Waits until `condition` holds, polling on real time (for server-side effects of I/O). */
export async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
