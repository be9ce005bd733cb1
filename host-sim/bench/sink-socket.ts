// A byte socket for allocation benches (no Node, runs on XS): the peer's bytes are fed from
// frames built once at set-up (never copied), and what the server writes is counted, not
// kept, so the socket itself allocates nothing per tick and the XS heap figures are the
// server's alone. The send window behaves as Moddable's: `writable()` is what is left, and
// it refills when the bench says the peer has read (`drainAll`).
import type { ByteSocket, ByteSocketAcceptor, ByteSocketHandler } from "../../src/net/byte-socket";

export class SinkSocket implements ByteSocket {
  handler: ByteSocketHandler | null = null;
  /** Bytes the peer sent that the server has not read yet (one at a time: feed waits for it). */
  private input: Uint8Array | null = null;
  private inputOffset = 0;
  private inFlight = 0;
  bytesWritten = 0;
  writes = 0;
  closedByServer = false;

  constructor(
    readonly remote: string,
    private readonly window = 8 * 1024,
  ) {}

  connect(acceptor: ByteSocketAcceptor): this {
    this.handler = acceptor.accept(this);
    return this;
  }

  read(into: Uint8Array): number {
    const input = this.input;
    if (input === null) return 0;
    const take = Math.min(into.length, input.length - this.inputOffset);
    for (let i = 0; i < take; i++) into[i] = input[this.inputOffset + i];
    this.inputOffset += take;
    if (this.inputOffset === input.length) this.input = null;
    return take;
  }

  writable(): number {
    return this.closedByServer ? 0 : this.window - this.inFlight;
  }

  write(bytes: Uint8Array): void {
    if (bytes.length > this.writable()) throw new Error(`write of ${bytes.length} bytes with only ${this.writable()} writable`);
    this.inFlight += bytes.length;
    this.bytesWritten += bytes.length;
    this.writes++;
  }

  close(): void {
    this.closedByServer = true;
  }

  /** The peer sends these bytes (kept by reference: build them once). */
  feed(bytes: Uint8Array): void {
    if (this.input !== null) throw new Error(`${this.remote}: the server has not read the previous input`);
    this.input = bytes;
    this.inputOffset = 0;
    this.handler?.readable(bytes.length);
  }

  /** The peer reads everything in flight, until nothing more comes. */
  drainAll(rounds = 100): void {
    for (let i = 0; i < rounds && this.inFlight > 0 && !this.closedByServer; i++) {
      this.inFlight = 0;
      this.handler?.writable(this.window);
    }
  }
}
