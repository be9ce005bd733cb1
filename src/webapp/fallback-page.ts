// GET /status: the no-script fallback of the bedside app, for a browser without
// JavaScript. It shows data, so it needs the key: a browser without script cannot send a
// header, so it is asked for by the browser itself (Basic auth, the key as password).
import type { IncubatorApi, Snapshot } from "../core/api";
import type { HttpRequest, HttpResponse, HttpRoute } from "../net/http-types";

export const FALLBACK_PATH = "/status";

/** HTML-escaped, and ASCII only (other characters as references), so the byte length is
 *  the character length on every server. */
function esc(value: unknown): string {
  return String(value).replace(/[&<>"\u0080-\uffff]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : `&#${c.charCodeAt(0)};`));
}

function reading(value: number | null, unit: string, digits: number): string {
  return value === null ? "NO READING" : `${value.toFixed(digits)} ${unit}`;
}

function clock(s: Snapshot): string {
  return s.clockSet ? new Date(s.epochMs).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "not set";
}

export function renderFallbackPage(s: Snapshot): string {
  const mode = s.effectiveMode === s.mode ? s.mode : `${s.mode}, FALLEN BACK to ${s.effectiveMode} control`;
  const rows: Array<[string, string]> = [
    ["State", s.state],
    ["Mode", mode],
    ["Air", `${reading(s.air, "°C", 2)} (set ${s.setpoints.air.toFixed(1)})`],
    ["Skin", `${reading(s.skin, "°C", 2)} (set ${s.setpoints.skin.toFixed(1)})`],
    ["Humidity", `${reading(s.humidity, "%RH", 1)} (set ${s.setpoints.humidity.toFixed(0)})`],
    ["Heater / fan", `${s.heaterPercent.toFixed(0)} % / ${s.fanPercent.toFixed(0)} %`],
    ["Humidifier", s.humidifierOn ? "on" : "off"],
    ["Clock", clock(s)],
  ];
  const alarms = s.alarms.length === 0
    ? "<p>No active alarms.</p>"
    : `<ul>${s.alarms.map((a) => `<li><b>${esc(a.level)} ${esc(a.code)}</b>: ${esc(a.message)}${a.acknowledged ? " (acknowledged)" : ""}</li>`).join("")}</ul>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><meta name="viewport" content="width=device-width">
<title>IncuNest status</title><style>body{font:1.1em sans-serif;margin:1em}th{text-align:left;padding-right:1em}</style></head><body>
<h1>IncuNest</h1><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${esc(v)}</td></tr>`).join("")}</table>
<h2>Alarms</h2>${alarms}<p>Refreshed every 5 s. Read only: the bedside app at <a href="/">/</a> (JavaScript) has the controls.</p></body></html>
`;
}

export class FallbackPageRoute implements HttpRoute {
  constructor(private readonly api: Pick<IncubatorApi, "snapshot">) {}

  handle(request: HttpRequest): HttpResponse | null {
    if (request.path !== FALLBACK_PATH) return null;
    if (request.method !== "GET") return { status: 405, headers: { Allow: "GET", "Content-Type": "text/plain; charset=utf-8" }, body: "GET only\n" };
    if (!request.authorized) {
      return {
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="IncuNest", charset="UTF-8"', "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
        body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>IncuNest</title></head><body><p>The status page needs the API key: give any user name and the key as the password.</p></body></html>\n',
      };
    }
    return { status: 200, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }, body: renderFallbackPage(this.api.snapshot()) };
  }
}
