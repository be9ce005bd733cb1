// /status (HTML) and /status.json (the latest snapshot), both behind the API key. A
// browser asked for the key gets a Basic-auth prompt (any user name, the key as
// password); a program gets a JSON 401.
import type { Snapshot } from "../core/api";
import type { HttpRequest, HttpResponse, HttpRoute } from "../net/http-types";

const NO_STORE = "no-store";

export function unauthorisedHtml(): HttpResponse {
  return {
    status: 401,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": NO_STORE, "WWW-Authenticate": 'Basic realm="IncuNest", charset="UTF-8"' },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>IncuNest: key required</title></head><body><h1>API key required</h1><p>Log in with any user name and the API key as password, or add <code>?api-key=&lt;key&gt;</code> to the address. <a href="/">How to connect</a>.</p></body></html>\n',
  };
}

export function unauthorisedJson(): HttpResponse {
  return {
    status: 401,
    headers: { "Content-Type": "application/json", "Cache-Control": NO_STORE, "WWW-Authenticate": 'Bearer realm="IncuNest"' },
    body: '{"error":"API key required: Authorization: Bearer <key>, Basic auth with the key as password, or ?api-key=<key>"}\n',
  };
}

function methodNotAllowed(method: string): HttpResponse {
  return { status: 405, headers: { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }, body: `only GET here, not ${method}\n` };
}

/** What the status routes read: the latest snapshot and the rendered page. */
export interface StatusSource {
  snapshot(): Snapshot;
  statusPage(): string;
}

export class StatusRoutes implements HttpRoute {
  constructor(private readonly source: StatusSource) {}

  handle(request: HttpRequest): HttpResponse | null {
    const json = request.path === "/status.json";
    if (!json && request.path !== "/status") return null;
    if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed(request.method);
    if (!request.authorized) return json ? unauthorisedJson() : unauthorisedHtml();
    if (json) return { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": NO_STORE }, body: JSON.stringify(this.source.snapshot()) };
    return { status: 200, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": NO_STORE }, body: this.source.statusPage() };
  }
}
