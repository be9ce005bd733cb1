// npx tsx host-sim/bench/cross-check-sweep.ts [plant.json …]
// The two independent air channels under the worst sensor tolerances: the real firmware core
// (alarms included) on the physical model, with the SHT31 and the outlet probe offset against
// each other by their typical accuracy (+0.2/-0.1, -0.2/+0.1, none), rooms 18-30 °C, air
// setpoints 36, 37, 38 and 39 °C (override) and skin mode, each with three porthole patterns
// (long and short openings during the warm-up and while holding). Counts the false alarms:
// SENSOR_FAULT (channels apart by more than 1.0 °C), OVERTEMP and TEMP_HIGH with no fault.
// What the safety property samples at random, swept at its corners. Exits non-zero on any.
import { DirectSensors } from "../direct-sensors";
import { IncubatorPlant } from "../plant/model";
import { loadPlantParams } from "../plant/load-plant-params";
import type { PlantParams } from "../plant/params";
import { SimTime } from "../sim-time";
import { Incubator } from "../../src/core/incubator";
import type { ActuatorCommand } from "../../src/core/types";

const ORIGIN = { via: "local", client: "sweep" } as const;
const ROOMS = [18, 22, 25, 28, 30];
const SETPOINTS = [[36, "air", false], [37, "air", false], [38, "air", true], [39, "air", true], [36.5, "skin", false], [37.5, "skin", false]] as const;
/** Outlet probe and SHT31 offsets, °C. */
const OFFSETS = [[0.2, -0.1], [-0.2, 0.1], [0, 0]] as const;
/** Porthole openings: [at s, open for s]. */
const PATTERNS: readonly (readonly (readonly [number, number])[])[] = [
  [[1500, 60], [2400, 600], [5400, 120], [8000, 900]],
  [[900, 30], [1800, 300], [3600, 850], [7000, 60]],
  [[1200, 200], [2000, 20], [4000, 400], [9000, 120]],
];
const RUN_S = 4 * 3600 + 1800;

function run(params: PlantParams, room: number, sp: number, mode: "air" | "skin", override: boolean, offs: readonly [number, number], pattern: number, seed: number) {
  const time = new SimTime();
  const plant = new IncubatorPlant({ ...params, roomC: room });
  const sensors = new DirectSensors(plant, { seed, offsets: { sht31C: offs[1], sht31Rh: 0, skinProbeC: 0, airProbeC: offs[0] } });
  let command: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  const incubator = new Incubator({ clock: time, wall: time, timers: time, sensors, actuators: { apply: (c) => { command = c; } } });
  const alarms: string[] = [];
  incubator.subscribe((e) => {
    if (e.type === "alarm" && e.change === "raised" && /OVERTEMP|SENSOR_FAULT|TEMP_HIGH/.test(e.alarm.code)) alarms.push(`${e.alarm.code} at ${Math.round(time.now() / 1000)} s: ${e.alarm.message}`);
  });
  incubator.start();
  void incubator.execute("set_mode", { mode }, ORIGIN);
  void incubator.execute("set_temperature", { setpoint: sp, override }, ORIGIN);
  void incubator.execute("set_humidity", { setpoint: 50 }, ORIGIN);
  void incubator.execute("set_state", { state: "start" }, ORIGIN);
  const limit = mode === "skin" || override ? 40 : 38;
  let leastMargin = Infinity;
  for (let t = 0; t < RUN_S; t++) {
    for (const [at, open] of PATTERNS[pattern]) if (t === at) plant.openPorthole(open);
    plant.step(1, command);
    time.advance(1000);
    const probe = incubator.snapshot().probeAir;
    if (probe !== null && limit - probe < leastMargin) leastMargin = limit - probe;
  }
  incubator.stop();
  return { alarms, leastMargin };
}

const files = process.argv.slice(2);
const plants = files.length ? files.map((f) => ({ name: f, params: loadPlantParams(f) })) : [{ name: "defaults", params: loadPlantParams() }];
let cases = 0;
let falseAlarms = 0;
let leastMargin = Infinity;
for (const { name, params } of plants) {
  for (const room of ROOMS) for (const [sp, mode, override] of SETPOINTS) for (const offs of OFFSETS) for (let pattern = 0; pattern < PATTERNS.length; pattern++) {
    cases++;
    const r = run(params, room, sp, mode, override, offs, pattern, cases);
    leastMargin = Math.min(leastMargin, r.leastMargin);
    if (r.alarms.length > 0) {
      falseAlarms++;
      console.log(`FAIL ${name} room ${room} ${mode} ${sp}${override ? " (override)" : ""}, probe/SHT31 offsets ${offs.join("/")}, portholes ${pattern}: ${r.alarms[0]}`);
    }
  }
}
console.log(`${cases} runs, ${falseAlarms} with a false alarm; the outlet probe at least ${leastMargin.toFixed(2)} °C below the cut-out in force`);
if (falseAlarms > 0) process.exitCode = 1;
