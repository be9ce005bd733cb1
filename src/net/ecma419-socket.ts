// The byte socket over an ECMA-419 TCP socket (Moddable's `embedded:io/socket/tcp`,
// buffer format): what the device binding would otherwise have to get right itself.
// Moddable's `read(buffer)` throws when asked for more than is readable and `write`
// throws when given more than is writable, so both counts are tracked here from the
// callbacks and the return values. The binding only constructs the socket:
//
//   new Listener({ port, onReadable(count) {
//     while (count-- > 0) acceptEcma419(server.http, (callbacks) => new TCP({ from: this.read(), ...callbacks }));
//   } });
import type { ByteSocket, ByteSocketAcceptor, ByteSocketHandler } from "./byte-socket";

/** What the server uses of an ECMA-419 TCP socket. */
export interface Ecma419Tcp {
  /** Reads exactly `into.byteLength` bytes (no more than are readable). */
  read(into: Uint8Array): unknown;
  /** Writes all of `bytes` (no more than are writable); returns the bytes still writable. */
  write(bytes: Uint8Array): unknown;
  close(): void;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}

/** The callbacks to construct the platform's socket with. */
export interface Ecma419Callbacks {
  onReadable(count: number): void;
  onWritable(count: number): void;
  onError(): void;
}

class Ecma419ByteSocket implements ByteSocket, Ecma419Callbacks {
  tcp: Ecma419Tcp | null = null;
  handler: ByteSocketHandler | null = null;
  remote = "?";
  private readable = 0;
  private space = 0;
  private open = true;

  constructor(private readonly report: (text: string) => void) {}

  // --- from the platform (an exception escaping a native callback aborts XS) ---

  onReadable(count: number): void {
    this.readable = count;
    const h = this.handler;
    if (h === null) return; // not accepted yet: the counts are kept for then
    try {
      h.readable(count);
    } catch (error) {
      this.reportThrow(error);
    }
  }

  onWritable(count: number): void {
    this.space = count;
    const h = this.handler;
    if (h === null) return;
    try {
      h.writable(count);
    } catch (error) {
      this.reportThrow(error);
    }
  }

  onError(): void {
    if (!this.open) return;
    this.open = false;
    this.readable = 0;
    this.space = 0;
    const h = this.handler;
    if (h === null) return;
    try {
      h.closed("connection failed or closed by the peer");
    } catch (error) {
      this.reportThrow(error);
    }
  }

  // Each callback calls its handler itself: a closure handed to a shared caller would be
  // made at every callback (the writable one comes about 4 times a second a connection).
  private reportThrow(error: unknown): void {
    this.report(`socket binding: ${String(error)}`);
  }

  /** Hands on what arrived before the server took the socket. */
  started(): void {
    if (this.readable > 0) this.onReadable(this.readable);
    if (this.space > 0) this.onWritable(this.space);
  }

  // --- ByteSocket ---

  read(into: Uint8Array): number {
    const n = Math.min(this.readable, into.length);
    if (!this.open || n <= 0 || this.tcp === null) return 0;
    this.tcp.read(n === into.length ? into : into.subarray(0, n));
    this.readable -= n;
    return n;
  }

  writable(): number {
    return this.open ? this.space : 0;
  }

  write(bytes: Uint8Array): void {
    if (!this.open || this.tcp === null || bytes.length === 0) return;
    if (bytes.length > this.space) throw new Error(`write of ${bytes.length} bytes with ${this.space} writable`);
    const left = this.tcp.write(bytes);
    this.space = typeof left === "number" ? left : this.space - bytes.length;
  }

  close(): void {
    const tcp = this.tcp;
    if (tcp === null) return;
    this.open = false;
    this.tcp = null;
    try {
      tcp.close();
    } catch {
      // closed already
    }
  }
}

/**
 * Accepts one connection: `construct` makes the platform's socket with the callbacks given
 * (`new TCP({ from: listener.read(), ...callbacks })`); the server gets it as a ByteSocket.
 * Never throws: a socket that cannot be made or taken is closed and reported.
 */
export function acceptEcma419(acceptor: ByteSocketAcceptor, construct: (callbacks: Ecma419Callbacks) => Ecma419Tcp, report: (text: string) => void = () => {}): void {
  const socket = new Ecma419ByteSocket(report);
  try {
    const tcp = construct({
      onReadable: (count) => socket.onReadable(count),
      onWritable: (count) => socket.onWritable(count),
      onError: () => socket.onError(),
    });
    socket.tcp = tcp;
    socket.remote = `${tcp.remoteAddress ?? "?"}:${tcp.remotePort ?? "?"}`;
    socket.handler = acceptor.accept(socket);
    socket.started();
  } catch (error) {
    report(`socket binding: accepting a connection failed: ${String(error)}`);
    socket.close();
  }
}
