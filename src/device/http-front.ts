import { Server as HTTPServer } from "http";
import type { Snapshot } from "../core/api";
import { parseTarget } from "./request-target";
import type { DeviceWebSockets } from "./ws-transport";

export interface HttpResponse {
  readonly status?: number;
  readonly headers?: string[];
  readonly body: string;
}

export interface HttpFrontOptions {
  readonly port: number;
  readonly websockets: DeviceWebSockets;
  /** Whether the WebSocket router serves this path. */
  readonly routes: (path: string) => boolean;
  readonly snapshot: () => Snapshot;
  readonly statusPage: () => string;
  /** GET and POST /setup: the form, and the saved answer (form-encoded body). */
  readonly setup: (method: string, query: Record<string, string>, body: string | null) => HttpResponse;
  readonly log: (text: string) => void;
}

/** Request bodies larger than this are refused (the set-up form is a few hundred bytes). */
const MAX_BODY_BYTES = 2048;

interface RequestState {
  target: string;
  method: string;
  length: number;
  body: string | null;
  /** The response body still to send (ASCII), streamed as socket space allows. */
  out: string;
}

/** Moddable's HTTP server counts the content length in characters and writes a one-shot
 *  body in one socket write, which throws when it exceeds the free send buffer: bodies go
 *  out as ASCII (other characters as HTML/JSON escapes), in fragments. */
function ascii(text: string, json: boolean): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => (json ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : `&#${c.charCodeAt(0)};`));
}

/**
 * The device's single HTTP server. WebSocket paths are routed here, on the request line,
 * and their sockets handed to the WebSocket server (detach/attach); `/` is the status
 * page, `/status.json` the latest snapshot, `/setup` Wi-Fi and API key set-up.
 */
export function startHttpFront(options: HttpFrontOptions): HTTPServer {
  const server = new HTTPServer({ port: options.port });
  const requests = new WeakMap<object, RequestState>();
  // Moddable also accepts `String` from headersComplete (receive the body as a string),
  // which the typings' callback type does not allow: hence the cast.
  server.callback = function (this: object, message: number, value?: unknown, etc?: unknown) {
    const request: object = this;
    switch (message) {
      case HTTPServer.status: {
        const target = String(value);
        const method = String(etc);
        const { path } = parseTarget(target);
        if (method === "GET" && options.routes(path)) {
          const socket = server.detach(request);
          options.websockets.attach(socket, target, "client");
          return undefined;
        }
        requests.set(request, { target, method, length: 0, body: null, out: "" });
        return undefined;
      }
      case HTTPServer.header: {
        const state = requests.get(request);
        if (state && value === "content-length") state.length = parseInt(String(etc), 10) || 0;
        return undefined;
      }
      case HTTPServer.headersComplete: {
        const state = requests.get(request);
        if (!state || state.method !== "POST" || state.length > MAX_BODY_BYTES) return false; // ignore the body
        return String;
      }
      case HTTPServer.requestComplete: {
        const state = requests.get(request);
        if (state && typeof value === "string") state.body = value;
        return undefined;
      }
      case HTTPServer.prepareResponse: {
        const state = requests.get(request);
        if (!state) return { status: 400, body: "bad request" };
        const response = respond(options, state);
        const json = (response.headers ?? []).some((h) => h.startsWith("application/json"));
        state.out = ascii(response.body, json);
        return { status: response.status ?? 200, headers: [...(response.headers ?? ["Content-Type", "text/plain"]), "Content-Length", String(state.out.length)], body: true };
      }
      case HTTPServer.responseFragment: {
        const state = requests.get(request);
        if (!state || state.out.length === 0) return undefined;
        const room = Math.max(1, Number(value));
        const chunk = state.out.slice(0, room);
        state.out = state.out.slice(chunk.length);
        return chunk;
      }
      case HTTPServer.responseComplete:
        requests.delete(request);
        return undefined;
      case HTTPServer.error:
        requests.delete(request);
        return undefined;
      default:
        return undefined;
    }
  } as unknown as typeof server.callback;
  return server;
}

function respond(options: HttpFrontOptions, state: RequestState): HttpResponse {
  const { path, query } = parseTarget(state.target);
  const html = ["Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store"];
  if (state.method === "POST" && state.length > MAX_BODY_BYTES) return { status: 413, body: `request body over ${MAX_BODY_BYTES} bytes` };
  if (path === "/" || path === "/index.html") {
    if (state.method !== "GET") return { status: 405, headers: ["Allow", "GET"], body: "only GET here" };
    return { headers: html, body: options.statusPage() };
  }
  if (path === "/status.json") {
    return { headers: ["Content-Type", "application/json", "Cache-Control", "no-store"], body: JSON.stringify(options.snapshot()) };
  }
  if (path === "/setup") {
    if (state.method !== "GET" && state.method !== "POST") return { status: 405, headers: ["Allow", "GET, POST"], body: "only GET and POST here" };
    const r = options.setup(state.method, query, state.method === "POST" ? state.body ?? "" : null);
    return { status: r.status, headers: r.headers ?? html, body: r.body };
  }
  if (options.routes(path)) return { status: 426, headers: ["Upgrade", "websocket"], body: `${path} is a WebSocket endpoint` };
  return { status: 404, body: `nothing at ${path}` };
}
