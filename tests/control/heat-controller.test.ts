// The heat controller on the incubator model: what it learns, that it keeps it across reboots
// through the injected RecordStore, and that a poor or damaged record is safe.
import assert from "node:assert/strict";
import { commission, FirmwareController } from "../../host-sim/bench/firmware-controller";
import { responseMetrics, type Trace } from "../../host-sim/bench/metrics";
import { BenchRig } from "../../host-sim/bench/rig";
import { loadPlantParams } from "../../host-sim/plant/load-plant-params";
import { DEFAULT_PLANT_PARAMS, type PlantParams } from "../../host-sim/plant/params";
import type { HeatController } from "../../src/core/heat-controller";
import { Incubator } from "../../src/core/incubator";
import { decodeKnowledge, KNOWLEDGE_RECORD, MEASURED } from "../../src/core/plant-knowledge";
import type { RecordStore } from "../../src/core/record-store";
import { MemoryRecordStore } from "../support/memory-record-store";
import { TEST_ORIGIN } from "../support/origin";
import type { ControllerIo, BenchController } from "../../host-sim/bench/rig";
import type { ControlMode } from "../../src/core/types";

/** The firmware core on the rig with a given RecordStore (the bench's own uses a Map). */
class CoreOnStore implements BenchController {
  incubator!: Incubator;
  errors: unknown[] = [];
  constructor(private readonly store: RecordStore) {}
  attach(io: ControllerIo): void {
    this.incubator = new Incubator({ clock: io.time, wall: io.time, timers: io.time, sensors: io.sensors, actuators: { apply: (c) => io.apply(c) }, records: this.store, onError: (e) => this.errors.push(e) });
    this.incubator.start();
  }
  private cmd(action: string, data: unknown) {
    void this.incubator.execute(action, data, TEST_ORIGIN);
  }
  setMode(mode: ControlMode) { this.cmd("set_mode", { mode }); }
  setTemperature(c: number) { this.cmd("set_temperature", { setpoint: c }); }
  setHumidity(rh: number) { this.cmd("set_humidity", { setpoint: rh }); }
  start() { this.cmd("set_state", { state: "start" }); }
  powerOff() { this.incubator.stop(); }
  powerOn() {}
}

function warmUp(params: PlantParams, store: RecordStore, seconds = 2 * 3600) {
  const controller = new CoreOnStore(store);
  const rig = new BenchRig(params, controller, { seed: 11, humidifier: "off" });
  controller.setHumidity(30);
  controller.setTemperature(36);
  controller.start();
  const trace: Trace = { tS: [], value: [], heater: [], humidifier: [] };
  let boosts = 0;
  let probes = 0;
  let boosting = false;
  for (let t = 1; t <= seconds; t++) {
    rig.second();
    trace.tS.push(t);
    trace.value.push(rig.plant.state.airC);
    trace.heater.push(rig.command.heaterDuty);
    trace.humidifier.push(0);
    // The controller's own boosts (its probe and boost phases), not the element guard's fan,
    // which rises whenever the element runs hot (src/core/element-guard.ts).
    const phase = (controller.incubator as unknown as { heat: HeatController }).heat.phase;
    const now = phase === "probe" || phase === "boost";
    if (now && !boosting) boosts++;
    if (now && !boosting && phase === "probe") probes++;
    boosting = now;
  }
  controller.powerOff();
  return { metrics: responseMetrics(trace, 36, 0.5, 0.2), boosts, probes, controller };
}

describe("heat controller fitted to the incubator", () => {
  it("learns from its first warm-up, stores it, and after a reboot warms up without the probe, as fast and as gently", async () => {
    const store = new MemoryRecordStore();
    const first = warmUp(DEFAULT_PLANT_PARAMS, store);
    await Promise.resolve();
    const text = store.load(KNOWLEDGE_RECORD);
    assert.ok(text !== null, "the knowledge record was written");
    const k = decodeKnowledge(text).knowledge;
    for (const [flag, name] of [[MEASURED.reaction, "reaction curve"], [MEASURED.boost, "boost"], [MEASURED.steadyDuty, "steady duty"], [MEASURED.afterWarmup, "duty after warm-up"]] as const) {
      assert.ok((k.measured & flag) !== 0, `${name} measured (flags ${k.measured})`);
    }
    assert.ok(Math.abs(k.roomC - 25) < 0.3, `room ${k.roomC}`);
    // The default plant needs about 0.34 of full power at 36 °C in a 25 °C room.
    assert.ok(Math.abs(k.dutyPerDegree * 11 - 0.34) < 0.05, `duty per degree ${k.dutyPerDegree}`);
    assert.equal(first.probes, 1, "a probe half-way");
    assert.ok(first.boosts >= 2 && first.boosts <= 3, `the probe and the final boost (${first.boosts})`);
    const second = warmUp(DEFAULT_PLANT_PARAMS, store);
    // (The final boost may stall short of the band and go again: the element guard's fan may
    // already have moved part of the element's heat into the air.)
    assert.equal(second.probes, 0, "no probe: what the probe measured was kept");
    assert.ok(second.boosts >= 1 && second.boosts <= 2, `the final boost (${second.boosts})`);
    for (const m of [first.metrics, second.metrics]) {
      assert.ok(m.overshoot <= 0.2, `overshoot ${m.overshoot}`);
      assert.ok(m.peakToPeakSettled && m.peakToPeak <= 0.2, `p-p ${m.peakToPeak}`);
    }
    assert.ok((second.metrics.reachS as number) <= (first.metrics.reachS as number) + 30, `${second.metrics.reachS} vs ${first.metrics.reachS}`);
  });

  it("fits a very different incubator (250 W, 600 W, slow element) without being told: gentle warm-ups that reach the setpoint", () => {
    for (const name of ["heater-250w", "heater-600w", "slow-element"]) {
      const params = loadPlantParams(`host-sim/plant/family/${name}.json`);
      const { metrics } = warmUp(params, new MemoryRecordStore(), 4 * 3600);
      assert.ok(metrics.reachS !== null, `${name} reached the setpoint`);
      assert.ok(metrics.overshoot <= 0.2, `${name} overshoot ${metrics.overshoot}`);
      assert.ok(metrics.peakToPeakSettled && metrics.peakToPeak <= 0.2, `${name} p-p ${metrics.peakToPeak}`);
    }
  });

  it("after the end-of-warm-up boost the hold takes over without the element guard's fan dumping the element's store (a strong heater settles within a few minutes of the reach)", () => {
    // Traced: the hold's margins, applied from its first tick, raised the guard's fan as it began
    // (the element at full heat ran with the charge's margins), the store went into the air and
    // the air then sagged out of the band under a fan coming down slowly: heater-600w settled
    // 406 s after the reach (now about 220 s), default 324 s (now about 300 s). The charge's
    // margins now last while the air arrives.
    for (const [name, within] of [["heater-600w", 300], ["default", 330]] as const) {
      const params = loadPlantParams(`host-sim/plant/family/${name}.json`);
      const store = new MemoryRecordStore();
      warmUp(params, store, 3 * 3600);
      const { metrics, boosts, probes } = warmUp(params, store, 2 * 3600);
      assert.equal(probes, 0, `${name}: the second warm-up needs no probe`);
      assert.ok(boosts >= 1, `${name}: it boosts at the end of the warm-up`);
      assert.ok(metrics.reachS !== null && metrics.settleS !== null, `${name} reached and settled`);
      assert.ok(metrics.settleS - metrics.reachS <= within, `${name}: settled ${metrics.settleS - metrics.reachS} s after the reach`);
      assert.ok(metrics.overshoot <= 0.1, `${name} overshoot ${metrics.overshoot}`);
    }
  });

  it("uses the standard build's values when the record is damaged, and still warms up safely", () => {
    const store = new MemoryRecordStore();
    store.records.set(KNOWLEDGE_RECORD, "k1 garbage");
    const { metrics, controller } = warmUp(DEFAULT_PLANT_PARAMS, store);
    assert.ok(metrics.reachS !== null && metrics.overshoot <= 0.2, `overshoot ${metrics.overshoot}`);
    assert.equal(controller.errors.length, 0);
    assert.notEqual(store.load(KNOWLEDGE_RECORD), "k1 garbage", "a good record replaced it");
  });

  it("keeps controlling when the store refuses a write, and reports it", async () => {
    const store = new MemoryRecordStore();
    store.failWith = "flash worn out";
    const { metrics, controller } = warmUp(DEFAULT_PLANT_PARAMS, store, 3600);
    await Promise.resolve();
    assert.ok(metrics.reachS !== null);
    assert.ok(controller.errors.length > 0 && String(controller.errors[0]).includes("flash worn out"));
    assert.equal(store.load(KNOWLEDGE_RECORD), null);
  });

  it("does not chatter the heater at low demand (warm room: the need is a few percent)", () => {
    const params = { ...DEFAULT_PLANT_PARAMS, roomC: 34.5, initialC: 34.5 };
    const { metrics } = warmUp(params, new MemoryRecordStore(), 3 * 3600);
    assert.ok(metrics.heaterSwitches <= 20, `${metrics.heaterSwitches} heater switches in 3 h`);
    assert.ok(metrics.peakToPeak <= 0.2, `p-p ${metrics.peakToPeak}`);
  });

  it("the bench's firmware controller keeps its learning through a mains cut", () => {
    const c = new FirmwareController();
    const rig = new BenchRig(DEFAULT_PLANT_PARAMS, c, { seed: 3, humidifier: "off" });
    c.setHumidity(30);
    c.setTemperature(36);
    c.start();
    rig.run(2 * 3600);
    const before = c.records.load(KNOWLEDGE_RECORD);
    assert.ok(before !== null);
    rig.powerOff();
    rig.run(600);
    rig.powerOn();
    rig.run(600);
    assert.equal(c.core.snapshot().state !== "STANDBY", true, "therapy resumed");
    assert.ok(c.records.load(KNOWLEDGE_RECORD) !== null);
    assert.ok(Math.abs(rig.plant.state.airC - 36) < 0.3, `air ${rig.plant.state.airC}`);
  });

  /** Held at 36 °C for 3 h, then `event`; the true air over the next 30 minutes. */
  function afterEvent(name: string, event: (rig: BenchRig) => number, mains = false) {
    const params = loadPlantParams(`host-sim/plant/family/${name}.json`);
    const c = new FirmwareController();
    const rig = new BenchRig(params, c, { seed: 5, humidifier: "off" });
    c.setHumidity(30);
    c.setTemperature(36);
    c.start();
    rig.run(3 * 3600);
    const endsAt = event(rig);
    let min = Infinity;
    let max = -Infinity;
    let lastOutside = 0;
    let boostedWhileLow = 0;
    for (let t = 1; t <= 1800; t++) {
      if (mains && t === endsAt) rig.powerOn();
      rig.second();
      const air = rig.plant.state.airC;
      min = Math.min(min, air);
      if (t > endsAt) max = Math.max(max, air);
      if (Math.abs(air - 36) > 0.2) lastOutside = t;
      if (air < 35.5 && rig.command.fanDuty > 0.5) boostedWhileLow++;
    }
    return { drop: 36 - min, rebound: max - 36, recoveryS: lastOutside - endsAt, boostedWhileLow };
  }

  it("resumes after a 10-minute mains cut without sagging short of the target or rebounding (a hood near its heater's limit, a preterm baby)", () => {
    for (const name of ["leaky-hood", "preterm-800g", "heater-600w"]) {
      const r = afterEvent(name, (rig) => {
        rig.powerOff();
        return 600;
      }, true);
      assert.ok(r.recoveryS <= 160, `${name}: within 0.2 °C ${r.recoveryS} s after the power came back`);
      assert.ok(r.rebound <= 0.07, `${name}: rebound ${r.rebound.toFixed(3)} °C`);
    }
  });

  it("boosts the fan while a 2-minute porthole keeps the air low, for a weak heater too (the element's heat goes to the air, not into a rebound)", () => {
    const r = afterEvent("heater-250w", (rig) => {
      rig.plant.openPorthole(120);
      return 120;
    });
    assert.ok(r.boostedWhileLow > 30, `fan boosted ${r.boostedWhileLow} s while the air was low`);
    assert.ok(r.drop <= 1.35, `drop ${r.drop.toFixed(2)} °C`);
    assert.ok(r.rebound <= 0.15, `rebound ${r.rebound.toFixed(2)} °C`);
  });

  it("near the cut-out a weak heater reaches a raised setpoint with the fan low, and once a porthole drops the air the fan follows its full heat", () => {
    const params = loadPlantParams("host-sim/plant/family/heater-250w.json");
    // In service: what a first session on this incubator taught it (as the bench's "ours").
    const learned = commission(params);
    const settled: number[] = [];
    let rig: BenchRig | null = null;
    for (const seed of [5, 6, 7]) {
      const c = new FirmwareController(learned.copy());
      rig = new BenchRig(params, c, { seed, humidifier: "off" });
      c.setHumidity(30);
      c.setTemperature(36);
      c.start();
      rig.run(3 * 3600);
      c.setTemperature(37);
      let lastOutside = 0;
      for (let t = 1; t <= 1800; t++) {
        rig.second();
        if (Math.abs(rig.plant.state.airC - 37) > 0.2) lastOutside = t;
      }
      settled.push(lastOutside);
    }
    // (The fan following the full heat of a heater with little to spare held the air 0.2-0.3 °C
    // short for 9 minutes.)
    assert.ok(Math.max(...settled) <= 240, `within 0.2 °C of 37 °C from ${settled.join(", ")} s`);
    const r = rig as BenchRig;
    r.plant.openPorthole(120);
    let followed = 0;
    for (let t = 1; t <= 120; t++) {
      r.second();
      if (r.plant.state.airC < 36.4 && r.command.heaterDuty === 1 && r.command.fanDuty > 0.9) followed++;
    }
    assert.ok(followed > 60, `fan with the full heat for ${followed} s of the porthole`);
  });

  it("a long porthole with the air target near the cut-out (skin mode, an override setpoint) leaves the element no store to carry the air into the cut-out when it closes (slow element, 30 °C room)", () => {
    const params = { ...loadPlantParams("host-sim/plant/family/slow-element.json"), roomC: 30 };
    for (const [mode, setpoint] of [["skin", 37.5], ["air", 38]] as const) {
      const c = new FirmwareController();
      const rig = new BenchRig(params, c, { seed: 269, humidifier: "off" });
      const raised: string[] = [];
      c.core.subscribe((e) => {
        if (e.type === "alarm" && e.change === "raised") raised.push(e.alarm.code);
      });
      c.setMode(mode);
      void c.core.execute("set_temperature", { setpoint, override: setpoint > 37 }, TEST_ORIGIN);
      c.setHumidity(30);
      c.start();
      rig.run(3600);
      // (Before the fan followed the heater there, the element reached 36-39 °C above the air:
      // the true air rose to 39.6 °C after the close and the outlet probe tripped the cut-out.)
      rig.plant.openPorthole(850);
      rig.run(850);
      let highest = -Infinity;
      for (let t = 0; t < 1200; t++) {
        rig.second();
        highest = Math.max(highest, rig.plant.state.airC);
      }
      // Skin mode bounds the air at 39 °C; the override's cut-out is at 40 °C.
      const bound = mode === "skin" ? 39.0 : 39.5;
      assert.ok(highest <= bound, `${mode} ${setpoint} °C: the true air up to ${highest.toFixed(2)} °C after the close (bound ${bound} °C)`);
      assert.ok(!raised.includes("OVERTEMP"), `${mode} ${setpoint} °C: ${raised.join(", ")}`);
    }
  });
});
