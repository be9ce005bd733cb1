// The trend panel: 1 h / 6 h / 24 h / 7 d from the trend log, extended live each second,
// zoom, CSV export of what is shown.
import { $, say, setAttr } from "./dom";
import { dateTime } from "./format";
import type { LiveModel, LiveSample } from "./live-model";
import { priorityOf } from "./alarm-banners";
import { TrendChart } from "./trend-chart";
import { download, trendCsv } from "./trend-csv";
import { TrendData, type AlarmRank, type TrendRow } from "./trend-data";

/** Where history comes from (the REST trend log); rejects with a message to show. */
export interface TrendSource {
  load(rangeS: number): Promise<TrendRow[]>;
}

const RANK: Record<string, AlarmRank> = { low: 1, medium: 2, high: 3 };
const RANGE_NAME: Record<number, string> = { 3600: "1h", 21600: "6h", 86400: "24h", 604800: "7d" };
/** Redraw at most this often (at --speed 60 readings come 60 times a second). */
const REDRAW_MS = 1000;

export function liveRow(sample: LiveSample, alarmRank: AlarmRank): TrendRow {
  const d = sample.data;
  return {
    t: sample.epochMs / 1000,
    air: d.temperature.ambient,
    skin: d.temperature.skin,
    humidity: d.humidity,
    tempSetpoint: d.setpoint?.temperature ?? null,
    humSetpoint: d.setpoint?.humidity ?? null,
    heater: d.heater_power,
    fan: d.fan_speed,
    humidifier: d.humidifier ? 100 : 0,
    alarm: alarmRank,
  };
}

export function trendView(model: LiveModel, source: TrendSource): { restyle(): void; reload(): void } {
  const chart = new TrendChart($("chart"));
  const message = $("m-trend");
  const rangeButtons = [...document.querySelectorAll<HTMLButtonElement>("[data-range]")];
  let rangeS = 3600;
  let data = new TrendData(rangeS, 1);
  let loading: TrendRow[] | null = null;
  let dirty = false;
  let generation = 0;

  const worstAlarm = (): AlarmRank => {
    let rank: AlarmRank = 0;
    for (const a of model.alarms.values()) rank = Math.max(rank, RANK[priorityOf(a)]) as AlarmRank;
    return rank;
  };

  model.onSample((sample) => {
    const row = liveRow(sample, worstAlarm());
    if (loading) loading.push(row);
    else if (data.addLive(row) || data.length === 0) dirty = true;
  });

  async function load(range: number): Promise<void> {
    const mine = ++generation;
    rangeS = range;
    for (const b of rangeButtons) setAttr(b, "aria-pressed", String(Number(b.dataset.range) === range));
    data = new TrendData(range, Math.max(1, Math.round(range / 3600)));
    loading = [];
    chart.show(data);
    say(message, "Loading the trend log…", "busy");
    let rows: TrendRow[] = [];
    let problem = "";
    try {
      rows = await source.load(range);
    } catch (error) {
      problem = (error as Error).message;
    }
    if (mine !== generation) return;
    data.load(rows);
    for (const row of loading) data.addLive(row);
    loading = null;
    const last = data.length > 0 ? data.t[data.length - 1] : (model.incubatorMs ?? Date.now()) / 1000;
    data.trim(last);
    chart.show(data);
    say(message, problem ? `History not available: ${problem}. Showing live readings only.` : `${rows.length} trend records`, problem ? "error" : "");
    label();
  }

  /** The chart's accessible name says what it holds (the CSV export is its text form). */
  const label = () => $("chart").setAttribute("aria-label", `Trend chart, last ${RANGE_NAME[rangeS]}: ${data.length} points; Export CSV for the values`);

  for (const b of rangeButtons) b.addEventListener("click", () => void load(Number(b.dataset.range)));
  $("z-in").addEventListener("click", () => chart.zoomBy(0.5));
  $("z-out").addEventListener("click", () => chart.zoomBy(2));
  $("z-reset").addEventListener("click", () => chart.resetZoom());
  $("csv").addEventListener("click", () => {
    data.flush();
    const w = chart.shownWindow();
    if (!w || data.length === 0) return say(message, "Nothing to export yet", "error");
    const stamp = dateTime(w.max * 1000).replace(/[: ]/g, "").replace(/-/g, "");
    download(`incunest_${stamp}_${chart.zoomed ? "zoom" : RANGE_NAME[rangeS]}.csv`, trendCsv(data, w.min, w.max));
    say(message, "CSV saved", "ok");
  });

  setInterval(() => {
    if (!dirty || loading) return;
    dirty = false;
    const last = data.t[data.length - 1];
    if (last !== undefined) data.trim(last);
    chart.update();
    label();
  }, REDRAW_MS);

  // History is loaded once the link is open (the key proven), not before: a wrong key
  // sent again and again would get this address throttled.
  chart.show(data);
  return { restyle: () => chart.restyle(), reload: () => void load(rangeS) };
}
