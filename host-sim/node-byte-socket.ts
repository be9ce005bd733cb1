// host-sim's binding of the platform-free server's byte socket (src/net/byte-socket.ts)
// to `node:net`: copies bytes, nothing more. The send window is emulated, so the server
// writes piecewise as on the device: 1 kB like Moddable's lin simulator, 8 kB like the
// ESP32. A peer's FIN ends the socket once its bytes are read, as on ECMA-419 sockets.
import { createServer, type Server, type Socket } from "node:net";
import type { ByteSocket, ByteSocketAcceptor, ByteSocketHandler } from "../src/net/byte-socket";

export interface NodeSocketOptions {
  /** Bytes `writable()` allows beyond what Node has not yet handed to the kernel. */
  readonly sendWindow: number;
  /** Received bytes held before the socket is paused (TCP back-pressure). */
  readonly readWindow?: number;
  /** A throw from the server's handler (it catches its own: this must never happen). */
  readonly onHandlerError?: (error: unknown) => void;
}

export class NodeByteSocket implements ByteSocket {
  readonly remote: string;
  private readonly received: Buffer[] = [];
  private offset = 0;
  private available = 0;
  private handler: ByteSocketHandler | null = null;
  private open = true;
  private reported = false;
  private peerEnded = false;
  private paused = false;
  private writableDue = false;
  private readonly readWindow: number;

  constructor(
    /** The Node socket (tests cork it to play a peer that stops reading). */
    readonly socket: Socket,
    private readonly options: NodeSocketOptions,
  ) {
    this.remote = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
    this.readWindow = options.readWindow ?? 16 * 1024;
  }

  /** The peer's local port (how a test finds the server side of its connection). */
  get peerPort(): number {
    return this.socket.remotePort ?? 0;
  }

  attach(handler: ByteSocketHandler): void {
    this.handler = handler;
    const socket = this.socket;
    socket.on("data", (chunk: Buffer) => {
      if (!this.open) return;
      this.received.push(chunk);
      this.available += chunk.length;
      if (this.available >= this.readWindow && !this.paused) {
        this.paused = true;
        socket.pause();
      }
      this.call(() => handler.readable(this.available));
    });
    socket.on("end", () => {
      this.peerEnded = true;
      if (this.available === 0) this.gone("peer closed");
    });
    socket.on("error", (error) => this.gone(error.message));
    socket.on("close", () => this.gone("connection closed"));
  }

  read(into: Uint8Array): number {
    let n = 0;
    while (n < into.length && this.received.length > 0) {
      const chunk = this.received[0];
      const take = Math.min(into.length - n, chunk.length - this.offset);
      into.set(chunk.subarray(this.offset, this.offset + take), n);
      n += take;
      this.offset += take;
      if (this.offset === chunk.length) {
        this.received.shift();
        this.offset = 0;
      }
    }
    this.available -= n;
    if (this.paused && this.available < this.readWindow / 2) {
      this.paused = false;
      this.socket.resume();
    }
    if (this.available === 0 && this.peerEnded) setImmediate(() => this.gone("peer closed"));
    return n;
  }

  writable(): number {
    if (!this.open || this.socket.destroyed) return 0;
    return Math.max(0, this.options.sendWindow - this.socket.writableLength);
  }

  write(bytes: Uint8Array): void {
    if (!this.open || this.socket.destroyed) return;
    // Buffer.from copies: the server reuses its buffer at once.
    this.socket.write(Buffer.from(bytes), () => this.drained());
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.reported = true;
    this.received.length = 0;
    this.available = 0;
    const socket = this.socket;
    // After what was written has gone: FIN, then the descriptor is released.
    socket.end(() => socket.destroy());
    setTimeout(() => socket.destroy(), 2000).unref();
  }

  private drained(): void {
    if (this.writableDue || !this.open) return;
    this.writableDue = true;
    setImmediate(() => {
      this.writableDue = false;
      const space = this.writable();
      if (space > 0 && this.handler) this.call(() => this.handler!.writable(space));
    });
  }

  private gone(reason: string): void {
    if (this.reported) return;
    this.reported = true;
    this.open = false;
    this.call(() => this.handler?.closed(reason));
    this.socket.destroy();
  }

  private call(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.options.onHandlerError?.(error);
    }
  }
}

export interface ByteSocketListener {
  readonly server: Server;
  readonly port: number;
  /** The open sockets, for tests and shutdown. */
  readonly sockets: ReadonlySet<NodeByteSocket>;
  close(): Promise<void>;
}

/** Listens on host:port (0: ephemeral) and hands every accepted socket to `acceptor`. */
export async function listenByteSockets(acceptor: ByteSocketAcceptor, host: string, port: number, options: NodeSocketOptions): Promise<ByteSocketListener> {
  const sockets = new Set<NodeByteSocket>();
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    socket.on("error", () => {});
    const byteSocket = new NodeByteSocket(socket, options);
    sockets.add(byteSocket);
    socket.once("close", () => sockets.delete(byteSocket));
    let handler: ByteSocketHandler;
    try {
      handler = acceptor.accept(byteSocket);
    } catch (error) {
      options.onHandlerError?.(error);
      socket.destroy();
      return;
    }
    byteSocket.attach(handler);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.socket.destroy();
      }),
  };
}
