/**
 * A detached HTTP socket whose unread request headers were taken out at once and are
 * replayed to the WebSocket server. Needed because Moddable's WebSocket `attach` reads the
 * headers on a timer, and the simulator's socket (modules/network/socket/lin) keeps
 * received bytes only for the duration of its callback: what the HTTP server left unread
 * would be gone by then. On the ESP32 (lwIP keeps them) this changes nothing. Only the
 * handshake's reads (`read()`, `read(String, "\n")`) are served from the prefix; anything
 * else, and everything once it is used up, goes to the real socket.
 */
export class PrefetchedSocket {
  private prefix: string;
  /** Set by the WebSocket module; the real socket's events are forwarded to it. */
  callback: ((message: number, value?: unknown) => void) | undefined = undefined;

  constructor(private readonly socket: ModdableTcpSocket & { read(type?: unknown, until?: unknown): unknown; callback?: unknown }) {
    const available = socket.read() as number;
    this.prefix = available > 0 ? String(socket.read(String)) : "";
    socket.callback = (message: number, value?: unknown) => this.callback?.(message, value);
  }

  read(type?: unknown, until?: unknown): unknown {
    if (this.prefix.length > 0) {
      if (type === undefined) return this.prefix.length;
      if (type === String) {
        const end = typeof until === "string" ? this.prefix.indexOf(until) : -1;
        const line = end < 0 ? this.prefix : this.prefix.slice(0, end + until!.toString().length);
        this.prefix = this.prefix.slice(line.length);
        return line;
      }
    }
    return type === undefined ? this.socket.read() : this.socket.read(type, until);
  }

  write(...data: Array<string | number | ArrayBufferLike>): number | void {
    return data.length === 0 ? this.socket.write() : this.socket.write(...data);
  }

  close(): void {
    this.socket.close();
  }
}
