// Property-based tests over simulated days of random commands, setpoints, porthole
// openings, room changes and injected faults: at every tick the safety invariants of
// PRODUCT.md hold, no alarm is lost or duplicated, every alarm's events follow its
// lifecycle, and the true air temperature never passes the cut-out limit in force by
// more than the plant's thermal lag allows.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { AlarmInfo, IncubatorEvent, Snapshot } from "../../src/core/api";
import type { SensorFrame } from "../../src/core/types";
import { makeRig, type ChannelFault, type Rig } from "./rig";
import { SAFETY_REGRESSIONS } from "./safety-regressions";

export type Step =
  | { t: "setTemp"; v: number; override: boolean }
  | { t: "setHum"; v: number }
  | { t: "mode"; m: "air" | "skin" }
  | { t: "state"; s: "start" | "stop" | "standby" | "reset" }
  | { t: "ack"; k: number }
  | { t: "ackAll" }
  | { t: "porthole"; s: number }
  | { t: "room"; c: number }
  | { t: "sensor"; ch: keyof SensorFrame; f: ChannelFault }
  | { t: "fan"; stalled: boolean }
  | { t: "heaterOpen"; v: boolean }
  | { t: "heaterStuck"; v: boolean }
  | { t: "humidifier"; v: "ok" | "dead" | "stuck" }
  | { t: "clear" };

const tenth = (min: number, max: number) => fc.integer({ min: min * 10, max: max * 10 }).map((v) => v / 10);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("setTemp" as const), v: tenth(15, 42), override: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("setHum" as const), v: fc.integer({ min: 20, max: 95 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("mode" as const), m: fc.constantFrom("air" as const, "skin" as const) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant("state" as const), s: fc.constantFrom("start" as const, "start" as const, "stop" as const, "standby" as const, "reset" as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("ack" as const), k: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("ackAll" as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("porthole" as const), s: fc.integer({ min: 10, max: 900 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("room" as const), c: fc.integer({ min: 18, max: 30 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("sensor" as const),
      ch: fc.constantFrom<keyof SensorFrame>("air", "probeAir", "skin", "humidity", "fanRpm"),
      f: fc.oneof(
        fc.constantFrom<ChannelFault>("absent", "crc", "implausible"),
        tenth(-1.5, 1.5).map((offset): ChannelFault => ({ offset })),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("fan" as const), stalled: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("heaterOpen" as const), v: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("heaterStuck" as const), v: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("humidifier" as const), v: fc.constantFrom("ok" as const, "dead" as const, "stuck" as const) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("clear" as const) }) },
);

export type Schedule = ReadonlyArray<readonly [Step, number]>;

/** Step and how long to run after it, seconds. */
const scheduleArb = fc.array(fc.tuple(stepArb, fc.integer({ min: 1, max: 2400 })), { minLength: 20, maxLength: 70 });

function apply(rig: Rig, step: Step): void {
  const f = rig.faults;
  switch (step.t) {
    case "setTemp": rig.cmd("set_temperature", { setpoint: step.v, override: step.override }); break;
    case "setHum": rig.cmd("set_humidity", { setpoint: step.v }); break;
    case "mode": rig.cmd("set_mode", { mode: step.m }); break;
    case "state": rig.cmd("set_state", { state: step.s }); break;
    case "ack": {
      const active = rig.incubator.snapshot().alarms;
      rig.cmd("acknowledge_alarm", { alarm_id: active.length > 0 ? active[step.k % active.length].id : 1000 + step.k });
      break;
    }
    case "ackAll": rig.cmd("acknowledge_all", {}); break;
    case "porthole": rig.plant.openPorthole(step.s); break;
    case "room": rig.plant.setRoom(step.c); break;
    // One faulty sensor channel at a time: two channels wrong the same way is a double fault
    // no single cross-check can see.
    case "sensor": f.sensors = { [step.ch]: step.f }; break;
    case "fan": f.fanStalled = step.stalled; break;
    case "heaterOpen": f.heaterOpen = step.v; break;
    case "heaterStuck": f.heaterStuckOn = step.v; break;
    case "humidifier": f.humidifierDead = step.v === "dead"; f.humidifierStuckOn = step.v === "stuck"; break;
    case "clear":
      f.sensors = {}; f.fanStalled = false; f.heaterOpen = false; f.heaterStuckOn = false; f.humidifierDead = false; f.humidifierStuckOn = false;
      break;
  }
}

/** How far the true air may pass the cut-out limit in force after the cut-out has switched
 *  the heater off: the model's element (1.2 kJ/K, up to ~20 K above the air at full power,
 *  ~24 kJ) still gives its heat to the air (4 kJ/K) and the heavy hood (80 kJ/K), while the
 *  outlet probe it trips on is a lagging (20 s) channel with its own ±0.2 °C offset. Runs
 *  with the air sensor reading low by up to 1 °C at the override setpoint go ~0.5 °C over. */
const THERMAL_LAG_MARGIN_C = 1.0;

/** The injected faults that may cause each equipment alarm (a sensor fault can show as
 *  anything a wrong reading implies; a welded heater or a stalled fan leave the element hot
 *  enough for the outlet probe to read more than 1 °C above the cabin air). */
const EQUIPMENT_CAUSES: Partial<Record<string, readonly string[]>> = {
  SENSOR_FAULT: ["sensor", "heaterStuck", "fan"],
  FAN_FAILURE: ["fan", "sensor"],
  HEATER_FAULT: ["heaterOpen", "heaterStuck", "sensor"],
  OVERTEMP: ["heaterStuck", "sensor"],
};

/** Watches every event and checks the invariants at every tick. */
class SafetyMonitor {
  readonly violations: string[] = [];
  ticks = 0;
  maxExcessC = -Infinity;
  raisedCount = 0;
  readonly raisedByCode = new Map<string, number>();
  /** A welded heater relay heats whatever the firmware commands: the true-air bound is
   *  suspended from the weld until the air is back below the limit. */
  private weldSeen = false;
  /** Kinds of fault injected so far in this run. */
  readonly injected = new Set<string>();
  private readonly lifecycle = new Map<number, string[]>();
  private lastId = 0;
  private raisedLimit = false;
  private airNullRun = 0;
  private probeNullRun = 0;
  private fanStillRun = 0;
  /** The tachometer has shown the fan turning (driven the tick before, ≥ 300 rpm) since
   *  therapy last started or FAULT was last reset. */
  private airflowProven = false;
  private previousFanPercent = 0;
  /** The last tick at which the true fan was driven and turning (≥ 300 rpm) while in FAULT. */
  private lastFaultSpinTick = -Infinity;

  constructor(private readonly rig: Rig) {
    rig.incubator.subscribe((e) => this.on(e));
  }

  private fail(s: Snapshot | null, what: string): void {
    if (this.violations.length < 5) this.violations.push(`tick ${s?.seq ?? "-"} (${s?.state}, ${s?.mode}): ${what}`);
  }

  private on(e: IncubatorEvent): void {
    if (e.type === "alarm") this.onAlarm(e.alarm, e.change);
    if (e.type === "tick") this.onTick(e.snapshot);
    if (e.type === "state_change") {
      if (e.previous === "STANDBY" || e.previous === "FAULT") this.airflowProven = false;
      // A reset leaves FAULT only once the fan has been spun and read, and never with the fan stalled.
      if (e.previous === "FAULT") {
        if (this.rig.faults.fanStalled) this.fail(null, `left FAULT (${e.reason}) with the fan stalled`);
        // (The tick that leaves FAULT may be the one whose reading proves the fan.)
        const spunNow = this.previousFanPercent >= 10 && this.rig.plant.fanRpm >= 300;
        if (!spunNow && this.ticks - this.lastFaultSpinTick > 15) this.fail(null, `left FAULT (${e.reason}) without the fan spun and read in the last 15 s`);
      }
    }
  }

  private onAlarm(a: AlarmInfo, change: "raised" | "acknowledged" | "cleared"): void {
    const seen = this.lifecycle.get(a.id) ?? [];
    if (change === "raised") {
      if (seen.length > 0) this.fail(null, `alarm ${a.id} raised twice`);
      if (a.id <= this.lastId) this.fail(null, `alarm id ${a.id} not new (last ${this.lastId})`);
      this.lastId = Math.max(this.lastId, a.id);
      this.raisedCount++;
      this.raisedByCode.set(a.code, (this.raisedByCode.get(a.code) ?? 0) + 1);
      // No false alarms: equipment alarms only after a fault that can cause them.
      const causes = EQUIPMENT_CAUSES[a.code];
      if (causes && !causes.some((c) => this.injected.has(c))) this.fail(null, `${a.code} raised without a fault that causes it: ${a.message}`);
    } else {
      if (seen.length === 0) this.fail(null, `alarm ${a.id} ${change} before it was raised`);
      if (seen.includes("cleared")) this.fail(null, `alarm ${a.id} ${change} after it was cleared`);
      if (seen.includes(change)) this.fail(null, `alarm ${a.id} ${change} twice`);
      if (change === "cleared" && a.active) this.fail(null, `alarm ${a.id} cleared but active`);
      if (change === "cleared" && a.latching && a.acknowledgedAtMs === null) this.fail(null, `latching alarm ${a.id} cleared without acknowledgement`);
    }
    seen.push(change);
    this.lifecycle.set(a.id, seen);
  }

  private onTick(s: Snapshot): void {
    this.ticks++;
    const active = s.alarms;
    const has = (code: string) => active.some((a) => a.code === code);
    const heat = s.heaterPercent > 0;

    // Heater duty is 0 whenever …
    if (heat && (s.state === "STANDBY" || s.state === "FAULT")) this.fail(s, `heater ${s.heaterPercent} % in ${s.state}`);
    if (heat && (s.air === null || s.probeAir === null)) this.fail(s, "heater on without a valid air or cut-out reading");
    const strictLimit = s.mode === "skin" || s.setpoints.override ? 40 : 38;
    if (heat && s.probeAir !== null && s.probeAir >= strictLimit) this.fail(s, `heater on with the probe at ${s.probeAir} ≥ ${strictLimit}`);
    for (const code of ["FAN_FAILURE", "TEMP_HIGH", "SKIN_TEMP_HIGH"]) if (heat && has(code)) this.fail(s, `heater on with ${code} active`);
    // … and until the fan has been proven turning by the tachometer since therapy started or FAULT was reset.
    if (this.previousFanPercent >= 10 && s.fanRpm !== null && s.fanRpm >= 300) this.airflowProven = true;
    if (heat && !this.airflowProven) this.fail(s, "heater on before the tachometer proved the fan turning since therapy started or FAULT was reset");
    if (s.state === "FAULT" && this.previousFanPercent >= 10 && this.rig.plant.fanRpm >= 300) this.lastFaultSpinTick = this.ticks;
    this.previousFanPercent = s.fanPercent;

    // Setpoints stay in range whatever the commands.
    const sp = s.setpoints;
    if (sp.air < 20 || sp.air > (sp.override ? 39 : 37) || sp.skin < 35 || sp.skin > 37.5 || sp.humidity < 30 || sp.humidity > 85) {
      this.fail(s, `setpoint out of range ${JSON.stringify(sp)}`);
    }

    // The active list is exactly the alarms raised and not cleared; no duplicates.
    const open = [...this.lifecycle.entries()].filter(([, ev]) => !ev.includes("cleared")).map(([id]) => id).sort((a, b) => a - b);
    const listed = active.map((a) => a.id);
    if (JSON.stringify(open) !== JSON.stringify(listed)) this.fail(s, `active ${JSON.stringify(listed)} but raised-not-cleared ${JSON.stringify(open)}`);
    const keys = active.map((a) => (a.code === "SENSOR_FAULT" ? a.message.split(":").slice(0, 2).join(":") : a.code));
    if (new Set(keys).size !== keys.length) this.fail(s, `duplicate active alarms ${JSON.stringify(keys)}`);

    // No alarm lost: conditions that must have raised by now.
    if (s.mode === "skin" || sp.override) this.raisedLimit = true;
    else if (s.probeAir !== null && s.probeAir < 37.5) this.raisedLimit = false;
    const limit = this.raisedLimit ? 40 : 38;
    if (s.probeAir !== null && s.probeAir >= limit && !has("OVERTEMP")) this.fail(s, `probe ${s.probeAir} ≥ ${limit} without OVERTEMP`);
    this.airNullRun = s.air === null ? this.airNullRun + 1 : 0;
    this.probeNullRun = s.probeAir === null ? this.probeNullRun + 1 : 0;
    const sensorFault = (label: string) => active.some((a) => a.code === "SENSOR_FAULT" && a.message.includes(label));
    if (this.airNullRun >= 6 && !sensorFault("air temperature (SHT31)")) this.fail(s, "air channel silent 6 s without SENSOR_FAULT");
    if (this.probeNullRun >= 6 && !sensorFault("air probe")) this.fail(s, "cut-out channel silent 6 s without SENSOR_FAULT");
    this.fanStillRun = s.fanPercent >= 10 && (s.fanRpm === null || s.fanRpm < 300) ? this.fanStillRun + 1 : 0;
    if (this.fanStillRun >= 11 && !has("FAN_FAILURE")) this.fail(s, "fan driven but still for 11 s without FAN_FAILURE");

    // The true air temperature against the cut-out limit in force.
    const excess = this.rig.plant.airC - limit;
    // A welded heater heats whatever the firmware does; the heat it left in the hood and in the
    // element itself (over 100 °C after an hour welded with the fan stopped in FAULT) keeps
    // coming back into the air until both have cooled below the limit too.
    if (this.rig.faults.heaterStuckOn) this.weldSeen = true;
    else if (excess < 0 && this.rig.plant.hoodC < limit && this.rig.plant.elementC < limit) this.weldSeen = false;
    if (this.weldSeen) return;
    this.maxExcessC = Math.max(this.maxExcessC, excess);
    if (excess > THERMAL_LAG_MARGIN_C) this.fail(s, `true air ${this.rig.plant.airC.toFixed(2)} °C passes the ${limit} °C cut-out by more than ${THERMAL_LAG_MARGIN_C} °C`);
  }
}

/** Runs per `npm test` (a new seed each time): about 9 simulated days, under a minute on
 *  one core. The 5 000-run campaigns of issue 11 ran with SAFETY_RUNS in chunks. */
const CI_RUNS = 20;

/** One run: starts therapy, applies each step and runs its time; the monitor says what broke. */
function runSchedule(schedule: Schedule, seed: number): SafetyMonitor {
  const rig = makeRig({ seed });
  const monitor = new SafetyMonitor(rig);
  rig.incubator.start();
  rig.cmd("set_state", { state: "start" });
  for (const [step, waitS] of schedule) {
    apply(rig, step);
    if (step.t === "sensor" || (step.t === "fan" && step.stalled) || ((step.t === "heaterOpen" || step.t === "heaterStuck") && step.v)) monitor.injected.add(step.t);
    rig.run(waitS);
    if (monitor.violations.length > 0) break;
  }
  return monitor;
}

describe("Safety properties over simulated days of random use and faults", function () {
  this.timeout(Number(process.env.SAFETY_TIMEOUT_MS ?? 600_000));

  it("hold at every tick", () => {
    let ticks = 0, runs = 0, worst = -Infinity;
    const byCode = new Map<string, number>();
    const seed = process.env.SAFETY_SEED ? Number(process.env.SAFETY_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`      seed ${seed} (replay: SAFETY_SEED=${seed} SAFETY_RUNS=<runs> npm test)`);
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (schedule, runSeed) => {
        const monitor = runSchedule(schedule, runSeed);
        ticks += monitor.ticks; runs++; worst = Math.max(worst, monitor.maxExcessC);
        for (const [code, n] of monitor.raisedByCode) byCode.set(code, (byCode.get(code) ?? 0) + n);
        assert.deepEqual(monitor.violations, []);
      }),
      { endOnFailure: true, numRuns: Number(process.env.SAFETY_RUNS ?? CI_RUNS), seed },
    );
    const counts = [...byCode.entries()].sort().map(([c, n]) => `${c} ${n}`).join(", ");
    console.log(`      ${runs} runs, ${(ticks / 86400).toFixed(1)} simulated days; alarms raised: ${counts}; true air at most ${worst.toFixed(2)} °C beyond the cut-out limit in force (heater not welded)`);
  });

  describe("every run that ever failed, replayed as a fixed case", () => {
    for (const r of SAFETY_REGRESSIONS) {
      it(`${r.found}: ${r.broke}`, () => {
        const monitor = runSchedule(r.schedule, r.runSeed);
        assert.deepEqual(monitor.violations, []);
      });
    }
  });
});
