// An ECMA-419 TCP socket that behaves like Moddable's lin simulator's
// (modules/io/socket/lin/tcp.c): a 1536-byte receive buffer the peer fills (the rest waits,
// as TCP back-pressure), `read(buffer)` that throws when asked for more than is readable,
// `write` that throws "would block" beyond the writable count, which refills to 1536 on
// the next task turn, and callbacks only from the task, never from inside a call.
import type { Ecma419Callbacks, Ecma419Tcp } from "../../../src/net/ecma419-socket";

const BUFFER = 1536;

export class FakeLinTcp implements Ecma419Tcp {
  readonly remoteAddress = "10.0.0.7";
  readonly remotePort = 40001;
  private readonly rx = new Uint8Array(BUFFER);
  private readable = 0;
  private writableCount = 0;
  private pendingIn: number[] = [];
  private out: number[] = [];
  closed = 0;
  private readableDue = false;
  private writableDue = true;

  constructor(private readonly callbacks: Ecma419Callbacks) {}

  // --- the socket, as the binding calls it ---

  read(into: Uint8Array): number | undefined {
    if (this.readable === 0) return undefined;
    if (into.length > this.readable) throw new Error("invalid");
    into.set(this.rx.subarray(0, into.length));
    this.rx.copyWithin(0, into.length, this.readable);
    this.readable -= into.length;
    return into.length;
  }

  write(bytes: Uint8Array): number {
    if (this.closed) throw new Error("write to closed socket");
    if (bytes.length > this.writableCount) throw new Error("would block");
    this.writableCount -= bytes.length;
    for (const b of bytes) this.out.push(b);
    if (this.writableCount < BUFFER) this.writableDue = true;
    return this.writableCount;
  }

  close(): void {
    this.closed++;
  }

  // --- the peer and the task ---

  /** The peer sends; what does not fit the receive buffer waits in the network. */
  send(bytes: Uint8Array | string): void {
    const data = typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes;
    for (const b of data) this.pendingIn.push(b);
  }

  /** One turn of tcpTask: refills the write space, takes in what fits, calls back. */
  task(): void {
    if (this.closed) return;
    if (this.writableDue) {
      this.writableDue = false;
      this.writableCount = BUFFER;
      this.callbacks.onWritable(BUFFER);
    }
    if (this.pendingIn.length > 0 && this.readable < BUFFER) {
      const n = Math.min(BUFFER - this.readable, this.pendingIn.length);
      this.rx.set(this.pendingIn.splice(0, n), this.readable);
      this.readable += n;
      this.readableDue = true;
    }
    if (this.readableDue && this.readable > 0) {
      this.readableDue = false;
      this.callbacks.onReadable(this.readable);
    }
  }

  fail(): void {
    this.callbacks.onError();
  }

  /** What the server wrote so far, and forgets it. */
  take(): Buffer {
    const b = Buffer.from(this.out);
    this.out = [];
    return b;
  }
}
