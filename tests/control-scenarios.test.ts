// The firmware core against the physical incubator model, on simulated time, held to the
// limits of IEC 60601-2-19 (baby incubators) and to the benchmark's own metrics.
import assert from "node:assert/strict";
import { FirmwareController } from "../host-sim/bench/firmware-controller";
import { recoveryMetrics, responseMetrics } from "../host-sim/bench/metrics";
import { ArduinoPidV1 } from "../host-sim/bench/references";
import { BenchRig } from "../host-sim/bench/rig";
import { DEFAULT_PLANT_PARAMS, type PlantParams } from "../host-sim/plant/params";

function firmwareRig(params: PlantParams = DEFAULT_PLANT_PARAMS) {
  const controller = new FirmwareController();
  const rig = new BenchRig(params, controller);
  return { controller, rig };
}

/** Runs `seconds` and returns the true air (or skin) temperature and heater duty each second. */
function trace(rig: BenchRig, seconds: number, read: () => number) {
  const tS: number[] = [];
  const value: number[] = [];
  const heater: number[] = [];
  const humidifier: number[] = [];
  for (let i = 1; i <= seconds; i++) {
    rig.second();
    tS.push(i);
    value.push(read());
    heater.push(rig.command.heaterDuty);
    humidifier.push(rig.command.humidifierOn ? 1 : 0);
  }
  return { tS, value, heater, humidifier };
}

/** IEC 60601-2-19 temperature variability: at steady state, no reading differs from the mean by more than 0.5 °C. */
function variability(values: number[]): number {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return Math.max(...values.map((x) => Math.abs(x - mean)));
}

describe("control scenarios on the incubator model (IEC 60601-2-19)", () => {
  it("warms up from a 25 °C room to 36 °C air without overshooting more than 2 °C, then holds it within 0.5 °C", () => {
    const { controller, rig } = firmwareRig();
    controller.setTemperature(36);
    controller.start();
    const warm = trace(rig, 2 * 3600, () => rig.plant.state.airC);
    const m = responseMetrics(warm, 36, 0.5, 0.2);
    assert.ok(m.reachS !== null && m.reachS < 50 * 60, `warm-up took ${m.reachS} s`);
    assert.ok(m.overshoot <= 2.0, `overshoot ${m.overshoot} °C`);
    assert.ok(m.overshoot <= 0.2, `overshoot ${m.overshoot} °C is above the benchmark target`);
    assert.equal(controller.core.snapshot().state, "OPERATING");
    const steady = trace(rig, 3600, () => rig.plant.state.airC);
    assert.ok(variability(steady.value) <= 0.5, `variability ${variability(steady.value)} °C`);
    assert.ok(variability(steady.value) <= 0.1, `variability ${variability(steady.value)} °C is far worse than the bench shows`);
  });

  it("steps 36 → 37 °C with at most 2 °C overshoot (and within the benchmark's 0.2 °C)", () => {
    const { controller, rig } = firmwareRig();
    controller.setTemperature(36);
    controller.start();
    rig.run(3 * 3600);
    controller.setTemperature(37);
    const m = responseMetrics(trace(rig, 2 * 3600, () => rig.plant.state.airC), 37, 0.5, 0.2);
    assert.ok(m.overshoot <= 2.0 && m.overshoot <= 0.2, `overshoot ${m.overshoot} °C`);
    assert.ok(m.settleS !== null && m.settleS < 10 * 60, `settled after ${m.settleS} s`);
    assert.ok(m.peakToPeak <= 0.2, `steady peak-to-peak ${m.peakToPeak}`);
  });

  it("recovers from a 60 s porthole opening within minutes", () => {
    const { controller, rig } = firmwareRig();
    controller.setTemperature(36);
    controller.start();
    rig.run(3 * 3600);
    rig.plant.openPorthole(60);
    const t = trace(rig, 60 + 3600, () => rig.plant.state.airC);
    const m = recoveryMetrics({ ...t, tS: t.tS.map((s) => s - 60) }, 36, 0.2);
    assert.ok(m.maxDrop > 0.3, `the porthole did disturb the air (${m.maxDrop} °C)`);
    assert.ok(m.recoveryS !== null && m.recoveryS < 5 * 60, `recovered after ${m.recoveryS} s`);
    assert.ok(m.overshoot <= 0.5, `rebound ${m.overshoot} °C`);
  });

  it("in skin mode brings the skin to 36.5 °C with the air bounded, and holds it within 0.5 °C", () => {
    const { controller, rig } = firmwareRig();
    controller.setMode("skin");
    controller.setTemperature(36.5);
    controller.start();
    let maxAir = -Infinity;
    const warm = trace(rig, 3 * 3600, () => {
      maxAir = Math.max(maxAir, rig.plant.state.airC);
      return rig.plant.state.skinC;
    });
    const m = responseMetrics(warm, 36.5, 0.5, 0.2);
    assert.ok(m.settleS !== null, "skin settles within ±0.2 °C");
    assert.ok(m.overshoot <= 0.2, `skin overshoot ${m.overshoot}`);
    assert.ok(maxAir < 39.5, `air reached ${maxAir} °C`);
    assert.ok(variability(trace(rig, 3600, () => rig.plant.state.skinC).value) <= 0.5);
  });

  it("holds the humidity setpoint within ±2 %RH after a 40 → 60 %RH step", () => {
    const { controller, rig } = firmwareRig();
    controller.setTemperature(36);
    controller.setHumidity(40);
    controller.start();
    rig.run(3 * 3600);
    controller.setHumidity(60);
    const t = trace(rig, 2 * 3600, () => rig.plant.state.rh);
    const m = responseMetrics(t, 60, 2, 2);
    assert.ok(m.settleS !== null && m.settleS < 15 * 60, `humidity settled after ${m.settleS} s`);
    assert.ok(m.peakToPeak < 2, `humidity ripple ${m.peakToPeak} %RH`);
    assert.ok(Math.abs(rig.plant.state.airC - 36) < 0.3, "the humidifier's latent heat does not upset the air control");
  });

  it("runs a simulated day with disturbances in seconds, ticking every second without overruns", () => {
    const { controller, rig } = firmwareRig();
    controller.setTemperature(36);
    controller.start();
    let worstAfterHour = 0;
    for (let hour = 0; hour < 24; hour++) {
      if (hour % 3 === 2) rig.plant.openPorthole(90);
      if (hour === 12) rig.plant.setRoomTemperature(22);
      for (let s = 0; s < 3600; s++) {
        rig.second();
        // Away from the porthole openings, past the warm-up.
        if (hour >= 1 && s > 900) worstAfterHour = Math.max(worstAfterHour, Math.abs(rig.plant.state.airC - 36));
      }
    }
    const snap = controller.core.snapshot();
    assert.equal(snap.seq, 86401);
    assert.equal(snap.overruns, 0);
    assert.equal(snap.skippedTicks, 0);
    assert.equal(snap.state, "OPERATING");
    assert.ok(worstAfterHour <= 0.5, `air strayed ${worstAfterHour} °C from the setpoint at steady state`);
  });
});

describe("benchmark instruments", () => {
  it("the Arduino PID_v1 law: sample-time gating, gains scaled by it, clamped integral and output", () => {
    const pid = new ArduinoPidV1(2, 0.5, 4, 4000, 0, 10, 0);
    pid.setAutomatic(20);
    assert.equal(pid.compute(20, 21, 0), true); // first call runs at once (lastTime = now − SampleTime)
    assert.equal(pid.output, 2 * 1 + 0.5 * 4 * 1); // P + I (ki·Ts·error), no input change yet
    assert.equal(pid.compute(20.4, 21, 1000), false); // not yet 4 s
    assert.equal(pid.compute(20.4, 21, 4000), true);
    // error 0.6: P 1.2; I 2 + 0.5·4·0.6 = 3.2; D −(4/4)·0.4 = −0.4
    assert.ok(Math.abs(pid.output - (1.2 + 3.2 - 0.4)) < 1e-12);
    for (let t = 8000; t < 200000; t += 4000) pid.compute(0, 100, t);
    assert.equal(pid.output, 10);
  });

  it("response metrics read reach, settling, overshoot and steady peak-to-peak off a trace", () => {
    const tS = Array.from({ length: 4000 }, (_, i) => i + 1);
    // Rises 0.01/s from 30, overshoots to 36.3 at ~630 s, settles at 36.05.
    const value = tS.map((t) => (t < 600 ? 30 + t * 0.01 : t < 660 ? 36.3 : 36.05));
    const m = responseMetrics({ tS, value, heater: tS.map((t) => (t % 100 < 50 ? 1 : 0)), humidifier: tS.map(() => 0) }, 36, 0.5, 0.2);
    assert.equal(m.reachS, 550);
    assert.equal(m.settleS, 660);
    assert.ok(Math.abs(m.overshoot - 0.3) < 1e-9);
    assert.ok(Math.abs(m.peakToPeak) < 1e-9);
    assert.equal(m.peakToPeakSettled, true);
    assert.equal(m.heaterSwitches, 80); // a change every 50 s over 4000 s
    assert.equal(m.humidifierSwitches, 0);
  });
});
