// The byte stream the platform-free HTTP and WebSocket server runs on. Shaped after
// ECMA-419's TCP socket (Moddable's `embedded:io/socket/tcp`), which the device binds
// directly; host-sim binds `node:net` sockets to it. Nothing here may throw into the
// platform: the server catches at the connection.

/** One accepted TCP connection, as the server drives it. */
export interface ByteSocket {
  /** Copies up to `into.length` received bytes into `into`; returns how many (0: none waiting). */
  read(into: Uint8Array): number;
  /** Bytes that `write` accepts now without blocking. */
  writable(): number;
  /** Queues bytes for sending; the caller never passes more than `writable()`. */
  write(bytes: Uint8Array): void;
  /** Closes the connection (after what was written has gone, where the platform can). */
  close(): void;
  /** The peer, "address:port", for logs and per-client limits. */
  readonly remote: string;
}

/** What the server gives the platform for one accepted socket; the platform calls it. */
export interface ByteSocketHandler {
  /** `count` bytes have arrived and can be read. */
  readable(count: number): void;
  /** Send space has been freed: `count` bytes are writable now. */
  writable(count: number): void;
  /** The peer closed or the connection failed. Called once; the socket is unusable after. */
  closed(reason: string): void;
}

/** The server's side of a listener: the platform hands it every accepted socket. */
export interface ByteSocketAcceptor {
  accept(socket: ByteSocket): ByteSocketHandler;
}
