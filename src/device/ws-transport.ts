import { Server as WebSocketServer, type ServerConnection } from "websocket";
import type { Timers } from "../core/types";
import type { Connection, UpgradeRequest } from "../net/endpoint";
import { PrefetchedSocket } from "./prefetched-socket";
import { parseTarget, utf8Length } from "./request-target";

/** What the transport feeds for one accepted connection (the router's TransportSession). */
export interface SocketHandler {
  onMessage(text: string): void;
  onClose(): void;
}

/** The transport-neutral WebSocket router (src/net/router.ts) as the device transport sees it. */
export interface SocketRouter {
  routes(path: string): boolean;
  accept(transport: Connection, request: UpgradeRequest): SocketHandler;
}

/**
 * One Moddable WebSocket connection behind the transport-neutral Connection. Sends never
 * wait: Moddable's socket write would spin on a full lwIP send buffer (and throws when a
 * frame does not fit), so a frame that does not fit into the free send buffer is dropped
 * and reported (false) for the router's slow-client policy.
 */
class DeviceConnection implements Connection {
  private maxFree = 0;
  closed = false;

  constructor(
    private readonly ws: ServerConnection,
    private readonly timers: Timers,
  ) {}

  private free(): number {
    const socket = this.ws.socket;
    if (!socket) return 0;
    const free = socket.write() as number;
    if (free > this.maxFree) this.maxFree = free;
    return free;
  }

  get bufferedBytes(): number {
    const free = this.free();
    return Math.max(0, this.maxFree - free);
  }

  send(text: string): boolean {
    if (this.closed || !this.ws.socket) return false;
    const bytes = utf8Length(text);
    if (bytes > 0xffff) return false; // Moddable's websocket module writes no 64-bit lengths
    const header = bytes < 126 ? 2 : 4;
    if (this.free() < bytes + header) return false;
    try {
      this.ws.write(text);
      return true;
    } catch {
      return false;
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const socket = this.ws.socket;
    if (socket) {
      // Moddable's close() drops the TCP connection without a close frame; send one first
      // so the client sees the code (4000 not authorised, 1013 server full, ...).
      let text = reason;
      while (utf8Length(text) > 123) text = text.slice(0, -1);
      try {
        const reasonBytes = new Uint8Array(ArrayBuffer.fromString(text));
        const payload = new Uint8Array(2 + reasonBytes.length);
        payload[0] = (code >> 8) & 0xff;
        payload[1] = code & 0xff;
        payload.set(reasonBytes, 2);
        if (this.free() >= payload.length + 2) socket.write(0x88, payload.length, payload.buffer);
      } catch {
        // the peer is gone already
      }
    }
    // Not from inside the module's callback: it goes on reading the socket afterwards.
    this.timers.after(0, () => {
      try {
        this.ws.close();
      } catch {
        // already closed
      }
    });
  }
}

interface PendingUpgrade {
  readonly socket: ModdableTcpSocket;
  readonly request: UpgradeRequest;
}

/**
 * The WebSocket half of the device's single HTTP server: the HTTP server reads the request
 * line, and for a path the router serves it detaches the socket and hands it here
 * (Moddable's WebSocket server sees neither the path nor the headers, so routing and the
 * `?api-key=` check use the request line). After the handshake the router accepts or
 * closes the connection (4000 without a valid key).
 */
export class DeviceWebSockets {
  private readonly server = new WebSocketServer({ port: null } as never);
  private readonly pending: PendingUpgrade[] = [];
  private readonly handlers = new Map<ServerConnection, { connection: DeviceConnection; handler: SocketHandler | null; request: UpgradeRequest; early: string[] }>();

  constructor(
    private readonly router: SocketRouter,
    private readonly timers: Timers,
  ) {
    const self = this;
    // The typings give the callback no `this`; Moddable calls it on the connection.
    this.server.callback = function (this: unknown, message: number, value?: unknown) {
      self.event(this as ServerConnection, message, value);
    };
  }

  get open(): number {
    return this.handlers.size;
  }

  /** Takes a detached socket whose request line asked for `target`. */
  attach(detached: ModdableTcpSocket, target: string, remote: string): void {
    const { path, query } = parseTarget(target);
    const socket = new PrefetchedSocket(detached as ConstructorParameters<typeof PrefetchedSocket>[0]) as unknown as ModdableTcpSocket;
    this.pending.push({ socket, request: { path, query, remote } });
    this.server.attach(socket);
  }

  private event(ws: ServerConnection, message: number, value: unknown): void {
    switch (message) {
      case WebSocketServer.connect: {
        // attach() connects in order, on a timer each: the oldest pending upgrade is this one.
        const i = this.pending.findIndex((p) => p.socket === ws.socket);
        const upgrade = this.pending.splice(i < 0 ? 0 : i, 1)[0];
        if (upgrade) this.handlers.set(ws, { connection: new DeviceConnection(ws, this.timers), handler: null, request: upgrade.request, early: [] });
        return;
      }
      case WebSocketServer.handshake: {
        // The module still reads the socket after this callback returns: closing it here
        // (a refused key) would throw "read on closed socket". Accept on the next turn.
        const entry = this.handlers.get(ws);
        if (!entry) return;
        this.timers.after(0, () => {
          if (entry.connection.closed) return;
          entry.handler = this.router.accept(entry.connection, entry.request);
          for (const text of entry.early.splice(0)) if (!entry.connection.closed) entry.handler.onMessage(text);
        });
        return;
      }
      case WebSocketServer.receive: {
        const entry = this.handlers.get(ws);
        if (!entry || entry.connection.closed) return;
        const text = typeof value === "string" ? value : value instanceof ArrayBuffer ? String.fromArrayBuffer(value) : String(value);
        if (entry.handler) entry.handler.onMessage(text);
        else entry.early.push(text);
        return;
      }
      case WebSocketServer.disconnect: {
        const entry = this.handlers.get(ws);
        this.handlers.delete(ws);
        if (entry) {
          entry.connection.closed = true;
          entry.handler?.onClose();
        }
        return;
      }
      default:
        return; // subprotocol: none offered
    }
  }
}
