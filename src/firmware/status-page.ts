// GET /status (with the key): one glance at the incubator and the server, refreshed
// every 2 s. Deliberately small; the live view is any /ws client.
import type { Snapshot } from "../core/api";
import type { HttpServerStats } from "../net/http-server";
import type { ServerLimits } from "../net/limits";
import type { RouterStats } from "../net/router";

export interface StatusExtras {
  /** "host-sim" or "device", for the title. */
  readonly platform: string;
  readonly wsPath: string;
  readonly connections: RouterStats;
  readonly limits: ServerLimits;
  readonly http: HttpServerStats;
  /** Rows the platform adds (network, hardware, boot problems). */
  readonly rows: readonly (readonly [string, string])[];
}

function esc(value: unknown): string {
  return String(value).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

function fmt(value: number | null, unit: string, digits = 2): string {
  return value === null ? "— (no valid reading)" : `${value.toFixed(digits)} ${unit}`;
}

export function renderStatusPage(s: Snapshot, x: StatusExtras): string {
  const rows: (readonly [string, string])[] = [
    ["State", s.state],
    ["Mode", s.effectiveMode === s.mode ? s.mode : `${s.mode} (fallen back to ${s.effectiveMode})`],
    ["Temperature setpoint", `${s.temperatureSetpoint.toFixed(1)} °C`],
    ["Humidity setpoint", `${s.setpoints.humidity.toFixed(1)} %RH`],
    ["Air", fmt(s.air, "°C")],
    ["Skin", fmt(s.skin, "°C")],
    ["Air probe (cut-out)", fmt(s.probeAir, "°C")],
    ["Humidity", fmt(s.humidity, "%RH", 1)],
    ["Heater", `${s.heaterPercent.toFixed(0)} %`],
    ["Fan", `${s.fanPercent.toFixed(0)} %${s.fanRpm === null ? "" : ` (${s.fanRpm.toFixed(0)} rpm)`}`],
    ["Humidifier", s.humidifierOn ? "on" : "off"],
    ["Active alarms", s.alarms.length === 0 ? "none" : s.alarms.map((a) => `${a.code} (${a.level}${a.acknowledged ? ", acknowledged" : ""})`).join(", ")],
    ["Control ticks / overruns", `${s.seq} / ${s.overruns}`],
    ["WebSocket clients", `${x.connections.open} of ${x.limits.maxConnections}`],
    ["HTTP connections", String(x.http.httpSockets)],
    ...x.rows,
  ];
  const c = x.connections;
  const h = x.http;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>IncuNest (${esc(x.platform)})</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}td{padding:.2em 1em .2em 0}th{text-align:left;padding-right:1em}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>IncuNest (${esc(x.platform)})</h1>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>
<p>WebSocket API: <code>ws://&lt;this host&gt;${esc(x.wsPath)}?api-key=&lt;key&gt;</code>; snapshot as JSON: <a href="/status.json">/status.json</a>.</p>
<p><small>WebSocket connections accepted ${c.accepted}; refused: server full ${c.refusedFull}, bad key ${c.refusedAuth}; sensor updates dropped for slow readers ${c.droppedFrames}; closed by the server: too big ${c.closed.too_big}, invalid frames ${c.closed.invalid_frame}, flood ${c.closed.flood}, not reading ${c.closed.dead_reader}, idle ${c.closed.idle}, protocol ${c.closed.protocol}, internal error ${c.closed.internal_error}.
HTTP sockets accepted ${h.accepted}; refused busy ${h.refusedBusy}; evicted idle ${h.evicted}; timed out ${h.timeouts}; refused requests ${h.refused}; internal errors ${h.errors}; WebSocket pings answered ${h.pingsAnswered}.</small></p>
</body></html>
`;
}
