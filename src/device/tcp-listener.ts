// The device's binding of the platform-free server's byte socket (src/net/byte-socket.ts)
// to Moddable's ECMA-419 TCP listener and socket (`embedded:io/socket/listener`,
// `embedded:io/socket/tcp`; lwip on the ESP32, lin/mac/win sockets in the simulator). It
// copies counts and bytes, nothing more. Every callback from the platform catches: an
// exception escaping a native callback aborts XS.
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import type { ByteSocket, ByteSocketAcceptor, ByteSocketHandler } from "../net/byte-socket";

export interface TcpListenerOptions {
  readonly port: number;
  readonly acceptor: ByteSocketAcceptor;
  /** Runs `work` on a later turn (a closed() found inside a write must not re-enter the server). */
  readonly defer: (work: () => void) => void;
  /** A throw that reached the binding (the server catches its own: a bug) or a failed socket call. */
  readonly report: (text: string) => void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class DeviceByteSocket implements ByteSocket {
  readonly remote: string;
  private tcp: TCP | null;
  private handler: ByteSocketHandler | null = null;
  /** What the platform last said is waiting to be read, less what was read since. */
  private readableBytes = 0;
  /** What the platform last said may be written, less what was written since. */
  private writableBytes = 0;

  constructor(
    accepted: TCP,
    private readonly options: TcpListenerOptions,
  ) {
    this.tcp = new TCP({
      from: accepted,
      format: "buffer",
      onReadable: (count: number) => this.onReadable(count),
      onWritable: (count: number) => this.onWritable(count),
      onError: () => this.onError(),
    });
    let remote = "?";
    try {
      remote = `${this.tcp.remoteAddress ?? "?"}:${this.tcp.remotePort ?? "?"}`;
    } catch {
      // the peer is gone already: onError follows
    }
    this.remote = remote;
  }

  attach(handler: ByteSocketHandler): void {
    this.handler = handler;
    if (this.writableBytes > 0) this.call("writable", () => handler.writable(this.writableBytes));
    if (this.readableBytes > 0) this.call("readable", () => handler.readable(this.readableBytes));
  }

  read(into: Uint8Array): number {
    const tcp = this.tcp;
    const n = Math.min(into.length, this.readableBytes);
    if (!tcp || n <= 0) return 0;
    try {
      // Moddable reads exactly the buffer's length and throws if fewer bytes are waiting.
      tcp.read(n === into.length ? into : into.subarray(0, n));
    } catch (e) {
      this.readableBytes = 0;
      this.options.report(`read from ${this.remote} failed: ${describe(e)}`);
      this.failLater("read failed");
      return 0;
    }
    this.readableBytes -= n;
    return n;
  }

  writable(): number {
    return this.tcp ? this.writableBytes : 0;
  }

  write(bytes: Uint8Array): void {
    const tcp = this.tcp;
    if (!tcp || bytes.length === 0) return;
    if (bytes.length > this.writableBytes) {
      this.options.report(`server wrote ${bytes.length} bytes to ${this.remote} with ${this.writableBytes} writable`);
      return;
    }
    try {
      // Moddable returns the bytes still writable (typed as void by ECMA-419).
      const left = tcp.write(bytes) as unknown;
      this.writableBytes = typeof left === "number" ? left : this.writableBytes - bytes.length;
    } catch (e) {
      this.writableBytes = 0;
      this.options.report(`write to ${this.remote} failed: ${describe(e)}`);
      this.failLater("write failed");
    }
  }

  close(): void {
    this.handler = null;
    this.dispose();
  }

  private onReadable(count: number): void {
    this.readableBytes = count;
    const handler = this.handler;
    if (handler) this.call("readable", () => handler.readable(count));
  }

  private onWritable(count: number): void {
    this.writableBytes = count;
    const handler = this.handler;
    if (handler) this.call("writable", () => handler.writable(count));
  }

  private onError(): void {
    this.fail("peer closed or connection failed");
  }

  private failLater(reason: string): void {
    this.options.defer(() => this.fail(reason));
  }

  private fail(reason: string): void {
    const handler = this.handler;
    this.handler = null;
    this.dispose();
    if (handler) this.call("closed", () => handler.closed(reason));
  }

  private dispose(): void {
    const tcp = this.tcp;
    this.tcp = null;
    this.readableBytes = 0;
    this.writableBytes = 0;
    if (!tcp) return;
    try {
      tcp.close();
    } catch {
      // closed already
    }
  }

  /** The one place a callback from the platform reaches the server. */
  private call(what: string, work: () => void): void {
    try {
      work();
    } catch (e) {
      this.options.report(`server threw from ${what} on ${this.remote}: ${describe(e)}`);
      this.handler = null;
      this.dispose();
    }
  }
}

/** Listens on `port` and hands every accepted connection to the acceptor. */
export function listenTcp(options: TcpListenerOptions): Listener {
  let listener: Listener | null = null;
  const accept = (): void => {
    for (;;) {
      let accepted: TCP | undefined;
      try {
        accepted = listener?.read();
      } catch (e) {
        options.report(`accept failed: ${describe(e)}`);
        return;
      }
      if (!accepted) return;
      let socket: DeviceByteSocket;
      try {
        socket = new DeviceByteSocket(accepted, options);
      } catch (e) {
        options.report(`cannot take a connection: ${describe(e)}`);
        try {
          accepted.close();
        } catch {
          // gone
        }
        continue;
      }
      try {
        socket.attach(options.acceptor.accept(socket));
      } catch (e) {
        options.report(`server refused a connection by throwing: ${describe(e)}`);
        socket.close();
      }
    }
  };
  listener = new Listener({
    port: options.port,
    onReadable: () => {
      try {
        accept();
      } catch (e) {
        options.report(`listener: ${describe(e)}`);
      }
    },
  });
  return listener;
}
