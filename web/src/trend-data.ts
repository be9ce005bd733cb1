// The trend's columns (uPlot's aligned arrays, time in seconds): history from the trend
// log over REST, extended live with the /ws readings, averaged to the range's stride so
// a 7-day view does not grow by a point a second.

export type Column = Array<number | null>;

/** Worst alarm priority active at a point: 0 none, 1 low, 2 medium, 3 high. */
export type AlarmRank = 0 | 1 | 2 | 3;

export interface TrendRow {
  /** Epoch seconds. */
  readonly t: number;
  readonly air: number | null;
  readonly skin: number | null;
  readonly humidity: number | null;
  readonly tempSetpoint: number | null;
  readonly humSetpoint: number | null;
  readonly heater: number | null;
  readonly fan: number | null;
  readonly humidifier: number | null;
  readonly alarm: AlarmRank;
}

const FIELDS = ["air", "skin", "humidity", "tempSetpoint", "humSetpoint", "heater", "fan", "humidifier"] as const;
type Field = (typeof FIELDS)[number];

export class TrendData {
  readonly t: number[] = [];
  readonly columns: Record<Field, Column> = { air: [], skin: [], humidity: [], tempSetpoint: [], humSetpoint: [], heater: [], fan: [], humidifier: [] };
  readonly alarm: AlarmRank[] = [];
  private acc: { t0: number; n: Record<Field, number>; sum: Record<Field, number>; alarm: AlarmRank } | null = null;

  /** `rangeS`: the window kept; `strideS`: seconds per live point. */
  constructor(readonly rangeS: number, readonly strideS: number) {}

  get length(): number {
    return this.t.length;
  }

  /** Replaces everything with history rows (oldest first). A minute logged twice (the
   *  clock was set back) is shown once: uPlot needs time to grow. */
  load(rows: readonly TrendRow[]): void {
    this.t.length = 0;
    for (const f of FIELDS) this.columns[f].length = 0;
    this.alarm.length = 0;
    this.acc = null;
    for (const row of rows) if (this.t.length === 0 || row.t > this.t[this.t.length - 1]) this.push(row);
  }

  /** Adds one live reading; points come out at most one per stride, as means. */
  addLive(row: TrendRow): boolean {
    if (this.t.length > 0 && row.t <= this.t[this.t.length - 1]) return false;
    let acc = this.acc;
    if (acc && row.t - acc.t0 >= this.strideS) {
      this.flush();
      acc = null;
    }
    if (!acc) {
      acc = this.acc = { t0: row.t, n: zero(), sum: zero(), alarm: 0 };
    }
    for (const f of FIELDS) {
      const v = row[f];
      if (v !== null) {
        acc.n[f]++;
        acc.sum[f] += v;
      }
    }
    if (row.alarm > acc.alarm) acc.alarm = row.alarm;
    if (this.strideS <= 1) {
      this.flush();
      return true;
    }
    return false;
  }

  /** Oldest kept time: points before `latest - rangeS` are dropped. */
  trim(latestS: number): void {
    const from = latestS - this.rangeS;
    let drop = 0;
    while (drop < this.t.length && this.t[drop] < from) drop++;
    if (drop === 0) return;
    this.t.splice(0, drop);
    for (const f of FIELDS) this.columns[f].splice(0, drop);
    this.alarm.splice(0, drop);
  }

  /** The live point being averaged, if any, as a finished point. */
  flush(): void {
    const acc = this.acc;
    if (!acc) return;
    this.acc = null;
    const row: Record<string, number | null> = {};
    for (const f of FIELDS) row[f] = acc.n[f] > 0 ? acc.sum[f] / acc.n[f] : null;
    this.push({ ...(row as Record<Field, number | null>), t: acc.t0, alarm: acc.alarm });
  }

  /** Runs of alarm priority: [startS, endS, rank]. */
  alarmSpans(): Array<[number, number, AlarmRank]> {
    const spans: Array<[number, number, AlarmRank]> = [];
    const n = this.t.length;
    let i = 0;
    while (i < n) {
      const rank = this.alarm[i];
      if (rank === 0) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < n && this.alarm[j + 1] === rank) j++;
      // A run lasts until the next point (the record stands for its interval).
      const end = j + 1 < n ? this.t[j + 1] : this.t[j] + Math.max(1, this.strideS);
      spans.push([this.t[i], end, rank]);
      i = j + 1;
    }
    return spans;
  }

  private push(row: TrendRow): void {
    // A gap (the incubator off, the link down) breaks the lines rather than bridging it.
    const last = this.t.length > 0 ? this.t[this.t.length - 1] : null;
    if (last !== null && row.t - last > Math.max(180, 3 * this.strideS)) {
      this.t.push(last + 1);
      for (const f of FIELDS) this.columns[f].push(null);
      this.alarm.push(0);
    }
    this.t.push(row.t);
    for (const f of FIELDS) this.columns[f].push(row[f]);
    this.alarm.push(row.alarm);
  }
}

function zero(): Record<Field, number> {
  return { air: 0, skin: 0, humidity: 0, tempSetpoint: 0, humSetpoint: 0, heater: 0, fan: 0, humidifier: 0 };
}
