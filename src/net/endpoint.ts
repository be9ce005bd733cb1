// The transport-neutral contract between WebSocket servers (Node `ws` in host-sim,
// Moddable `http` + `websocket` on the device) and the protocols served over them.
//
// A transport asks the router (src/net/router.ts) whether a path is served before the
// upgrade, hands it every accepted connection, and feeds the returned TransportSession
// with frames, pongs and the close. Protocols (Endpoint/Session) only ever see the
// router's guarded Connection, never the transport's.

/** One open WebSocket connection, as a protocol sees it. */
export interface Connection {
  /** Queues a text frame; never blocks. Returns false when the frame was not queued.
   *  `droppable` frames (e.g. periodic sensor updates, superseded by the next one) are
   *  dropped while the peer is slow to read; other frames are queued until the peer
   *  counts as dead, and then the connection is closed. Transports ignore the flag:
   *  the router's guarded connection applies the policy. */
  send(text: string, droppable?: boolean): boolean;
  /** Sends a close frame with this code and reason, then drops the connection (a peer
   *  that does not answer the close in a short time is cut off). */
  close(code: number, reason: string): void;
  /** Bytes queued and not yet written to the socket. */
  readonly bufferedBytes: number;
  /** Sends a WebSocket ping, where the transport can; the answer arrives as
   *  TransportSession.onPong. Transports without it rely on the peer's own traffic. */
  ping?(): void;
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
  /** A message was refused by a server limit (the message rate) and not handled; the
   *  protocol may answer in its own error format. `reason` says which limit. */
  onRefused?(reason: string, text: string): void;
}

/** A protocol served at one or more paths. */
export interface Endpoint {
  accepts(path: string): boolean;
  open(connection: Connection, request: UpgradeRequest): Session;
}

/** What the router gives a transport for one accepted connection. */
export interface TransportSession {
  /** One complete text frame (binary frames are passed on decoded as UTF-8). */
  onMessage(text: string): void;
  /** The peer answered a ping. */
  onPong(): void;
  /** The connection is gone, for whatever reason. Safe to call more than once. */
  onClose(): void;
  /** The transport refused what the peer sent and is closing with `code` (1002 protocol
   *  error, 1007 invalid UTF-8, 1009 too big), for the router's counters and log. */
  onProtocolError?(code: number, reason: string): void;
}
