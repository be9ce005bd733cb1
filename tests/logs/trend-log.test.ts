import { strict as assert } from "node:assert";
import { MemoryLogStore } from "../../host-sim/memory-log-store";
import { SimTime } from "../../host-sim/sim-time";
import type { AlarmInfo, Snapshot } from "../../src/core/api";
import { ALARM_BITS } from "../../src/logs/alarm-bits";
import { TrendCursor, startOfLast } from "../../src/logs/trend-cursor";
import { TrendLog } from "../../src/logs/trend-log";
import { toyIncubator } from "../support/toy-incubator";
import { TEST_ORIGIN } from "../support/origin";

const T0 = Date.UTC(2026, 0, 15, 8, 0, 0);

function snapshot(epochMs: number, over: Partial<Snapshot> = {}): Snapshot {
  return {
    seq: 0, epochMs, clockSet: true, state: "OPERATING", mode: "air", effectiveMode: "air",
    setpoints: { air: 36, skin: 36.5, humidity: 60, override: false }, temperatureSetpoint: 36,
    air: 36, skin: 36.4, probeAir: 36.1, humidity: 60, fanRpm: 2000, heaterPercent: 40, fanPercent: 50,
    humidifierOn: false, alarms: [], overruns: 0, skippedTicks: 0, ...over,
  };
}

function records(log: TrendLog) {
  const out = [];
  const cursor = new TrendCursor(log);
  for (let r = cursor.next(); r; r = cursor.next()) {
    out.push({ id: r.id, ts: r.ts, air: r.air, airMin: r.airMin, airMax: r.airMax, skin: r.skin, probe: r.probe, humidity: r.humidity,
      heater: r.heater, fan: r.fan, humidifier: r.humidifier, alarms: r.alarms, samples: r.samples, state: r.state, mode: r.mode, setAir: r.setAir });
  }
  return out;
}

describe("the trend log", () => {
  it("turns each minute of ticks into one record of means, extremes, duties and the alarms seen", () => {
    const time = new SimTime(T0);
    const store = new MemoryLogStore(4096, 8);
    const log = new TrendLog({ store, timers: time });
    log.open();
    const alarm = { code: "TEMP_HIGH" } as AlarmInfo;
    for (let s = 0; s < 120; s++) {
      const air = s < 60 ? 35 + s / 59 : 37; // 35..36 in the first minute
      log.addTick(snapshot(T0 + s * 1000, {
        air, skin: s % 2 ? null : 36.5, humidity: 55.55, heaterPercent: s < 30 ? 100 : 0, humidifierOn: s % 4 === 0,
        alarms: s === 10 ? [alarm] : [],
      }));
      time.advance(1000);
    }
    log.addTick(snapshot(T0 + 120_000));
    time.advance(0);
    const [first, second] = records(log);
    assert.equal(first.ts, T0 / 1000);
    assert.equal(first.samples, 60);
    assert.equal(first.air, 35.5);
    assert.equal(first.airMin, 35);
    assert.equal(first.airMax, 36);
    assert.equal(first.skin, 36.5, "the mean of the valid skin readings only");
    assert.equal(first.humidity, 55.55);
    assert.equal(first.heater, 50);
    assert.equal(first.humidifier, 25);
    assert.equal(first.alarms, ALARM_BITS.TEMP_HIGH, "an alarm seen in one tick marks the minute");
    assert.equal(second.ts, T0 / 1000 + 60);
    assert.equal(second.heater, 0);
    assert.equal(second.alarms, 0);
    assert.equal(second.air, 37);
    assert.equal(store.writes, 0, "nothing is written before a batch is full");
  });

  it("stores a missing channel as null, never as a number", () => {
    const time = new SimTime(T0);
    const log = new TrendLog({ store: new MemoryLogStore(4096, 4), timers: time });
    log.open();
    for (let s = 0; s <= 60; s++) log.addTick(snapshot(T0 + s * 1000, { air: null, skin: null, probeAir: null, humidity: null }));
    time.advance(0);
    const [r] = records(log);
    assert.deepEqual([r.air, r.airMin, r.airMax, r.skin, r.probe, r.humidity], [null, null, null, null, null, null]);
  });

  it("writes after the tick in batches of five minutes and loses at most the unwritten ones on a power cut", () => {
    const time = new SimTime(T0);
    const store = new MemoryLogStore(4096, 8);
    const log = new TrendLog({ store, timers: time });
    log.open();
    let writesInTick = 0;
    for (let s = 0; s < 23 * 60 + 30; s++) {
      const before = store.writes;
      log.addTick(snapshot(T0 + s * 1000, { air: 30 + s / 600 }));
      writesInTick += store.writes - before;
      time.advance(1000);
    }
    assert.equal(writesInTick, 0, "no store write inside a tick");
    // 23 finished minutes: 20 written in 4 batches, 3 queued, half a minute in progress
    assert.equal(log.pending, 3);
    const rebooted = new TrendLog({ store: store.snapshot(), timers: time });
    assert.equal(rebooted.open().records, 20);
    const lost = 23.5 - 20;
    assert.ok(lost < log.batchMinutes + 1, `a power cut lost ${lost} minutes`);
    // A clean stop writes everything, the minute in progress too.
    log.flush(true);
    const clean = new TrendLog({ store: store.snapshot(), timers: time });
    assert.equal(clean.open().records, 24);
  });

  it("keeps 7 days and more in its ring, oldest overwritten, ids and order intact across a reboot", function () {
    this.timeout(20_000);
    const time = new SimTime(T0);
    // The device's trend region: 92 blocks of 4 KB
    const store = new MemoryLogStore(4096, 92);
    const log = new TrendLog({ store, timers: time });
    log.open();
    const minutes = 12_000;
    for (let m = 0; m < minutes; m++) {
      log.addTick(snapshot(T0 + m * 60_000, { air: 20 + (m % 1000) / 100 }));
      time.advance(0);
    }
    log.flush(true);
    const reboot = new TrendLog({ store: store.snapshot(), timers: time });
    const report = reboot.open();
    assert.ok(report.records >= 10_080, `${report.records} records kept`);
    const all = records(reboot);
    assert.equal(all.length, report.records);
    assert.equal(all[all.length - 1].ts, T0 / 1000 + (minutes - 1) * 60);
    for (let i = 1; i < all.length; i++) assert.equal(all[i].ts - all[i - 1].ts, 60);
    const last60 = new TrendCursor(reboot, startOfLast(reboot, 60));
    let n = 0;
    while (last60.next()) n++;
    assert.equal(n, 60);
  });

  it("reports a failing store, keeps the records queued and writes them once it works again", () => {
    const time = new SimTime(T0);
    const store = new MemoryLogStore(4096, 4);
    const faults: string[] = [];
    let recovered = 0;
    const log = new TrendLog({ store, timers: time, onStorageFault: (m) => faults.push(m), onStorageOk: () => recovered++ });
    log.open();
    store.failWith = "flash write failed";
    const tickMinutes = (from: number, count: number) => {
      for (let m = from; m < from + count; m++) {
        log.addTick(snapshot(T0 + m * 60_000));
        time.advance(0);
      }
    };
    tickMinutes(0, 6);
    assert.equal(faults.length, 1);
    assert.match(faults[0], /flash write failed/);
    assert.equal(log.pending, 5);
    store.failWith = null;
    tickMinutes(6, 5);
    assert.equal(recovered, 1);
    assert.equal(log.pending, 4, "the six queued were written with the next batch; four new ones wait");
    const ts = records(log).map((r) => (r.ts - T0 / 1000) / 60);
    assert.deepEqual(ts, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("follows the real core's ticks through the event hub", () => {
    const toy = toyIncubator();
    const log = new TrendLog({ store: new MemoryLogStore(4096, 4), timers: toy.time });
    log.open();
    log.attach(toy.incubator);
    toy.incubator.start();
    void toy.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
    toy.run(600);
    toy.incubator.stop();
    const all = records(log);
    assert.ok(all.length >= 9, `${all.length} records after 10 minutes`);
    assert.ok(all.every((r) => r.state === "PREHEATING" || r.state === "OPERATING"));
    assert.ok(all[all.length - 1].air! > all[0].air!, "the air warmed up");
    assert.ok(all[0].heater > 50, "the heater ran hard at first");
  });
});
