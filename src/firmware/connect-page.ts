// GET / for now (the bedside app takes its place later): the one page open without the
// key. It carries no data and no secret, only how to connect.
import type { HttpRequest, HttpResponse, HttpRoute } from "../net/http-types";

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** What the page says about the key. */
export interface ConnectPageOptions {
  /** Where the key is to be found, e.g. "printed on the debug console at every boot". */
  readonly keyHint: string;
  /** Whether a key is configured (read at every request). */
  readonly required: boolean;
}

export function renderConnectPage(host: string, options: ConnectPageOptions): string {
  const h = esc(host || "<device address>");
  const key = options.required;
  const q = key ? "?api-key=&lt;key&gt;" : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IncuNest</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:48em}code{background:#eee;padding:0 .3em}li{margin:.3em 0}</style>
</head><body>
<h1>IncuNest incubator</h1>
${key ? `<p>Every data path needs the API key, ${esc(options.keyHint)}. Present it as <code>Authorization: Bearer &lt;key&gt;</code>, as Basic auth with the key as password (any user name), or as <code>?api-key=&lt;key&gt;</code> (browsers and Moddable clients: the query).</p>` : "<p>No API key is configured: every path is open.</p>"}
<ul>
<li>Live data and commands (WebSocket): <code>ws://${h}/ws${q}</code></li>
<li>Indigo feeds (WebSocket): <code>ws://${h}/v2/api/ws/device-feed${q}</code>, also <code>variable-feed</code>, <code>action-feed</code>, <code>page-feed</code>, <code>log-feed</code></li>
<li>Status page: <a href="/status">/status</a> (the browser asks for the key: any user name, the key as password) or <code>http://${h}/status${q}</code></li>
<li>Snapshot as JSON: <code>curl -H 'Authorization: Bearer &lt;key&gt;' http://${h}/status.json</code></li>
</ul>
</body></html>
`;
}

/** `/` and `/index.html`, GET and HEAD, without the key. */
export class ConnectPageRoute implements HttpRoute {
  /** `keys.required` says whether a key is configured (the server's KeyGuard). */
  constructor(
    readonly keyHint: string,
    private readonly keys: { readonly required: boolean },
  ) {}

  get required(): boolean {
    return this.keys.required;
  }

  handle(request: HttpRequest): HttpResponse | null {
    if (request.path !== "/" && request.path !== "/index.html") return null;
    if (request.method !== "GET" && request.method !== "HEAD") return { status: 405, headers: { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }, body: `only GET here, not ${request.method}\n` };
    return { status: 200, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }, body: renderConnectPage(request.headers["host"] ?? "", this) };
  }
}
