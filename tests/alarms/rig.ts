// A simulated incubator with fault injection for the alarm scenarios and property tests:
// the core on simulated time, a plant, and a wrapped SensorSource / ActuatorSink that
// inject faults the way broken hardware shows them to the core.
import type { AlarmCode, AlarmInfo, IncubatorEvent, Snapshot } from "../../src/core/api";
import { Incubator, type IncubatorOptions } from "../../src/core/incubator";
import type { ActuatorCommand, Reading, SensorFrame } from "../../src/core/types";
import { SimTime } from "../../host-sim/sim-time";

/** What a plant must offer the rig (the toy plant now; host-sim/plant when it lands). */
export interface RigPlant {
  /** True temperatures, what the baby experiences. */
  readonly airC: number;
  readonly skinC: number;
  readonly probeC: number;
  /** Temperature of the heater element (its lag is what lets the air overshoot a cut-out). */
  readonly elementC: number;
  readonly rh: number;
  /** Extra heat loss (porthole open), external heat, room temperature. */
  porthole: boolean;
  roomC: number;
  /** Added to the true skin temperature (fever, cooling baby). */
  skinOffsetC: number;
  step(dtS: number, command: ActuatorCommand, fanTurning: boolean): void;
}

/**
 * Air as one thermal node heated through a lagging heater element, skin following the air.
 * Full heat holds about room + 20 °C; warm-up 25 → 36 °C takes about 25 min; an open
 * porthole multiplies the losses by six. Deliberately simple: the scenarios need the lag,
 * not the detail.
 */
export class LaggedPlant implements RigPlant {
  airC = 25;
  elementC = 25;
  skinBaseC = 34;
  rh = 40;
  porthole = false;
  roomC = 25;
  skinOffsetC = 0;

  get skinC(): number { return this.skinBaseC + this.skinOffsetC; }
  /** The outlet probe sees a little of the element's excess heat. */
  get probeC(): number { return this.airC + 0.01 * (this.elementC - this.airC); }

  step(dtS: number, command: ActuatorCommand, fanTurning: boolean): void {
    const elementTauS = fanTurning ? 40 : 160;
    this.elementC += ((this.airC + command.heaterDuty * 60) - this.elementC) * dtS / elementTauS;
    const gain = fanTurning ? 1.85e-4 : 0.9e-4;
    const lossTauS = this.porthole ? 300 : 1800;
    this.airC += ((this.elementC - this.airC) * gain - (this.airC - this.roomC) / lossTauS) * dtS;
    this.skinBaseC += (this.airC + 0.8 - this.skinBaseC) * dtS / 900;
    const rhTarget = Math.min(98, (this.porthole ? 35 : 40) + (command.humidifierOn ? 55 : 0));
    this.rh += (rhTarget - this.rh) * dtS / 300;
  }
}

export type ChannelFault = "absent" | "crc" | "implausible" | { readonly offset: number } | { readonly value: number };

export interface Faults {
  sensors: Partial<Record<keyof SensorFrame, ChannelFault>>;
  fanStalled: boolean;
  heaterOpen: boolean;
  heaterStuckOn: boolean;
  humidifierDead: boolean;
  humidifierStuckOn: boolean;
}

export function noFaults(): Faults {
  return { sensors: {}, fanStalled: false, heaterOpen: false, heaterStuckOn: false, humidifierDead: false, humidifierStuckOn: false };
}

export interface Rig {
  readonly time: SimTime;
  readonly plant: RigPlant;
  readonly incubator: Incubator;
  readonly faults: Faults;
  readonly events: IncubatorEvent[];
  /** The command last given to the actuators (after the interlock) and what the plant got. */
  commanded(): ActuatorCommand;
  /** Runs whole seconds; `each` sees every tick's snapshot and stops the run by returning true. */
  run(seconds: number, each?: (s: Snapshot) => boolean | void): number;
  /** Seconds from now until an alarm of `code` is raised (running at most `maxS`), or null.
   *  Events from index `from` on count (a raise already past gives a negative time). */
  until(code: AlarmCode, maxS: number, from?: number): number | null;
  active(code: AlarmCode): AlarmInfo | undefined;
  cmd(action: string, data?: unknown): ReturnType<Incubator["execute"]>;
}

export function makeRig(options: Partial<IncubatorOptions> & { plant?: RigPlant; noise?: number; seed?: number } = {}): Rig {
  const time = new SimTime();
  const plant = options.plant ?? new LaggedPlant();
  const faults = noFaults();
  let seed = options.seed ?? 12345;
  const noiseAmp = options.noise ?? 0.05;
  const noise = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return ((seed / 2 ** 32) - 0.5) * 2 * noiseAmp;
  };
  let command: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  const reading = (key: keyof SensorFrame, trueValue: number, nowMs: number): Reading => {
    const f = faults.sensors[key];
    if (f === undefined) return { value: trueValue, atMs: nowMs };
    if (f === "absent") return { value: null, atMs: null, fault: "absent", detail: "no response" };
    if (f === "crc") return { value: null, atMs: null, fault: "crc", detail: "CRC mismatch" };
    if (f === "implausible") return { value: null, atMs: null, fault: "implausible", detail: "85.0 °C power-on value" };
    if ("offset" in f) return { value: trueValue + f.offset, atMs: nowMs };
    return { value: f.value, atMs: nowMs };
  };
  const sensors = {
    sample(nowMs: number): SensorFrame {
      const fanTurning = command.fanDuty > 0 && !faults.fanStalled;
      return {
        air: reading("air", plant.airC + noise(), nowMs),
        humidity: reading("humidity", plant.rh + noise() * 5, nowMs),
        skin: reading("skin", plant.skinC + noise(), nowMs),
        probeAir: reading("probeAir", plant.probeC + noise(), nowMs),
        fanRpm: reading("fanRpm", fanTurning ? 800 + 2000 * command.fanDuty : 0, nowMs),
      };
    },
  };
  const { plant: _p, noise: _n, seed: _s, ...incubatorOptions } = options;
  void _p; void _n; void _s;
  const incubator = new Incubator({
    clock: time, wall: time, timers: time, sensors,
    actuators: { apply: (c) => { command = c; } },
    ...incubatorOptions,
  });
  const events: IncubatorEvent[] = [];
  incubator.subscribe((e) => { if (e.type !== "tick" && e.type !== "log") events.push(e); });
  const physical = (): ActuatorCommand => ({
    heaterDuty: faults.heaterStuckOn ? 1 : faults.heaterOpen ? 0 : command.heaterDuty,
    fanDuty: command.fanDuty,
    humidifierOn: faults.humidifierStuckOn ? true : faults.humidifierDead ? false : command.humidifierOn,
  });
  const run = (seconds: number, each?: (s: Snapshot) => boolean | void): number => {
    for (let i = 0; i < seconds; i++) {
      time.advance(1000);
      plant.step(1, physical(), command.fanDuty > 0 && !faults.fanStalled);
      if (each && each(incubator.snapshot())) return i + 1;
    }
    return seconds;
  };
  const active = (code: AlarmCode) => incubator.snapshot().alarms.find((a) => a.code === code);
  const until = (code: AlarmCode, maxS: number, from = events.length): number | null => {
    const startMs = time.epochMs();
    const raisedEvent = () => events.slice(from).find((e): e is Extract<IncubatorEvent, { type: "alarm" }> => e.type === "alarm" && e.change === "raised" && e.alarm.code === code);
    run(maxS, () => raisedEvent() !== undefined);
    const raised = raisedEvent();
    return raised ? (raised.epochMs - startMs) / 1000 : null;
  };
  return { time, plant, incubator, faults, events, commanded: () => command, run, until, active, cmd: (a, d = {}) => incubator.execute(a, d, "scenario") };
}
