// The trend chart: uPlot over TrendData, °C on the left, % (humidity, heater) on the
// right, alarm periods shaded by priority beneath the lines, drag or buttons to zoom.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { clockTime, dateTime } from "./format";
import type { TrendData } from "./trend-data";

const DAY = 86400;

/** Time ticks in 24-hour local time; the date under the first tick of each day. */
function timeTicks(_u: uPlot, splits: number[], _axis: number, _space: number, incr: number): string[] {
  return splits.map((s, i) => {
    const d = new Date(s * 1000);
    const date = d.toLocaleDateString(undefined, { day: "numeric", month: "short" });
    if (incr >= DAY) return date;
    const hm = clockTime(s * 1000).slice(0, incr < 60 ? 8 : 5);
    const newDay = i === 0 || new Date(splits[i - 1] * 1000).getDate() !== d.getDate();
    return newDay ? `${hm}\n${date}` : hm;
  });
}

/** Colours from the stylesheet, so both themes keep AA contrast. */
function colour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

export class TrendChart {
  private plot: uPlot | null = null;
  /** The window shown when the user has zoomed, else null (follow the latest). */
  private zoom: { min: number; max: number } | null = null;
  private settingScale = false;
  private data: TrendData | null = null;
  private readonly resize: ResizeObserver;

  constructor(private readonly host: HTMLElement) {
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(host);
    // Banners coming and going move the chart: it keeps to the room left on screen.
    this.resize.observe(document.body);
  }

  /** Shows new data (a new range): a fresh chart, zoom reset. */
  show(data: TrendData): void {
    this.data = data;
    this.zoom = null;
    this.build();
  }

  /** Colours changed (theme): rebuilds with the same data and zoom. */
  restyle(): void {
    if (this.data) this.build();
  }

  /** The data grew or moved: redraws, keeping a zoomed window where it is. */
  update(): void {
    const plot = this.plot, data = this.data;
    if (!plot || !data) return;
    plot.batch(() => {
      plot.setData(this.aligned(data), false);
      this.applyWindow();
    });
  }

  zoomBy(factor: number): void {
    const plot = this.plot, data = this.data;
    if (!plot || !data) return;
    const { min, max } = this.window(data);
    const mid = (min + max) / 2, half = Math.max(60, ((max - min) * factor) / 2);
    const full = this.fullWindow(data);
    const lo = Math.max(full.min, mid - half), hi = Math.min(full.max, mid + half);
    this.zoom = hi - lo >= full.max - full.min ? null : { min: lo, max: hi };
    this.applyWindow();
  }

  resetZoom(): void {
    this.zoom = null;
    this.applyWindow();
  }

  get zoomed(): boolean {
    return this.zoom !== null;
  }

  /** The time window shown, epoch seconds. */
  shownWindow(): { min: number; max: number } | null {
    return this.data ? this.window(this.data) : null;
  }

  private fullWindow(data: TrendData): { min: number; max: number } {
    const last = data.length > 0 ? data.t[data.length - 1] : Date.now() / 1000;
    return { min: last - data.rangeS, max: last };
  }

  private window(data: TrendData): { min: number; max: number } {
    return this.zoom ?? this.fullWindow(data);
  }

  private applyWindow(): void {
    const plot = this.plot, data = this.data;
    if (!plot || !data) return;
    this.settingScale = true;
    plot.setScale("x", this.window(data));
    this.settingScale = false;
  }

  private aligned(data: TrendData): uPlot.AlignedData {
    const c = data.columns;
    return [data.t, c.air, c.skin, c.tempSetpoint, c.humidity, c.humSetpoint, c.heater] as uPlot.AlignedData;
  }

  private size(): { width: number; height: number } {
    const width = Math.max(200, this.host.clientWidth);
    // The room below the chart's top on screen, less the legend; a chart below the fold
    // (phone) takes a proportion of its width instead.
    const room = innerHeight - (this.host.getBoundingClientRect().top + scrollY) - 64;
    const height = innerWidth >= 900 ? Math.max(240, Math.min(560, room)) : Math.max(220, Math.min(360, Math.round(width * 0.62)));
    return { width, height };
  }

  private fit(): void {
    if (!this.plot) return;
    const next = this.size();
    if (Math.abs(next.width - this.plot.width) > 1 || Math.abs(next.height - this.plot.height) > 1) this.plot.setSize(next);
  }

  private build(): void {
    const data = this.data!;
    this.plot?.destroy();
    const air = colour("--c-air"), skin = colour("--c-skin"), hum = colour("--c-hum"), heat = colour("--c-heat");
    const axis = colour("--fg-muted"), grid = colour("--grid");
    const band = [colour("--band-low"), colour("--band-medium"), colour("--band-high")];
    const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      ...this.size(),
      cursor: { drag: { x: true, y: false, setScale: true } },
      legend: { live: true },
      scales: {
        // Auto-ranging (first draw, double-click) shows the whole range up to the latest.
        x: { time: true, range: () => { const w = this.fullWindow(data); return [w.min, w.max]; } },
        C: { auto: true, range: (_u, min, max) => (min === null || max === null || !Number.isFinite(min) ? [20, 40] : [Math.floor(min - 0.3), Math.ceil(max + 0.3)]) },
        "%": { auto: false, range: () => [0, 100] },
      },
      axes: [
        { ...axisStyle, values: timeTicks, space: 60 },
        { ...axisStyle, scale: "C", label: "°C", values: (_u, vals) => vals.map((v) => v.toFixed(0)) },
        { ...axisStyle, scale: "%", side: 1, label: "%RH · heater %", grid: { show: false } },
      ],
      series: [
        { label: "Time", value: (_u, v) => (v === null ? "--" : dateTime(v * 1000)) },
        { label: "Air °C", scale: "C", stroke: air, width: 2, value: (_u, v) => (v === null ? "—" : v.toFixed(2)) },
        { label: "Skin °C", scale: "C", stroke: skin, width: 2, value: (_u, v) => (v === null ? "—" : v.toFixed(2)) },
        { label: "Temp. setpoint", scale: "C", stroke: axis, width: 1.5, dash: [6, 4], value: (_u, v) => (v === null ? "—" : v.toFixed(1)) },
        { label: "Humidity %RH", scale: "%", stroke: hum, width: 2, value: (_u, v) => (v === null ? "—" : v.toFixed(0)) },
        { label: "RH setpoint", scale: "%", stroke: hum, width: 1, dash: [2, 4], value: (_u, v) => (v === null ? "—" : v.toFixed(0)) },
        { label: "Heater %", scale: "%", stroke: heat, width: 1, value: (_u, v) => (v === null ? "—" : v.toFixed(0)) },
      ],
      hooks: {
        drawClear: [
          (u) => {
            const ctx = u.ctx, { top, height } = u.bbox;
            ctx.save();
            for (const [start, end, rank] of data.alarmSpans()) {
              const x0 = u.valToPos(start, "x", true), x1 = u.valToPos(end, "x", true);
              if (x1 < u.bbox.left || x0 > u.bbox.left + u.bbox.width) continue;
              ctx.fillStyle = band[rank - 1];
              ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
            }
            ctx.restore();
          },
        ],
        setScale: [
          (u, key) => {
            // A drag selection zoomed, a double-click unzoomed: remember which, so live
            // updates keep a zoomed window where it is and follow the latest otherwise.
            if (key !== "x" || this.settingScale) return;
            const min = u.scales.x.min, max = u.scales.x.max;
            if (min === undefined || max === undefined) return;
            const full = this.fullWindow(data);
            this.zoom = Math.abs(min - full.min) < 1 && Math.abs(max - full.max) < 1 ? null : { min, max };
          },
        ],
      },
    };
    this.plot = new uPlot(opts, this.aligned(data), this.host);
    this.applyWindow();
  }
}
