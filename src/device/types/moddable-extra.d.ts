// Declarations where @moddable/typings 5.6 lags the Moddable SDK modules this firmware
// uses (checked against the SDK's modules/network/http/http.js, websocket/websocket.js,
// socket/lwip/modSocket.c, sntp/sntp.js and wifi).

/** A connected TCP socket of Moddable's `socket` module (not exported by the typings). */
interface ModdableTcpSocket {
  /** Without arguments: the bytes that can be written now without waiting. */
  write(): number;
  /** Writes strings, bytes (numbers) and buffers; throws if they do not all fit. */
  write(...data: Array<string | number | ArrayBufferLike>): void;
  close(): void;
}

declare module "http" {
  interface Server {
    /** Takes the request's socket away from the HTTP server (after the request line has
     *  been read; the headers are still unread), for a WebSocket server to `attach`. */
    detach(request: object): ModdableTcpSocket;
  }
}

declare module "websocket" {
  /** One server-side connection: the `this` of every server callback. */
  interface ServerConnection {
    write(message: string | ArrayBuffer): void;
    close(): void;
    /** The TCP socket; absent once closed. */
    socket?: ModdableTcpSocket;
  }
  interface Server {
    /** Continues the WebSocket handshake on a socket detached from the HTTP server. */
    attach(socket: ModdableTcpSocket): void;
  }
}
