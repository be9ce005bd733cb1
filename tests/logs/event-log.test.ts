import { strict as assert } from "node:assert";
import { MemoryLogStore } from "../../host-sim/memory-log-store";
import { SimTime } from "../../host-sim/sim-time";
import { EventLog } from "../../src/logs/event-log";
import { decodeEvent, encodeEvent, EVENT_RECORD_BYTES } from "../../src/logs/event-record";
import { toyIncubator } from "../support/toy-incubator";

const REST = Object.freeze({ via: "rest" as const, client: "127.0.0.1:50123" });

function reboot(store: MemoryLogStore, time: SimTime, message = "firmware started") {
  const copy = store.snapshot();
  const log = new EventLog({ store: copy, timers: time, wall: time });
  const report = log.open(message);
  time.advance(0);
  return { log, store: copy, report };
}

describe("the event log", () => {
  it("encodes an entry in 128 bytes, cutting long texts at a character boundary", () => {
    const slot = new Uint8Array(EVENT_RECORD_BYTES);
    const e = { kind: "calibration" as const, level: "WARNING" as const, origin: { via: "mqtt" as const, client: "ward-station-π" }, epochMs: 1_768_467_600_123, message: "skin offset −0.3 °C ".repeat(10) };
    encodeEvent(slot, new DataView(slot.buffer), e);
    const back = decodeEvent(slot, 0, 7);
    assert.equal(back.id, 7);
    assert.equal(back.kind, "calibration");
    assert.equal(back.level, "WARNING");
    assert.deepEqual(back.origin, e.origin);
    assert.equal(back.epochMs, e.epochMs);
    assert.ok(e.message.startsWith(back.message) && back.message.length > 60, back.message);
    assert.ok(!back.message.includes("\ufffd"));
  });

  it("logs alarms, state, setpoint and mode changes from the core with the origin of the command", async () => {
    const toy = toyIncubator();
    const store = new MemoryLogStore(4096, 4);
    const log = new EventLog({ store, timers: toy.time, wall: toy.time });
    log.open("firmware started");
    log.attach(toy.incubator);
    toy.incubator.start();
    assert.equal((await toy.incubator.execute("set_temperature", { setpoint: 36.5 }, REST)).success, true);
    await toy.incubator.execute("set_mode", { mode: "skin" }, { via: "ws", client: "10.0.0.5:4000" });
    await toy.incubator.execute("set_humidity", { setpoint: 65 }, REST);
    await toy.incubator.execute("set_state", { state: "start" }, { via: "mqtt", client: "incunest-ward" });
    toy.plant.faults.probeAir = (nowMs) => ({ value: null, atMs: null, fault: "absent", detail: "unplugged", faultSinceMs: nowMs });
    toy.run(20);
    const raised = log.newestFirst(50).find((e) => e.kind === "alarm_raised");
    assert.ok(raised, "the sensor fault alarm is logged");
    await toy.incubator.execute("acknowledge_alarm", { alarm_id: Number(raised!.message.split(" ")[1]) }, REST);
    toy.run(1);
    toy.incubator.stop();
    const entries = reboot(store, toy.time).log.newestFirst(100).reverse();
    const line = (k: string) => entries.filter((e) => e.kind === k).map((e) => `${e.message} | ${e.origin ? `${e.origin.via} ${e.origin.client}` : "-"}`);
    assert.deepEqual(line("setpoint"), ["air setpoint 36.0 → 36.5 °C | rest 127.0.0.1:50123", "humidity setpoint 60.0 → 65.0 %RH | rest 127.0.0.1:50123"]);
    assert.deepEqual(line("mode"), ["control mode air → skin | ws 10.0.0.5:4000"]);
    assert.equal(line("state_change")[0], "state STANDBY → PREHEATING: start requested | mqtt incunest-ward");
    assert.ok(line("state_change").some((l) => l.includes("→ FAULT")), "the fault's state change is logged");
    assert.match(line("alarm_raised")[0], /^alarm \d+ SENSOR_FAULT raised: .* \| -$/);
    assert.match(line("alarm_acknowledged")[0], /^alarm \d+ SENSOR_FAULT acknowledged \| rest 127.0.0.1:50123$/);
    assert.equal(entries.find((e) => e.kind === "state_change" && e.message.includes("FAULT"))!.level, "ERROR");
    for (let i = 1; i < entries.length; i++) assert.ok(entries[i].id > entries[i - 1].id && entries[i].epochMs >= entries[i - 1].epochMs);
  });

  it("tells a clean shutdown from a power failure at the next boot", () => {
    const time = new SimTime();
    const first = reboot(new MemoryLogStore(4096, 4), time);
    assert.equal(first.report.previousRun, "none");
    first.log.record("shutdown", "INFO", "stopped by the operator");
    first.log.flush();
    const second = reboot(first.store, time);
    assert.equal(second.report.previousRun, "clean");
    assert.equal(second.log.newestFirst(10).filter((e) => e.kind === "power_failure").length, 0);
    // no shutdown entry this time: the power went
    const third = reboot(second.store, time);
    assert.equal(third.report.previousRun, "unexpected");
    const kinds = third.log.newestFirst(10).map((e) => e.kind);
    assert.deepEqual(kinds.slice(0, 2), ["boot", "power_failure"]);
  });

  it("keeps at least the last 500 entries across reboots and filters by level", () => {
    const time = new SimTime();
    // the device's event region: 20 blocks of 4 KB, 31 entries each
    let { log, store } = reboot(new MemoryLogStore(4096, 20), time);
    for (let i = 0; i < 1500; i++) {
      log.record("config", i % 3 === 0 ? "WARNING" : "INFO", `entry ${i}`);
      if (i % 7 === 0) time.advance(0);
    }
    time.advance(0);
    ({ log, store } = reboot(store, time));
    const all = log.newestFirst(10_000);
    assert.ok(all.length >= 500, `${all.length} kept`);
    assert.equal(all[2].message, "entry 1499");
    const warnings = log.newestFirst(4, "WARNING").map((e) => e.message);
    assert.equal(warnings.join(), "the previous run ended without a shutdown entry: power cut, crash or watchdog reset,entry 1497,entry 1494,entry 1491");
    assert.equal(log.newestFirst(10, "ERROR").length, 0);
  });

  it("survives a torn last entry and a corrupt one at boot", () => {
    const time = new SimTime();
    const { log, store } = reboot(new MemoryLogStore(4096, 4), time);
    for (let i = 0; i < 10; i++) log.record("config", "INFO", `entry ${i}`);
    log.flush();
    store.cutPowerAfter = 40;
    log.record("config", "INFO", "entry torn");
    log.flush();
    store.cutPowerAfter = null;
    store.bytes[3 * EVENT_RECORD_BYTES + 20] ^= 0x04; // entry 1 (slot 1 holds the boot entry)
    const after = reboot(store, time);
    assert.equal(after.report.tornSlots, 2, "the torn entry and the corrupt one fail their checksum");
    const messages = after.log.newestFirst(100).map((e) => e.message);
    assert.ok(!messages.includes("entry torn"));
    assert.equal(messages.filter((m) => m.startsWith("entry ")).length, 9);
    assert.equal(after.report.previousRun, "unexpected");
  });
});
