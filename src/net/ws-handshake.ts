// The WebSocket opening handshake, server side (RFC 6455 §4.2): the upgrade request
// checked in full, the accept key, and the refusals a client can act on.
import { base64Decode, base64Encode } from "./base64";
import { sha1 } from "./sha1";
import { encodeUtf8 } from "./utf8";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** Sec-WebSocket-Accept for a client's Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return base64Encode(sha1(encodeUtf8(key + GUID)));
}

/** What the handshake needs of a parsed request. */
export interface HandshakeRequest {
  readonly method: string;
  /** "HTTP/1.1" */
  readonly version: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

export type HandshakeResult =
  | { readonly ok: true; readonly accept: string }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly headers: Readonly<Record<string, string>> };

/** Whether a comma-separated header value lists `token` (case-insensitive). */
export function headerHasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  for (const part of value.split(",")) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/** Whether the request asks for a WebSocket at all (an Upgrade header naming websocket). */
export function wantsWebSocket(request: HandshakeRequest): boolean {
  return headerHasToken(request.headers["upgrade"], "websocket");
}

/** Checks an upgrade request to a WebSocket path; what to answer if it is not one. */
export function checkHandshake(request: HandshakeRequest, path: string): HandshakeResult {
  const how = `${path} is a WebSocket endpoint: connect with a WebSocket client (ws://<host>${path}?api-key=<key>)`;
  const upgrade = { Upgrade: "websocket", Connection: "Upgrade" };
  if (request.method !== "GET") return { ok: false, status: 405, message: `${how}; the handshake is a GET, not ${request.method}`, headers: { Allow: "GET" } };
  if (!wantsWebSocket(request)) return { ok: false, status: 426, message: `${how}; this request has no "Upgrade: websocket" header`, headers: upgrade };
  if (request.version !== "HTTP/1.1") return { ok: false, status: 400, message: `${how}; the handshake needs HTTP/1.1, not ${request.version}`, headers: {} };
  if (!headerHasToken(request.headers["connection"], "upgrade")) return { ok: false, status: 400, message: `${how}; the request has no "Connection: Upgrade" header`, headers: upgrade };
  const version = request.headers["sec-websocket-version"];
  if (version === undefined || version.trim() !== "13") {
    const given = version === undefined ? "none" : JSON.stringify(version.slice(0, 20));
    return { ok: false, status: 426, message: `${how}; unsupported Sec-WebSocket-Version ${given}: this server speaks version 13 (RFC 6455)`, headers: { "Sec-WebSocket-Version": "13", ...upgrade } };
  }
  const key = request.headers["sec-websocket-key"]?.trim();
  const decoded = key === undefined ? null : base64Decode(key);
  if (key === undefined || decoded === null || decoded.length !== 16) {
    return { ok: false, status: 400, message: `${how}; Sec-WebSocket-Key must be 16 random bytes in base64 (24 characters), got ${key === undefined ? "none" : JSON.stringify(key.slice(0, 40))}`, headers: {} };
  }
  return { ok: true, accept: acceptKey(key) };
}

/** The 101 response head. No subprotocol or extension is agreed (none is offered). */
export function switchingProtocols(accept: string): string {
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
}
