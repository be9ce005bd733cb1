import { strict as assert } from "node:assert";
import { MemoryLogStore } from "../../host-sim/memory-log-store";
import { SimTime } from "../../host-sim/sim-time";
import { DeviceSettings, DEVICE_SETTINGS_RECORD } from "../../src/config/device-settings";
import { FirmwareLogs } from "../../src/logs/firmware-logs";
import { LOG_STORE_BLOCKS } from "../../src/logs/log-layout";
import { MemoryRecordStore } from "../support/memory-record-store";

describe("the logs and device settings at boot", () => {
  it("run in RAM when the platform has no log store, and say so", () => {
    const time = new SimTime();
    const logs = new FirmwareLogs({ store: null, timers: time, wall: time, bootMessage: "boot" });
    assert.ok(logs.bootLines.includes("logs kept in RAM only: they are lost at the next reboot"));
    logs.events.record("config", "INFO", "works");
    time.advance(0);
    assert.equal(logs.events.newestFirst(1)[0].message, "works");
    assert.ok(logs.trend.storage().retainedRecords >= 127);
  });

  it("boot on a store that cannot be read, starting empty", () => {
    const time = new SimTime();
    const store = new MemoryLogStore(4096, LOG_STORE_BLOCKS);
    store.read = () => {
      throw new Error("SPI flash read error");
    };
    const logs = new FirmwareLogs({ store, timers: time, wall: time, bootMessage: "boot" });
    assert.ok(logs.bootLines.some((l) => l === "trend log unreadable (SPI flash read error): starting empty"), logs.bootLines.join("\n"));
    assert.equal(logs.trendBoot.records, 0);
  });

  it("write the shutdown entry and the minute in progress at a clean stop; the next boot finds it clean", () => {
    const time = new SimTime();
    const store = new MemoryLogStore(4096, LOG_STORE_BLOCKS);
    const first = new FirmwareLogs({ store, timers: time, wall: time, bootMessage: "boot 1" });
    first.shutdown("stopped");
    const second = new FirmwareLogs({ store: store.snapshot(), timers: time, wall: time, bootMessage: "boot 2" });
    assert.equal(second.eventBoot.previousRun, "clean");
    assert.equal(second.eventBoot.lastEvent?.kind, "shutdown");
  });

  it("device settings: a corrupt or out-of-range record gives the defaults and names the problem, never a crash", () => {
    const records = new MemoryRecordStore();
    records.records.set(DEVICE_SETTINGS_RECORD, "{not json");
    const broken = new DeviceSettings(records, "IncuNest");
    assert.match(broken.load()[0], /not JSON/);
    assert.equal(broken.name, "IncuNest");
    records.records.set(DEVICE_SETTINGS_RECORD, JSON.stringify({ v: 1, name: "Bed 4", temp_ambient_offset: 7, temp_skin_offset: -0.5, humidity_offset: "x" }));
    const partly = new DeviceSettings(records, "IncuNest");
    const problems = partly.load();
    assert.equal(problems.length, 2, problems.join("; "));
    assert.deepEqual([partly.name, partly.offsets.temp_ambient_offset, partly.offsets.temp_skin_offset, partly.offsets.humidity_offset], ["Bed 4", 0, -0.5, 0]);
    assert.equal(partly.calibration.skinOffsetC, -0.5);
  });

  it("device settings: changes are applied one at a time, each only once stored", async () => {
    const records = new MemoryRecordStore();
    const log: string[] = [];
    const settings = new DeviceSettings(records, "IncuNest", (_k, m) => log.push(m));
    const a = settings.apply({ calibration: { temp_ambient_offset: 0.5 } }, null);
    const b = settings.apply({ calibration: { temp_ambient_offset: -0.5 } }, null);
    assert.equal(settings.calibration.airOffsetC, 0, "not applied before stored");
    await Promise.all([a, b]);
    assert.equal(settings.calibration.airOffsetC, -0.5);
    assert.deepEqual(log, ["calibration temp_ambient_offset 0.00 → +0.50 °C", "calibration temp_ambient_offset +0.50 → -0.50 °C"]);
    await assert.rejects(settings.apply({ calibration: { humidity_offset: 11 } }, null), /outside ±10 %RH/);
  });
});
