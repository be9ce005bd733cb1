// The transport-neutral contract between WebSocket servers (Node `ws` in host-sim,
// Moddable `http` + `websocket` on the device) and the protocols served over them.

/** One open WebSocket connection, as a protocol sees it. */
export interface Connection {
  /** Queues a text frame. Returns false when the frame was dropped because the peer is
   *  not reading (back-pressure); never blocks. */
  send(text: string): boolean;
  /** Sends a close frame with this code and reason, then drops the connection. */
  close(code: number, reason: string): void;
  /** Bytes queued and not yet written to the socket. */
  readonly bufferedBytes: number;
}

/** What the server knew of the upgrade request. Routing happens before the upgrade. */
export interface UpgradeRequest {
  /** The path without the query, e.g. "/ws" or "/v2/api/ws/device-feed". */
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** The Authorization header, where the transport passes headers on. */
  readonly authorization?: string;
  /** A label for the peer (address:port), for logs. */
  readonly remote: string;
}

/** A protocol's handling of one connection. */
export interface Session {
  onMessage(text: string): void;
  /** The connection is gone (close frame, error or dead peer). Called once. */
  onClose(): void;
}

/** A protocol served at one or more paths. */
export interface Endpoint {
  accepts(path: string): boolean;
  open(connection: Connection, request: UpgradeRequest): Session;
}
