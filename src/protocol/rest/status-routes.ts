// GET /api/status, /api/sensors and /api/sensors/history.
import type { Snapshot } from "../../core/api";
import { TrendCursor } from "../../logs/trend-cursor";
import type { TrendRecordView } from "../../logs/trend-record";
import { isoUtc } from "../iso-time";
import { jsonResponse, ok } from "./envelope";
import type { HttpRequest, HttpResponse } from "../../net/http-types";
import { restRoute, type RestContext, type RestRoute } from "./rest-context";
import { queryInt } from "./request-input";
import { asciiJson, textStream } from "./text-stream";

function round(value: number | null, scale: number): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * scale) / scale;
}

function channel(value: number | null, unit: string, sensor: string, scale: number) {
  return { value: round(value, scale), unit, sensor, valid: value !== null };
}

export function sensorsData(s: Snapshot) {
  return {
    timestamp: isoUtc(s.epochMs),
    temperature: {
      ambient: channel(s.air, "celsius", "SHT31", 100),
      skin: channel(s.skin, "celsius", "DS18B20", 100),
      /** The independent outlet probe (over-temperature cut-out channel). */
      outlet: channel(s.probeAir, "celsius", "DS18B20", 100),
    },
    humidity: channel(s.humidity, "percent", "SHT31", 10),
    fan: { rpm: round(s.fanRpm, 1), valid: s.fanRpm !== null },
  };
}

/** Averages the minutes of each `interval` into one reading, streamed. */
class HistoryReadings {
  private bucket = -1;
  private n = 0;
  private airSum = 0;
  private airN = 0;
  private humSum = 0;
  private humN = 0;
  private skinSum = 0;
  private skinN = 0;
  private setpoint = 0;
  private done = false;

  constructor(
    private readonly cursor: TrendCursor,
    private readonly startS: number,
    private readonly endS: number,
    private readonly intervalS: number,
  ) {}

  nextItem(): string | null {
    while (!this.done) {
      const r = this.cursor.next();
      if (r === null) {
        this.done = true;
        return this.emit();
      }
      if (r.ts < this.startS || r.ts > this.endS) continue;
      const bucket = Math.floor(r.ts / this.intervalS);
      let out: string | null = null;
      if (bucket !== this.bucket && this.n > 0) out = this.emit();
      this.add(r, bucket);
      if (out !== null) return out;
    }
    return null;
  }

  private add(r: TrendRecordView, bucket: number): void {
    this.bucket = bucket;
    this.n++;
    const air = r.air;
    const hum = r.humidity;
    const skin = r.skin;
    if (air !== null) {
      this.airSum += air;
      this.airN++;
    }
    if (hum !== null) {
      this.humSum += hum;
      this.humN++;
    }
    if (skin !== null) {
      this.skinSum += skin;
      this.skinN++;
    }
    this.setpoint = r.setTemperature;
  }

  private emit(): string | null {
    if (this.n === 0) return null;
    const text = asciiJson({
      timestamp: isoUtc(this.bucket * this.intervalS * 1000),
      temperature: this.airN ? round(this.airSum / this.airN, 100) : null,
      humidity: this.humN ? round(this.humSum / this.humN, 10) : null,
      skin_temperature: this.skinN ? round(this.skinSum / this.skinN, 100) : null,
      setpoint: this.setpoint,
      samples: this.n,
    });
    this.n = this.airN = this.humN = this.skinN = 0;
    this.airSum = this.humSum = this.skinSum = 0;
    return text;
  }
}

function getStatus(c: RestContext): HttpResponse {
  const o = c.options;
  const memory = o.system.memory.read();
  const wifi = o.system.wifi();
  return ok({
    device_id: o.system.deviceId,
    firmware_version: o.system.firmwareVersion,
    hardware_version: o.system.hardwareVersion,
    uptime: Math.floor(o.system.uptimeS()),
    state: o.api.snapshot().state,
    wifi: { connected: wifi.connected, ssid: wifi.ssid, rssi: wifi.rssi, ip: wifi.ip },
    memory: { heap_free: memory.heapFree, heap_total: memory.heapTotal, source: memory.source },
    name: o.settings.name,
    time: isoUtc(o.wall.epochMs()),
    clock_set: o.wall.isSet(),
  });
}

function getSensors(c: RestContext): HttpResponse {
  return ok(sensorsData(c.options.api.snapshot()));
}

function getHistory(c: RestContext, request: HttpRequest): HttpResponse {
  const o = c.options;
  const hours = queryInt(request, "hours", 24, 1, 168);
  const interval = queryInt(request, "interval", 5, 1, 1440);
  const endS = Math.floor(o.wall.epochMs() / 1000);
  const startS = endS - hours * 3600;
  // One record a minute: the window's records are within the last hours*60 (+ slack
  // for partial minutes at boots), so the walk starts there, not at the oldest.
  const from = Math.max(o.trend.oldestId, o.trend.endId - hours * 60 - 120);
  const readings = new HistoryReadings(new TrendCursor(o.trend, from), startS, endS, interval * 60);
  const head = '{"success":true,"data":{"start":"' + isoUtc(startS * 1000) + '","end":"' + isoUtc(endS * 1000) + '","interval_minutes":' + interval + ',"readings":[';
  return jsonResponse(200, textStream({ head, tail: "]}}", separator: ",", nextItem: () => readings.nextItem() }));
}

export const STATUS_ROUTES: readonly RestRoute[] = Object.freeze([
  restRoute("GET", "/api/status", getStatus),
  restRoute("GET", "/api/sensors", getSensors),
  restRoute("GET", "/api/sensors/history", getHistory),
]);
