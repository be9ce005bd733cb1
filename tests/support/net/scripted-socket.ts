// A byte socket driven by a script instead of a network (no Node, so it also runs on XS):
// the test feeds bytes in, lets the send window drain, and reads back every byte the
// server wrote. The window behaves as Moddable's: `writable()` is what is left of it,
// and it refills only when the test says the peer has read.
import type { ByteSocket, ByteSocketAcceptor, ByteSocketHandler } from "../../../src/net/byte-socket";

export class ScriptedSocket implements ByteSocket {
  readonly remote: string;
  handler: ByteSocketHandler | null = null;
  private input: Uint8Array[] = [];
  private inputOffset = 0;
  private inFlight = 0;
  /** Every byte written, in order (the first `writtenLength` bytes). */
  private written = new Uint8Array(4096);
  private writtenLength = 0;
  /** Each write's size, to see the pieces. */
  readonly writes: number[] = [];
  closedByServer = false;
  peerGone = false;

  constructor(
    private readonly window: number,
    remote = "10.0.0.2:50000",
  ) {
    this.remote = remote;
  }

  /** Accepts this socket on `acceptor`, as a listener would. */
  connect(acceptor: ByteSocketAcceptor): this {
    this.handler = acceptor.accept(this);
    return this;
  }

  // --- ByteSocket ---

  read(into: Uint8Array): number {
    let n = 0;
    while (n < into.length && this.input.length > 0) {
      const chunk = this.input[0];
      const take = Math.min(into.length - n, chunk.length - this.inputOffset);
      into.set(chunk.subarray(this.inputOffset, this.inputOffset + take), n);
      n += take;
      this.inputOffset += take;
      if (this.inputOffset === chunk.length) {
        this.input.shift();
        this.inputOffset = 0;
      }
    }
    return n;
  }

  writable(): number {
    return this.closedByServer || this.peerGone ? 0 : this.window - this.inFlight;
  }

  write(bytes: Uint8Array): void {
    if (bytes.length > this.writable()) throw new Error(`write of ${bytes.length} bytes with only ${this.writable()} writable`);
    if (this.writtenLength + bytes.length > this.written.length) {
      const grown = new Uint8Array(Math.max(this.written.length * 2, this.writtenLength + bytes.length));
      grown.set(this.written.subarray(0, this.writtenLength));
      this.written = grown;
    }
    this.written.set(bytes, this.writtenLength);
    this.writtenLength += bytes.length;
    this.writes.push(bytes.length);
    this.inFlight += bytes.length;
  }

  close(): void {
    this.closedByServer = true;
  }

  // --- the script ---

  /** The peer sends these bytes (one read event). */
  feed(bytes: Uint8Array | string): void {
    const data = typeof bytes === "string" ? Uint8Array.from(bytes, (c) => c.charCodeAt(0) & 0xff) : bytes;
    this.input.push(data.slice());
    this.handler?.readable(data.length);
  }

  /** The peer reads what is in flight: the window is free again. */
  drain(): void {
    if (this.inFlight === 0 || this.closedByServer || this.peerGone) return;
    this.inFlight = 0;
    this.handler?.writable(this.window);
  }

  /** Drains until nothing more comes (at most `rounds` times). */
  drainAll(rounds = 1000): void {
    for (let i = 0; i < rounds && this.inFlight > 0 && !this.closedByServer; i++) this.drain();
  }

  /** The peer closes (or the connection fails). */
  hangUp(): void {
    if (this.peerGone) return;
    this.peerGone = true;
    this.handler?.closed("peer closed");
  }

  /** Everything written so far, and forgets it. */
  take(): Uint8Array {
    const out = this.written.slice(0, this.writtenLength);
    this.writtenLength = 0;
    return out;
  }

  get unreadInput(): number {
    let n = 0;
    for (const c of this.input) n += c.length;
    return n - this.inputOffset;
  }
}
