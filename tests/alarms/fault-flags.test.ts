// Each alarm provoked the way `npm start --fault <spec>` does it: the fault specs of
// host-sim/faults.ts applied to the simulated board (the firmware's drivers on simulated
// buses and chips over the physical model). Prints the time from fault to alarm.
import assert from "node:assert/strict";
import type { AlarmCode, IncubatorEvent } from "../../src/core/api";
import { applyFault, parseFaultSpec } from "../../host-sim/faults";
import { SimTime } from "../../host-sim/sim-time";
import { SimulatedIncubator } from "../../host-sim/simulated-incubator";
import { TEST_ORIGIN } from "../support/origin";

interface Case {
  readonly code: AlarmCode;
  readonly spec: string;
  readonly mode?: "air" | "skin";
  /** Inject during warm-up instead of once OPERATING. */
  readonly atStart?: boolean;
  readonly withinS: number;
  readonly heaterOff: boolean;
  /** Skin mode falls back to air control at 36.0 °C. */
  readonly fallback?: boolean;
  /** The true cabin air (the model's) is below this when the alarm is raised. */
  readonly airBelowC?: number;
  /** The alarm is raised on the tick of the first outlet-probe reading at or above this. */
  readonly onFirstProbeAtC?: number;
}

const CASES: readonly Case[] = [
  { code: "OVERTEMP", spec: "air-probe:drift=+2.5", withinS: 2, heaterOff: true },
  { code: "TEMP_HIGH", spec: "sht31:drift=+3.3", withinS: 5, heaterOff: true },
  { code: "TEMP_LOW", spec: "sht31:drift=-3.3", withinS: 7, heaterOff: false },
  { code: "SKIN_TEMP_HIGH", spec: "skin:drift=+1.6", mode: "skin", withinS: 5, heaterOff: true },
  { code: "SKIN_TEMP_LOW", spec: "skin:drift=-1.6", mode: "skin", withinS: 7, heaterOff: false },
  { code: "SENSOR_FAULT", spec: "sht31:nack", withinS: 7, heaterOff: true },
  { code: "SENSOR_FAULT", spec: "air-probe:crc=1", withinS: 5, heaterOff: true },
  { code: "SENSOR_FAULT", spec: "air-probe:unplug", withinS: 7, heaterOff: true },
  { code: "SENSOR_FAULT", spec: "skin:unplug", mode: "skin", withinS: 7, heaterOff: false, fallback: true },
  { code: "SENSOR_FAULT", spec: "air-probe:drift=+1.5", withinS: 13, heaterOff: true },
  { code: "FAN_FAILURE", spec: "fan:stop", withinS: 8, heaterOff: true },
  { code: "HEATER_FAULT", spec: "heater:no-heat", atStart: true, withinS: 660, heaterOff: true },
  // A welded heater relay heats whatever the firmware commands: the cut-out is what trips.
  // The time from the weld depends on the state the fault meets, not on the detection, which
  // is on the tick of the first outlet-probe reading >= 38.0 °C with either controller
  // (checked below). Measured on this board, seeds 1, 2, 3, 5, five minutes into OPERATING:
  //  - main's controller (fan follows heater demand: 84-88 % at the weld, hood 32.5 °C after a
  //    2160 s warm-up): OVERTEMP 247-248 s after the weld, true air 37.57-37.59 °C then,
  //    true air 40 °C 464 s after the alarm;
  //  - this controller (fan at its floor at the weld, element 70.8 °C, hood 30.6 °C after a
  //    1590 s warm-up; the element guard then raises the fan to about 51 % once the heater is
  //    commanded off, the welded element's share above the lagged air being past its standard
  //    margin): OVERTEMP 337-399 s (seed 3: 399), true air 37.41-37.50 °C then, true air
  //    40 °C 553-572 s after the alarm. About 115 s of the difference is the guard's fan (284 s
  //    with its boost held at 0 after the weld), the rest the cooler hood.
  // So the alarm comes later but at a lower air temperature, with more time before 40 °C:
  // the bound is on the true air at the alarm (airBelowC) as well as on the time.
  { code: "OVERTEMP", spec: "heater:stuck-on", withinS: 420, heaterOff: true, airBelowC: 37.7, onFirstProbeAtC: 38.0 },
  { code: "HUMIDITY_LOW", spec: "humidifier:dead", withinS: 1200, heaterOff: false },
  { code: "HUMIDITY_HIGH", spec: "humidifier:stuck-on", withinS: 1200, heaterOff: false },
];

describe("Alarms through the --fault specs on the simulated board", function () {
  this.timeout(60_000);
  const rows: string[] = [];
  after(() => {
    console.log(["", "Fault flag → alarm on the simulated board (drivers, buses, chips, physical model):", ...rows].join("\n"));
  });

  for (const c of CASES) {
    it(`${c.spec}${c.mode === "skin" ? " (skin mode)" : ""} raises ${c.code}`, async () => {
      const time = new SimTime();
      const sim = new SimulatedIncubator({ time, seed: 3 });
      const events: IncubatorEvent[] = [];
      sim.incubator.subscribe((e) => { if (e.type === "alarm") events.push(e); });
      sim.incubator.start();
      if (c.mode === "skin") sim.incubator.execute("set_mode", { mode: "skin" }, TEST_ORIGIN);
      sim.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
      if (!c.atStart) {
        for (let i = 0; i < 3 * 3600 && sim.incubator.snapshot().state !== "OPERATING"; i++) time.advance(1000);
        time.advance(300_000);
        assert.deepEqual(sim.incubator.snapshot().alarms.map((a) => a.code), [], "quiet before the fault");
      }
      const parsed = parseFaultSpec(c.spec);
      assert.ok(parsed.ok);
      if (!parsed.ok || sim.board === null) return;
      const from = events.length;
      const t0 = time.now();
      applyFault(sim.board, parsed.spec);
      let raisedAt: number | null = null;
      let probeAt: number | null = null;
      let airAtAlarm = NaN;
      for (let i = 0; i < c.withinS + 5 && raisedAt === null; i++) {
        time.advance(1000);
        const probe = sim.incubator.snapshot().probeAir;
        if (probeAt === null && c.onFirstProbeAtC !== undefined && probe !== null && probe >= c.onFirstProbeAtC) probeAt = time.now();
        if (events.slice(from).some((e) => e.type === "alarm" && e.change === "raised" && e.alarm.code === c.code)) { raisedAt = time.now(); airAtAlarm = sim.plant.state.airC; }
      }
      assert.notEqual(raisedAt, null, `${c.code} within ${c.withinS + 5} s`);
      const s = (raisedAt! - t0) / 1000;
      rows.push(`| ${c.code.padEnd(15)} | --fault ${c.spec.padEnd(22)}${c.mode === "skin" ? " (skin mode)" : "            "} | ${String(s).padStart(4)} s |`);
      assert.ok(s <= c.withinS, `${s} s`);
      if (c.onFirstProbeAtC !== undefined) assert.equal(raisedAt, probeAt, "raised on the tick of the first probe reading at the limit");
      if (c.airBelowC !== undefined) assert.ok(airAtAlarm < c.airBelowC, `true air ${airAtAlarm.toFixed(2)} °C at the alarm`);
      time.advance(1000);
      if (c.fallback) {
        assert.equal(sim.incubator.snapshot().effectiveMode, "air");
        assert.notEqual(sim.incubator.snapshot().state, "FAULT");
        time.advance(3600_000);
        assert.ok(Math.abs(sim.plant.state.airC - 36) < 0.3, `air ${sim.plant.state.airC} under the fallback`);
      } else if (c.heaterOff) assert.equal(sim.incubator.snapshot().heaterPercent, 0, "heater off");
      else assert.ok(sim.incubator.snapshot().heaterPercent > 0, "heater left on");
    });
  }
});
