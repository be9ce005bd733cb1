// TEMPORARY, until the platform-free HTTP server (issue 10) serves host-sim: runs the
// platform-free HttpRoutes (src/net/http-types.ts) on Node's http server, pulling a
// streamed body as the socket drains. Authorisation as the server will decide it:
// Bearer, Basic with the key as password, or ?api-key=.
import type { IncomingMessage, ServerResponse } from "node:http";
import { keysEqual } from "../src/net/api-key";
import type { HttpBodySource, HttpRequest, HttpRoute } from "../src/net/http-types";

function presented(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization ?? "";
  const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    const text = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = text.indexOf(":");
    if (colon >= 0) return text.slice(colon + 1);
  }
  return url.searchParams.get("api-key");
}

function requestOf(req: IncomingMessage, url: URL, apiKey: string | null, body: string): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const key = presented(req, url);
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query,
    headers,
    body,
    remote: `${req.socket.remoteAddress ?? "?"}:${req.socket.remotePort ?? "?"}`,
    authorized: apiKey === null || apiKey === "" || (key !== null && keysEqual(key, apiKey)),
  };
}

function isSource(body: unknown): body is HttpBodySource {
  return typeof body === "object" && body !== null && typeof (body as HttpBodySource).next === "function";
}

/** Answers `req` from the first route that serves it; false when none does. */
export async function serveRoutes(routes: readonly HttpRoute[], req: IncomingMessage, res: ServerResponse, apiKey: string | null): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) break;
  }
  const request = requestOf(req, url, apiKey, body);
  for (const route of routes) {
    const response = await route.handle(request);
    if (!response) continue;
    const out = response.body;
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    if (typeof out === "string") headers["Content-Length"] = String(Buffer.byteLength(out));
    else if (out instanceof Uint8Array) headers["Content-Length"] = String(out.length);
    else if (isSource(out) && out.length !== undefined) headers["Content-Length"] = String(out.length);
    res.writeHead(response.status, headers);
    if (out === undefined || response.status === 304) return res.end(), true;
    if (!isSource(out)) return res.end(out), true;
    res.on("close", () => out.cancel?.());
    const pump = () => {
      for (;;) {
        const piece = out.next(1024);
        if (piece === null) return void res.end();
        if (!res.write(piece)) return void res.once("drain", pump);
      }
    };
    pump();
    return true;
  }
  return false;
}
