// The clients the simulator checks use: the seeds' own clients, a /ws subscriber that
// times the ticks, an Indigo feed that keeps asking for refreshes, and raw sockets for
// hostile traffic.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { WebSocket } from "ws";

export const HOST = "127.0.0.1";

export function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A /ws client subscribed to sensors: when each tick's sensor_update said it was, and when it came. */
export class TickWatch {
  readonly stamps: number[] = [];
  readonly arrivals: number[] = [];
  closeCode: number | null = null;
  private ws: WebSocket | null = null;

  /** `url`: its own /ws subscriber; null: fed by another client's sensor_update (`note`). */
  constructor(private readonly url: string | null) {}

  /** A sensor_update's timestamp, as another client received it. */
  note(timestamp: string): void {
    this.stamps.push(Date.parse(timestamp));
    this.arrivals.push(Date.now());
  }

  async open(): Promise<void> {
    if (this.url === null) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as { type: string; timestamp: string };
      if (m.type === "sensor_update") this.note(m.timestamp);
    });
    ws.on("close", (code) => (this.closeCode = code));
    ws.on("error", () => {});
    ws.send(JSON.stringify({ type: "subscribe", channel: "sensors" }));
  }

  /** Tick intervals (from the messages' own timestamps) since index `from`. */
  summary(from = 0): { count: number; meanMs: number; minMs: number; maxMs: number; off: number; longestSilenceMs: number } {
    const s = this.stamps.slice(from);
    const gaps = s.slice(1).map((t, i) => t - s[i]);
    const arrivals = this.arrivals.slice(from);
    const silence = arrivals.slice(1).map((t, i) => t - arrivals[i]);
    return {
      count: s.length,
      meanMs: gaps.length ? Math.round(gaps.reduce((a, b) => a + b, 0) / gaps.length) : 0,
      minMs: gaps.length ? Math.min(...gaps) : 0,
      maxMs: gaps.length ? Math.max(...gaps) : 0,
      off: gaps.filter((g) => Math.abs(g - 1000) > 100).length,
      longestSilenceMs: silence.length ? Math.max(...silence) : 0,
    };
  }

  close(): void {
    this.ws?.close();
  }
}

/** The Indigo device-feed (or variable-feed) client: `refresh` every `everyMs`, each answer checked whole. */
export class IndigoRefresher {
  readonly replies: { bytes: number; items: number; ms: number }[] = [];
  readonly patches: number[] = [];
  errors: string[] = [];
  closeCode: number | null = null;
  private ws: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private askedAt = 0;

  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly everyMs: number,
  ) {}

  async open(): Promise<void> {
    const ws = new WebSocket(this.url, { headers: { Authorization: `Bearer ${this.key}` } });
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.on("message", (data) => {
      const text = String(data);
      let m: any;
      try {
        m = JSON.parse(text);
      } catch (e) {
        this.errors.push(`not JSON (${text.length} bytes): ${String(e)}`);
        return;
      }
      if (m.message === "refresh") this.replies.push({ bytes: Buffer.byteLength(text), items: Array.isArray(m.list) ? m.list.length : -1, ms: Date.now() - this.askedAt });
      else if (m.message === "patch") this.patches.push(Buffer.byteLength(text));
    });
    ws.on("close", (code) => (this.closeCode = code));
    ws.on("error", (e) => this.errors.push(String(e)));
    const ask = () => {
      this.askedAt = Date.now();
      ws.send(JSON.stringify({ id: `refresh-${this.replies.length}`, message: "refresh" }));
    };
    ask();
    this.timer = setInterval(ask, this.everyMs);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.ws?.close();
  }
}

/** The seed's Python client, run by tests/support/run_seed_python.py (websockets' default keepalive pings). */
export function seedPython(root: string, seedFile: string, url: string): { child: ChildProcess; updates: () => number; stderr: () => string; last: () => number } {
  const child = spawn("/usr/bin/python3", ["-u", `${root}/tests/support/run_seed_python.py`, seedFile, url], { stdio: ["ignore", "pipe", "pipe"] });
  let updates = 0;
  let last = 0;
  let err = "";
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        if ((JSON.parse(line) as { type?: string }).type === "sensor_update") {
          updates++;
          last = Date.now();
        }
      } catch {
        // a print of the client's own
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return { child, updates: () => updates, stderr: () => err, last: () => last };
}

export interface RawResult {
  readonly response: string;
  /** The server closed the connection. */
  readonly closedByServer: boolean;
  readonly ms: number;
  /** Bytes the client got written before the server closed. */
  readonly written: number;
}

/** Opens a TCP connection, writes `send` (or what `writer` writes), collects the answer until the server closes or `timeoutMs`. */
export function raw(port: number, send: (socket: Socket) => void, timeoutMs: number): Promise<RawResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, HOST);
    let response = "";
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const written = socket.bytesWritten;
      socket.destroy();
      resolve({ response, closedByServer, ms: Date.now() - started, written });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("data", (d) => (response += d.toString("latin1")));
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.on("connect", () => send(socket));
  });
}

/** GET with the key on a connection of its own, as curl would; the status and body. */
export function get(port: number, path: string, key?: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: HOST, port, path, agent: false, headers: key ? { Authorization: `Bearer ${key}` } : {}, timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (d) => (body += d));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end();
  });
}

/** A poller as a browser or a script would be one: curl every `everyMs`, on the bedside app
 *  (GET /, gzip and ETag) and the REST API (/api/status, /api/sensors/history). The heap
 *  figures /api/status reports are kept (what the firmware itself says of its XS heap). */
export class CurlPoller {
  readonly results: { path: string; status: number; bytes: number; ms: number }[] = [];
  readonly failures: string[] = [];
  /** [ms since start, memory.heap_total, memory.heap_free] from /api/status. */
  readonly heap: [number, number | null, number | null][] = [];
  lastHistoryReadings = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly t0 = Date.now();

  constructor(private readonly port: number, private readonly key: string, private readonly everyMs: number) {}

  start(): void {
    const paths = ["/", "/api/status", "/api/sensors/history?hours=1&interval=1"];
    let next = 0;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      const path = paths[next++ % paths.length];
      const t = Date.now();
      const body = path !== "/";
      const args = ["-s", "-o", body ? "-" : "/dev/null", "-w", "\n%{http_code} %{size_download}", "-m", "10", "--compressed", "-u", `any:${this.key}`, `http://${HOST}:${this.port}${path}`];
      execFile("curl", args, { maxBuffer: 1 << 20 }, (error, stdout) => {
        this.busy = false;
        const text = String(stdout);
        const cut = text.lastIndexOf("\n");
        const [code, size] = text.slice(cut + 1).split(" ").map(Number);
        if (error || code !== 200) this.failures.push(`${path}: ${error ? error.message : `HTTP ${code}`}`);
        this.results.push({ path, status: code || 0, bytes: size || 0, ms: Date.now() - t });
        // A curl that timed out (-m 10) after the status line has a cut body: one failure, not two.
        if (error || code !== 200 || !body) return;
        try {
          const data = (JSON.parse(text.slice(0, cut)) as { data: { memory?: { heap_total: number | null; heap_free: number | null }; readings?: unknown[] } }).data;
          if (data.memory) this.heap.push([Date.now() - this.t0, data.memory.heap_total, data.memory.heap_free]);
          if (data.readings) this.lastHistoryReadings = data.readings.length;
        } catch (e) {
          this.failures.push(`${path}: not JSON (${String(e)})`);
        }
      });
    }, this.everyMs);
  }

  summary(): { requests: number; ok: number; failures: string[]; slowestMs: number; historyReadings: number; restHeapTotal: { min: number; max: number; last: number } | null } {
    const late = this.heap.filter(([ms, total]) => ms >= 60_000 && total !== null).map(([, total]) => total as number);
    return {
      requests: this.results.length,
      ok: this.results.filter((r) => r.status === 200).length,
      failures: this.failures.slice(-5),
      slowestMs: Math.max(0, ...this.results.map((r) => r.ms)),
      historyReadings: this.lastHistoryReadings,
      restHeapTotal: late.length ? { min: Math.min(...late), max: Math.max(...late), last: late[late.length - 1] } : null,
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
