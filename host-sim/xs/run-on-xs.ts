/**
 * Runs firmware TypeScript on Moddable's XS engine (the engine of the device) from Node,
 * on the xsnap-worker that @agoric/xsnap builds, and reports XS's own compute meter and heap.
 *
 * How to use it:
 *
 *   1. Write an entry module that exports `run(input)`: a synchronous function taking
 *      and returning JSON-serialisable data. It may import anything from src/ and
 *      drivers/ and host-sim/sim-time.ts (nothing that needs Node: the bundle is built for
 *      a neutral platform, so a `node:*` import fails the build and names the module).
 *      Keep state between calls in module variables if you want several calls to
 *      continue one run (e.g. `{op: "advance", hours: 1}` then `{op: "tick"}`).
 *
 *        // tests/xs/entries/pid-once.ts
 *        export function run(input: { kp: number }) { return { out: computeSomething(input.kp) }; }
 *
 *   2. One-shot:
 *        const { results, meterCompute, heapBytes } = await runOnXS("tests/xs/entries/pid-once.ts", { input: { kp: 2 } });
 *      or a session for several calls on the same XS machine:
 *        const xs = await startXS("host-sim/bench/entries/tick.ts");
 *        try {
 *          await xs.call({ op: "advance", hours: 1 });
 *          const tick = await xs.call({ op: "tick" });   // tick.meterCompute = one tick's cost
 *        } finally { await xs.close(); }
 *
 *   3. Compare with Node by importing the same entry and calling `run` with the same input:
 *        const node = (await import("../../tests/xs/entries/pid-once")).run({ kp: 2 });
 *      Values travel back from XS as JSON, so compare against `JSON.parse(JSON.stringify(node))`.
 *
 * What the numbers mean:
 *   - meterCompute: XS's compute meter for the whole call (JSON decoding of the input,
 *     `run`, JSON encoding of the result): roughly one unit per bytecode executed plus
 *     extra for builtins by the size of their work. Deterministic: the same code on the
 *     same input always gives the same number, so it is a speed figure that does not
 *     depend on the machine or its load. Keep inputs and results small when measuring.
 *   - heapSlots: XS slots live after a full garbage collection run right after the call.
 *   - heapBytes: heapSlots × 16, the size those slots take on the ESP32 (32-bit XS: 16-byte
 *     slots). Strings and array buffers live in XS "chunks", not slots; allocateBytes
 *     is everything the XS machine has reserved for slots and chunks so far (on this 64-bit
 *     host; XS never gives it back, so it only shows growth).
 *   - snapshotBytes(): the size of an XS snapshot of the machine: every live slot and chunk.
 *     Use it beside heapSlots to see growth: an array's elements and a string's characters
 *     live in chunks, so an array that grows without bound leaves heapSlots unchanged.
 *   - Measuring does not disturb the heap: the collection after each call and the calls
 *     themselves go through `handleCommand` (an eval per call would not: XS keeps one slot
 *     per evaluated script).
 *
 * XS differences to keep in mind: no `console` (use the result to report), no timers,
 * no `structuredClone`; TextEncoder/TextDecoder exist in xsnap but not necessarily on
 * the device. A throw in `run` comes back as an Error in Node with XS's message.
 */
import { build } from "esbuild";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";

/** The size of one XS slot on the 32-bit ESP32. */
export const DEVICE_SLOT_BYTES = 16;

export interface XSCallResult<R = unknown> {
  /** What the entry's `run` returned, through JSON. */
  readonly results: R;
  readonly meterCompute: number;
  readonly heapSlots: number;
  readonly heapBytes: number;
  readonly allocateBytes: number;
  /** Slots live when the call returned, before the collection after it: minus the
   *  previous call's heapSlots, what the call allocated (if XS did not collect during it). */
  readonly slotsBeforeCollection: number;
}

export interface XSSession {
  call<R = unknown>(input?: unknown): Promise<XSCallResult<R>>;
  /**
   * The size of an XS snapshot of the machine (written to /dev/null, after XS's own full
   * collection): every live slot and every live chunk (string, array buffer, array storage)
   * in this 64-bit host's layout. Unlike heapSlots it also grows when strings do.
   */
  snapshotBytes(): Promise<number>;
  close(): Promise<void>;
}

const ENTRY_GLOBAL = "__xsEntry";

/** Bundles a TypeScript entry and everything it imports into one script XS can evaluate. */
export async function bundleForXS(entryPath: string): Promise<string> {
  const out = await build({
    entryPoints: [path.resolve(entryPath)],
    bundle: true,
    write: false,
    format: "iife",
    globalName: ENTRY_GLOBAL,
    platform: "neutral",
    target: "es2022",
    logLevel: "silent",
  });
  // XS's eval keeps top-level `var`s to the script: publish the entry explicitly.
  return `${out.outputFiles[0].text}\nglobalThis.${ENTRY_GLOBAL} = ${ENTRY_GLOBAL};\n`;
}

// The XS side of the protocol. Every request after loading goes through `handleCommand`
// (xsnap's "?" command), never through a fresh eval: XS keeps one heap slot for every script
// it evaluates, so an eval per call would show up as heap growth of one slot per call.
// First byte "c": one call of `run` with the JSON input that follows; "g": a full collection.
const HARNESS = `
globalThis.handleCommand = function (message) {
  const bytes = new Uint8Array(message);
  if (bytes.length === 1 && bytes[0] === 0x67 /* g */) {
    gc();
    return new ArrayBuffer(0);
  }
  let reply;
  try {
    if (bytes[0] !== 0x63 /* c */) throw new Error("harness: unknown request kind " + bytes[0]);
    const text = new TextDecoder().decode(bytes.subarray(1));
    const input = text.length ? JSON.parse(text) : undefined;
    if (typeof ${ENTRY_GLOBAL}.run !== "function") throw new Error("the XS entry exports no run(input) function");
    reply = { ok: true, value: ${ENTRY_GLOBAL}.run(input) };
  } catch (e) {
    reply = { ok: false, error: String(e), stack: e && e.stack ? String(e.stack) : "" };
  }
  return new TextEncoder().encode(JSON.stringify(reply)).buffer;
};
`;

interface XSReply {
  ok: boolean;
  value?: unknown;
  error?: string;
  stack?: string;
}

/** The xsnap-worker binary @agoric/xsnap built at install time. */
export function xsnapWorkerPath(): string {
  const platform = ({ Linux: "lin", Darwin: "mac" } as Record<string, string>)[os.type()];
  if (!platform) throw new Error(`xsnap has no worker for ${os.type()}`);
  const pkg = createRequire(import.meta.url).resolve("@agoric/xsnap/package.json");
  return path.join(path.dirname(pkg), "xsnap-native/xsnap/build/bin", platform, "release/xsnap-worker");
}

interface MeterUsage {
  compute?: number;
  allocate?: number;
  currentHeapCount?: number;
}

/**
 * The xsnap-worker wire protocol, as @agoric/xsnap's api speaks it: netstrings on fd 3
 * (to XS) and fd 4 (from XS); `e<code>` evaluates, `?<bytes>` calls `handleCommand`;
 * the answer is `.<meter JSON>\x01<reply>` or `!<error>`. Spoken directly here because
 * the package's JS wrapper needs SES globals (`assert`, `HandledPromise`) in the host realm.
 */
class XsnapWorker {
  private readonly child: ChildProcess;
  private readonly toXS: Writable;
  private buffer = Buffer.alloc(0);
  private waiting: { resolve: (m: Buffer) => void; reject: (e: Error) => void } | null = null;
  private queue: Buffer[] = [];
  private failure: Error | null = null;
  private stderr = "";

  constructor(name: string) {
    this.child = spawn(xsnapWorkerPath(), [name], {
      stdio: ["ignore", "ignore", "pipe", "pipe", "pipe", "ignore", "ignore", "ignore", "ignore"],
    });
    this.toXS = this.child.stdio[3] as Writable;
    const fromXS = this.child.stdio[4] as Readable;
    this.child.stderr?.on("data", (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString()).slice(-4000); });
    fromXS.on("data", (chunk: Buffer) => this.receive(chunk));
    this.toXS.on("error", (e) => this.fail(new Error(`writing to XS: ${e.message}`)));
    this.child.on("exit", (code, signal) => this.fail(new Error(`xsnap-worker exited (code ${code}, signal ${signal})${this.stderr ? `: ${this.stderr}` : ""}`)));
    this.child.on("error", (e) => this.fail(e));
  }

  private fail(e: Error): void {
    if (!this.failure) this.failure = e;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString("latin1"));
      if (!Number.isInteger(length)) return this.fail(new Error("xsnap protocol error: bad netstring length"));
      if (this.buffer.length < colon + 1 + length + 1) return;
      const message = this.buffer.subarray(colon + 1, colon + 1 + length);
      this.buffer = this.buffer.subarray(colon + 1 + length + 1);
      const w = this.waiting;
      this.waiting = null;
      if (w) w.resolve(message);
      else this.queue.push(message);
    }
  }

  /** Sends one request and waits for its answer (one request at a time). */
  async request(kind: "e" | "?" | "w", payload: string): Promise<{ reply: string; meter: MeterUsage }> {
    if (this.failure) throw this.failure;
    const body = Buffer.concat([Buffer.from(kind, "latin1"), Buffer.from(payload, "utf8")]);
    this.toXS.write(Buffer.concat([Buffer.from(`${body.length}:`, "latin1"), body, Buffer.from(",", "latin1")]));
    const message = this.queue.shift() ?? (await new Promise<Buffer>((resolve, reject) => { this.waiting = { resolve, reject }; }));
    if (message[0] === 0x21 /* ! */) throw new Error(`XS threw: ${message.subarray(1).toString("utf8")}`);
    if (message[0] !== 0x2e /* . */) throw new Error(`xsnap protocol error: unexpected answer ${JSON.stringify(message.subarray(0, 40).toString())}`);
    const separator = message.indexOf(1, 1);
    const meter = separator >= 0 ? (JSON.parse(message.subarray(1, separator).toString("utf8")) as MeterUsage) : {};
    return { reply: message.subarray(separator < 0 ? 1 : separator + 1).toString("utf8"), meter };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.toXS.end();
    await exited;
  }
}

/** Starts an XS machine with the bundled entry loaded. Close it when done. */
export async function startXS(entryPath: string): Promise<XSSession> {
  const script = await bundleForXS(entryPath);
  const worker = new XsnapWorker(`xs-${path.basename(entryPath)}`);
  try {
    await worker.request("e", script);
    await worker.request("e", HARNESS);
  } catch (e) {
    await worker.close();
    throw new Error(`XS could not load ${entryPath}: ${(e as Error).message}`);
  }
  return {
    async call<R>(input?: unknown): Promise<XSCallResult<R>> {
      const { reply, meter } = await worker.request("?", `c${input === undefined ? "" : JSON.stringify(input)}`);
      const parsed = JSON.parse(reply) as XSReply;
      if (!parsed.ok) throw new Error(`XS run(${JSON.stringify(input)}) threw: ${parsed.error}\n${parsed.stack ?? ""}`);
      // A collection of its own, so the call's compute figure does not include it.
      const after = await worker.request("?", "g");
      const heapSlots = after.meter.currentHeapCount ?? 0;
      return {
        results: parsed.value as R,
        meterCompute: meter.compute ?? 0,
        heapSlots,
        heapBytes: heapSlots * DEVICE_SLOT_BYTES,
        allocateBytes: after.meter.allocate ?? 0,
        slotsBeforeCollection: meter.currentHeapCount ?? 0,
      };
    },
    async snapshotBytes(): Promise<number> {
      const { reply } = await worker.request("w", "/dev/null");
      return Number(reply);
    },
    close: () => worker.close(),
  };
}

/** One call of the entry's `run(input)` on a fresh XS machine. */
export async function runOnXS<R = unknown>(entryPath: string, options: { input?: unknown } = {}): Promise<XSCallResult<R>> {
  const session = await startXS(entryPath);
  try {
    return await session.call<R>(options.input);
  } finally {
    await session.close();
  }
}
