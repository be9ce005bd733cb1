// The app's trend columns and link back-off, on Node (they use no DOM).
import { strict as assert } from "node:assert";
import { backoffMs } from "../../web/src/live-link";
import { trendCsv, CSV_HEADER } from "../../web/src/trend-csv";
import { TrendData, type TrendRow } from "../../web/src/trend-data";
import { ALARM_TABLE } from "../../src/alarms/catalog";
import { ALARM_BITS } from "../../src/logs/alarm-bits";
import { ALARM_BIT_PRIORITY, parseRecord, worstOfBits } from "../../web/src/trend-source";

function row(t: number, air: number | null, alarm: TrendRow["alarm"] = 0): TrendRow {
  return { t, air, skin: null, humidity: 50, tempSetpoint: 36, humSetpoint: 60, heater: 40, fan: 30, humidifier: 0, alarm };
}

describe("bedside app: trend data", () => {
  it("averages live readings to the range's stride and keeps the worst alarm of each point", () => {
    const d = new TrendData(21600, 6);
    for (let t = 100; t < 118; t++) d.addLive(row(t, t - 100, t === 103 ? 3 : 0));
    d.flush();
    assert.deepEqual(d.t, [100, 106, 112]);
    assert.deepEqual(d.columns.air, [2.5, 8.5, 14.5]);
    assert.deepEqual(d.alarm, [3, 0, 0]);
    assert.equal(d.addLive(row(117, 1)), false, "a reading not newer than the last point is ignored");
  });

  it("keeps a missing reading missing (null, not 0) and drops points older than the range", () => {
    const d = new TrendData(3600, 1);
    d.load([row(0, 30), row(60, null), row(60, 33), row(120, 31)]);
    assert.deepEqual(d.columns.air, [30, null, 31], "a minute logged twice is shown once");
    d.addLive(row(3700, 32));
    assert.deepEqual(d.columns.air, [30, null, 31, null, 32], "a gap breaks the line");
    d.trim(3700);
    assert.deepEqual(d.t, [120, 121, 3700]);
  });

  it("turns alarm runs into shaded periods that last until the next point", () => {
    const d = new TrendData(3600, 60);
    d.load([row(0, 30), row(60, 30, 2), row(120, 30, 2), row(180, 30, 3), row(240, 30), row(300, 30, 1)]);
    assert.deepEqual(d.alarmSpans(), [[60, 180, 2], [180, 240, 3], [300, 360, 1]]);
  });

  it("exports the points of a window as CSV rows in time order", () => {
    const d = new TrendData(3600, 60);
    d.load([row(1_768_471_200, 36.123), row(1_768_471_260, null, 3)]);
    const lines = trendCsv(d, 0, Infinity).trim().split("\r\n");
    assert.equal(lines[0], CSV_HEADER);
    assert.equal(lines[1], "2026-01-15T10:00:00.000Z,36.12,,50.0,36.0,60.0,40,30,0,");
    assert.equal(lines[2], "2026-01-15T10:01:00.000Z,,,50.0,36.0,60.0,40,30,0,high");
    assert.equal(trendCsv(d, 1_768_471_230, Infinity).trim().split("\r\n").length, 2, "only the window");
  });

  it("reads trend-log records: the docs' fields, our setpoints, the worst priority of the alarm bits", () => {
    const r = parseRecord({ ts: 60, temp: 36.2, skinTemp: null, hum: 61.5, heater: 40, fan: 35, humidifier: true, alarms: (1 << 5) | (1 << 1), setTemp: 36, setHum: 60, humidifierDuty: 12.5 });
    assert.deepEqual(r, { t: 60, air: 36.2, skin: null, humidity: 61.5, tempSetpoint: 36, humSetpoint: 60, heater: 40, fan: 35, humidifier: 12.5, alarm: 2 });
    assert.equal(worstOfBits(0), 0);
    assert.equal(worstOfBits(1 << 5), 1, "HUMIDITY_HIGH is low priority");
    assert.equal(worstOfBits((1 << 5) | (1 << 8)), 3, "FAN_FAILURE is high");
    assert.equal(worstOfBits(1 << 20), 2, "an unknown bit counts as medium");
  });

  it("ranks each alarm bit of the trend log by the firmware's own priority for that code", () => {
    const rank = { high: 3, medium: 2, low: 1 } as const;
    for (const [code, bit] of Object.entries(ALARM_BITS)) {
      const index = Math.log2(bit);
      const def = (ALARM_TABLE as Record<string, { priority: keyof typeof rank } | undefined>)[code];
      // Codes beyond the alarm table (storage, settings) are medium, as PRODUCT.md lists them.
      assert.equal(ALARM_BIT_PRIORITY[index], def ? rank[def.priority] : 2, code);
    }
    assert.equal(ALARM_BIT_PRIORITY.length, Object.keys(ALARM_BITS).length);
  });

  it("backs off 0.5, 1, 2, 4 s, then at most 5 s, with ±20 % jitter", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, () => 0.5)), [500, 1000, 2000, 4000, 5000, 5000]);
    assert.equal(backoffMs(1, () => 0), 400);
    assert.equal(backoffMs(9, () => 1), 6000);
  });
});
