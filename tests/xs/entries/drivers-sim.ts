// XS entry for tests/xs/drivers-on-xs.test.ts: the drivers against the simulated buses and
// chips (the very code that runs on the ESP32, apart from the bus binding), with faults
// injected on the way. Returns every frame so Node and XS can be compared reading by reading.
import { SwitchedHeatPermit } from "../../../drivers/heater";
import { applyFault, parseFaultSpec } from "../../../host-sim/faults";
import { SimBoard, type PlantLike } from "../../../host-sim/sim-board";
import { SimTime } from "../../../host-sim/sim-time";
import type { Reading } from "../../../src/core/types";

export interface DriversRunInput {
  readonly ticks: number;
  readonly seed: number;
  /** Fault specs applied just before the given tick. */
  readonly faults: readonly { readonly atTick: number; readonly spec: string }[];
}

function compact(r: Reading): string {
  return r.value !== null ? `${r.value}@${r.atMs}` : `${r.fault}:${r.detail}@${r.faultSinceMs}`;
}

export function run(input: DriversRunInput) {
  const time = new SimTime();
  const state = { airC: 30, outletAirC: 30.4, skinC: 35.5, rh: 50, fanRpm: 1500 };
  const plant: PlantLike & { state: typeof state } = {
    state,
    sensed: state,
    faults: { heaterBroken: false, fanStuck: false },
  };
  const permit = new SwitchedHeatPermit();
  const board = new SimBoard({ plant, clock: time, heatPermit: permit, seed: input.seed, heaterMaxDuty: 0.85 });
  const frames: string[][] = [];
  const outputs: number[] = [];
  for (let i = 0; i < input.ticks; i++) {
    for (const f of input.faults) {
      if (f.atTick !== i) continue;
      const parsed = parseFaultSpec(f.spec);
      if (!parsed.ok) throw new Error(parsed.error);
      applyFault(board, parsed.spec);
    }
    // A plant that moves, with temperatures below zero on the way for the sign extension.
    plant.state.airC = 30 + 4 * Math.sin(i / 9);
    plant.state.outletAirC = plant.state.airC + 0.4;
    plant.state.skinC = -2 + i * 0.37;
    plant.state.rh = 50 + 10 * Math.cos(i / 5);
    plant.state.fanRpm = plant.faults.fanStuck ? 0 : 1500 + 20 * i;
    const frame = board.sensors.sample(time.now());
    frames.push([compact(frame.air), compact(frame.humidity), compact(frame.skin), compact(frame.probeAir), compact(frame.fanRpm)]);
    permit.set(i % 3 !== 0);
    board.actuators.apply({ heaterDuty: (i % 11) / 10, fanDuty: 0.5, humidifierOn: i % 2 === 0 }, time.now());
    outputs.push(board.heaterPwm.value);
    time.advance(1000);
  }
  return {
    frames,
    outputs,
    inventory: board.sensors.inventory,
    counters: { sht31: board.sensors.sht31.counters, slots: board.oneWire.slots, i2c: board.i2c.transactions },
  };
}
