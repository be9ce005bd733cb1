import assert from "node:assert/strict";
import type { SensorFrame } from "../../src/core/types";
import { SwitchedHeatPermit } from "../../drivers/heater";
import { SHT31 } from "../../drivers/sht31";
import { applyFault, clearFaults, parseFaultFlags, parseFaultSpec, scheduleFaults, type FaultSpec } from "../../host-sim/faults";
import { SIM_BOARD_ROMS, SimBoard } from "../../host-sim/sim-board";
import { SimTime } from "../../host-sim/sim-time";
import { fakePlant } from "./fake-plant";

function boardRig(seed = 1) {
  const time = new SimTime();
  const plant = fakePlant();
  const permit = new SwitchedHeatPermit();
  const board = new SimBoard({ plant, clock: time, heatPermit: permit, seed });
  const tick = (): SensorFrame => {
    const frame = board.sensors.sample(time.now());
    time.advance(1000);
    return frame;
  };
  return { time, plant, permit, board, tick };
}

function spec(text: string): FaultSpec {
  const parsed = parseFaultSpec(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.spec;
}

/** Healthy for a few ticks, then the fault, then exactly one tick. */
function afterOneFaultyTick(text: string): { frame: SensorFrame; rig: ReturnType<typeof boardRig> } {
  const rig = boardRig();
  for (let i = 0; i < 3; i++) rig.tick();
  const healthy = rig.tick();
  for (const key of ["air", "humidity", "skin", "probeAir", "fanRpm"] as const) {
    assert.equal(healthy[key].fault, undefined, `${key} healthy before the fault: ${healthy[key].detail}`);
  }
  applyFault(rig.board, spec(text));
  return { frame: rig.tick(), rig };
}

describe("the simulated board through the drivers", () => {
  it("finds both probes by ROM search and reads every channel close to the plant", () => {
    const { tick, plant, board } = boardRig();
    tick();
    const f = tick();
    assert.deepEqual(board.sensors.inventory?.problems, []);
    assert.deepEqual([...(board.sensors.inventory?.found ?? [])].sort(), [SIM_BOARD_ROMS.skin, SIM_BOARD_ROMS.probeAir].sort());
    const near = (v: number | null, want: number, tol: number, what: string) =>
      assert.ok(v !== null && Math.abs(v - want) <= tol, `${what}: ${v} vs ${want}`);
    near(f.air.value, plant.state.airC, 0.08, "air");
    near(f.humidity.value, plant.state.rh, 0.3, "humidity");
    near(f.skin.value, plant.state.skinC, 0.1, "skin");
    near(f.probeAir.value, plant.state.outletAirC, 0.1, "probe air");
    near(f.fanRpm.value, plant.state.fanRpm, 60, "fan rpm");
    assert.equal((f.skin.value! * 16) % 1, 0, "DS18B20 readings come in 1/16 °C steps");
  });

  it("skin:unplug -> skin absent within one tick, the other probe unaffected", () => {
    const { frame } = afterOneFaultyTick("skin:unplug");
    assert.equal(frame.skin.value, null);
    assert.equal(frame.skin.fault, "absent");
    assert.match(frame.skin.detail ?? "", new RegExp(SIM_BOARD_ROMS.skin));
    assert.equal(frame.probeAir.fault, undefined);
  });

  it("air-probe:crc=1 -> crc fault within one tick; crc=0.3 shows some crc faults and mostly good readings", () => {
    const { frame } = afterOneFaultyTick("air-probe:crc=1");
    assert.equal(frame.probeAir.fault, "crc");
    assert.equal(frame.probeAir.value, null);
    const rig = boardRig(3);
    applyFault(rig.board, spec("air-probe:crc=0.3"));
    let crc = 0;
    let good = 0;
    rig.tick();
    for (let i = 0; i < 100; i++) {
      const f = rig.tick();
      if (f.probeAir.fault === "crc") crc++;
      else if (f.probeAir.value !== null) good++;
    }
    // One re-read per tick: a tick fails only when both reads are corrupt (about 9 %).
    assert.ok(crc > 0 && crc < 30, `crc faults ${crc}`);
    assert.equal(crc + good, 100);
  });

  it("sht31:nack -> air and humidity absent within one tick", () => {
    const { frame } = afterOneFaultyTick("sht31:nack");
    assert.equal(frame.air.fault, "absent");
    assert.equal(frame.humidity.fault, "absent");
    assert.equal(frame.air.value, null);
  });

  it("sht31:stuck -> stale once the same raw words repeat", () => {
    const { rig } = afterOneFaultyTick("sht31:stuck");
    let f = rig.tick();
    for (let i = 0; i < SHT31.STUCK_REPEATS && f.air.fault === undefined; i++) f = rig.tick();
    assert.equal(f.air.fault, "stale");
    assert.equal(f.humidity.fault, "stale");
  });

  it("skin:power-on-85 -> implausible within one tick, never 85 as a value", () => {
    const { frame, rig } = afterOneFaultyTick("skin:power-on-85");
    assert.equal(frame.skin.fault, "implausible");
    assert.equal(frame.skin.value, null);
    for (let i = 0; i < 5; i++) assert.notEqual(rig.tick().skin.value, 85);
    clearFaults(rig.board, "skin");
    rig.tick();
    const back = rig.tick();
    assert.ok(back.skin.value !== null && Math.abs(back.skin.value - rig.plant.state.skinC) < 0.1);
  });

  it("air-probe:drift=+1.5 -> the probe reads 1.5 °C high (the core's cross-check sees it)", () => {
    const { rig } = afterOneFaultyTick("air-probe:drift=+1.5");
    const f = rig.tick();
    assert.ok(f.probeAir.value !== null && Math.abs(f.probeAir.value - (rig.plant.state.outletAirC + 1.5)) < 0.1, `${f.probeAir.value}`);
    assert.equal(f.probeAir.fault, undefined);
  });

  it("fan:stop -> 0 rpm within one tick and the plant's fan is stuck", () => {
    const { frame, rig } = afterOneFaultyTick("fan:stop");
    assert.equal(frame.fanRpm.value, 0);
    assert.equal(rig.plant.faults.fanStuck, true);
  });

  it("heater:no-heat -> the plant's heater is broken (the core detects it from temperatures)", () => {
    const { rig } = afterOneFaultyTick("heater:no-heat");
    assert.equal(rig.plant.faults.heaterBroken, true);
  });

  it("heater:stuck-on and humidifier:stuck-on|dead override what the drivers write, until cleared", () => {
    const rig = boardRig();
    rig.board.actuators.apply({ heaterDuty: 0, fanDuty: 0.5, humidifierOn: true }, rig.time.now());
    assert.deepEqual([rig.board.outputs.heaterDuty, rig.board.outputs.humidifierOn], [0, true]);
    applyFault(rig.board, spec("heater:stuck-on"));
    applyFault(rig.board, spec("humidifier:dead"));
    assert.deepEqual([rig.board.outputs.heaterDuty, rig.board.outputs.humidifierOn], [1, false]);
    applyFault(rig.board, spec("humidifier:stuck-on"));
    rig.board.actuators.apply({ heaterDuty: 0, fanDuty: 0.5, humidifierOn: false }, rig.time.now());
    assert.equal(rig.board.outputs.humidifierOn, true);
    clearFaults(rig.board, "heater");
    clearFaults(rig.board, "humidifier");
    assert.deepEqual([rig.board.outputs.heaterDuty, rig.board.outputs.humidifierOn], [0, false]);
  });

  it("the heater interlock forces 0 duty unless heat is allowed, and the clamp holds the maximum", () => {
    const time = new SimTime();
    const permit = new SwitchedHeatPermit();
    const board = new SimBoard({ plant: fakePlant(), clock: time, heatPermit: permit, heaterMaxDuty: 0.8 });
    board.actuators.apply({ heaterDuty: 1, fanDuty: 0.6, humidifierOn: true }, 0);
    assert.equal(board.outputs.heaterDuty, 0);
    assert.equal(board.actuators.applied.heaterInterlocked, true);
    assert.ok(Math.abs(board.outputs.fanDuty - 0.6) < 0.001);
    assert.equal(board.outputs.humidifierOn, true);
    permit.set(true);
    board.actuators.apply({ heaterDuty: 1, fanDuty: 0.6, humidifierOn: false }, 1000);
    assert.ok(Math.abs(board.outputs.heaterDuty - 0.8) < 0.001, `${board.outputs.heaterDuty}`);
    board.actuators.apply({ heaterDuty: NaN, fanDuty: 0.6, humidifierOn: false }, 2000);
    assert.equal(board.outputs.heaterDuty, 0);
    permit.set(false);
    board.actuators.apply({ heaterDuty: 0.5, fanDuty: 0.6, humidifierOn: false }, 3000);
    assert.equal(board.outputs.heaterDuty, 0);
    assert.equal(board.heaterPwm.value, 0);
  });

  it("a fault scheduled with @t starts at that simulated time", () => {
    const rig = boardRig();
    scheduleFaults(rig.board, [spec("skin:unplug@t=5s")], rig.time);
    for (let i = 0; i < 5; i++) assert.equal(rig.tick().skin.fault === "absent", false, `tick ${i}`);
    rig.tick();
    assert.equal(rig.tick().skin.fault, "absent");
  });
});

describe("fault specs", () => {
  it("parses every documented form", () => {
    assert.deepEqual(parseFaultSpec("air-probe:crc=0.3"), { ok: true, spec: { target: "air-probe", fault: "crc", rate: 0.3, atMs: 0, text: "air-probe:crc=0.3" } });
    assert.deepEqual(parseFaultSpec("air-probe:drift=+1.5"), { ok: true, spec: { target: "air-probe", fault: "drift", deltaC: 1.5, atMs: 0, text: "air-probe:drift=+1.5" } });
    const later = parseFaultSpec("sht31:nack@t=120s");
    assert.ok(later.ok && later.spec.atMs === 120000 && later.spec.target === "sht31");
    const minutes = parseFaultSpec("fan:stop@t=2m");
    assert.ok(minutes.ok && minutes.spec.atMs === 120000);
    for (const t of ["skin:unplug", "skin:power-on-85", "sht31:stuck", "heater:no-heat", "sht31:unplug", "skin:stuck"]) {
      assert.ok(parseFaultSpec(t).ok, t);
    }
  });

  it("refuses bad specs and names them", () => {
    const bad = ["skin", "toaster:unplug", "skin:melt", "air-probe:crc", "air-probe:crc=2", "air-probe:drift=abc", "fan:stop=3", "skin:unplug@t=soon", "skin:unplug@t=1s@t=2s"];
    for (const text of bad) {
      const r = parseFaultSpec(text);
      assert.equal(r.ok, false, text);
      assert.ok(!r.ok && r.error.includes(`"${text}"`), !r.ok ? r.error : text);
    }
  });

  it("picks --fault flags out of the command line", () => {
    const r = parseFaultFlags(["--port", "8080", "--fault", "skin:unplug", "--fault=fan:stop@t=10s", "--fault", "bogus"]);
    assert.deepEqual(r.rest, ["--port", "8080"]);
    assert.deepEqual(r.specs.map((s) => s.text), ["skin:unplug", "fan:stop@t=10s"]);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /"bogus"/);
    assert.match(parseFaultFlags(["--fault"]).errors[0], /needs a spec/);
  });
});
