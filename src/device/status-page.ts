// GET / on the device: one glance at the incubator, refreshed every 2 s. ASCII only:
// Moddable's HTTP server counts the content length in characters.
import type { Snapshot } from "../core/api";
import type { NetworkStatus } from "./platform";

function esc(value: unknown): string {
  return String(value).replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

function num(value: number | null, unit: string, digits = 2): string {
  return value === null ? "-- (no valid reading)" : `${value.toFixed(digits)} ${unit}`;
}

export interface StatusExtras {
  readonly network: NetworkStatus;
  readonly clients: number;
  readonly hardware: string;
  readonly bootProblems: readonly string[];
}

export function renderStatusPage(s: Snapshot, x: StatusExtras): string {
  const rows: Array<[string, string]> = [
    ["State", s.state],
    ["Mode", s.effectiveMode === s.mode ? s.mode : `${s.mode} (fallen back to ${s.effectiveMode})`],
    ["Temperature setpoint", num(s.temperatureSetpoint, "&deg;C", 1)],
    ["Humidity setpoint", num(s.setpoints.humidity, "&#37;RH", 1)],
    ["Air", num(s.air, "&deg;C")],
    ["Skin", num(s.skin, "&deg;C")],
    ["Air probe (cut-out)", num(s.probeAir, "&deg;C")],
    ["Humidity", num(s.humidity, "&#37;RH", 1)],
    ["Heater / fan", `${s.heaterPercent.toFixed(0)} &#37; / ${s.fanPercent.toFixed(0)} &#37;${s.fanRpm === null ? "" : ` (${s.fanRpm.toFixed(0)} rpm)`}`],
    ["Humidifier", s.humidifierOn ? "on" : "off"],
    ["Alarms", s.alarms.length === 0 ? "none" : s.alarms.map((a) => esc(`${a.code} (${a.level}${a.acknowledged ? ", acknowledged" : ""})`)).join(", ")],
    ["Ticks / overruns / skipped", `${s.seq} / ${s.overruns} / ${s.skippedTicks}`],
    ["Clock", s.clockSet ? esc(new Date(s.epochMs).toISOString()) : "not set (waiting for SNTP)"],
    ["Network", esc(`${x.network.state}${x.network.ip ? ` at ${x.network.ip}` : ""}${x.network.accessPointOpen ? ", set-up access point open" : ""}`)],
    ["WebSocket clients", String(x.clients)],
    ["Hardware", esc(x.hardware)],
  ];
  const problems = x.bootProblems.length ? `<h2>At boot</h2><ul>${x.bootProblems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>IncuNest</title>
<style>body{font-family:sans-serif;margin:1em}td{padding:2px 12px 2px 0}</style></head><body><h1>IncuNest</h1>
<table>${rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join("")}</table>${problems}
<p>Live data: WebSocket <code>/ws?api-key=...</code>, Indigo feeds under <code>/v2/api/ws/</code>. <a href="/status.json">status.json</a> <a href="/setup">set-up</a></p></body></html>`;
}

export function renderSetupPage(message: string, needsKey: boolean): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>IncuNest set-up</title></head><body><h1>IncuNest set-up</h1>
${message ? `<p><b>${esc(message)}</b></p>` : ""}
<form method="post" action="/setup">
<p>Wi-Fi network <input name="ssid"> password <input name="password" type="password"></p>
<p>New API key (8-128 characters, optional) <input name="api_key"></p>
${needsKey ? '<p>Current API key <input name="current_key" type="password"></p>' : ""}
<p><button>Save</button></p></form></body></html>`;
}
