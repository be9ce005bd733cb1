// A simulated incubator with fault injection for the alarm scenarios and property tests:
// the core on simulated time, a plant (the physical model of host-sim/plant by default),
// and a SensorSource / ActuatorSink wrapped to inject faults the way broken hardware
// shows them to the core.
import type { AlarmCode, AlarmInfo, IncubatorEvent, Snapshot } from "../../src/core/api";
import { Incubator, type IncubatorOptions } from "../../src/core/incubator";
import type { ActuatorCommand, Reading, SensorFrame } from "../../src/core/types";
import { DirectSensors } from "../../host-sim/direct-sensors";
import { IncubatorPlant } from "../../host-sim/plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../host-sim/plant/params";
import { SimTime } from "../../host-sim/sim-time";
import { TEST_ORIGIN } from "../support/origin";

/** What a plant must offer the rig. */
export interface RigPlant {
  /** True temperatures and humidity, what the baby experiences. */
  readonly airC: number;
  readonly skinC: number;
  /** At the outlet, where the independent air probe sits. */
  readonly probeC: number;
  /** The heater element (its stored heat is what lets the air pass a cut-out). */
  readonly elementC: number;
  /** The hood: the heavy store of heat a long over-temperature leaves behind. */
  readonly hoodC: number;
  readonly rh: number;
  readonly fanRpm: number;
  openPorthole(durationS: number): void;
  setRoom(c: number): void;
  /** Advances under the outputs as they physically act (faults applied). */
  step(dtS: number, command: ActuatorCommand, fanStalled: boolean): void;
  /** Readings of a healthy sensor set: true values with the chips' noise. */
  sample(nowMs: number): SensorFrame;
}

/** host-sim's physical model read through DirectSensors (the chips' noise, offsets, lag). */
export class ModelPlant implements RigPlant {
  readonly model = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
  private readonly sensors: DirectSensors;

  constructor(seed: number) {
    this.sensors = new DirectSensors(this.model, { seed });
  }

  get airC(): number { return this.model.state.airC; }
  get skinC(): number { return this.model.state.skinC; }
  get probeC(): number { return this.model.state.outletAirC; }
  get elementC(): number { return this.model.state.heaterC; }
  get hoodC(): number { return this.model.state.wallC; }
  get rh(): number { return this.model.state.rh; }
  get fanRpm(): number { return this.model.state.fanRpm; }
  openPorthole(durationS: number): void { this.model.openPorthole(durationS); }
  setRoom(c: number): void { this.model.setRoomTemperature(c); }
  step(dtS: number, command: ActuatorCommand, fanStalled: boolean): void {
    this.model.faults.fanStuck = fanStalled;
    this.model.step(dtS, command);
  }
  sample(nowMs: number): SensorFrame { return this.sensors.sample(nowMs); }
}

/**
 * A deliberately simple plant: air as one node heated through a lagging element, skin
 * following the air, ±0.05 °C uniform sensor noise. Full heat holds about room + 20 °C.
 */
export class LaggedPlant implements RigPlant {
  airC = 25;
  elementC = 25;
  skinC = 34;
  rh = 40;
  fanRpm = 0;
  private roomC = 25;
  private portholeS = 0;
  private seed: number;

  constructor(seed: number, private readonly noiseC = 0.05) {
    this.seed = seed;
  }

  get probeC(): number { return this.airC + 0.01 * (this.elementC - this.airC); }
  /** One node: the air is its own hood. */
  get hoodC(): number { return this.airC; }
  openPorthole(durationS: number): void { this.portholeS = Math.max(this.portholeS, durationS); }
  setRoom(c: number): void { this.roomC = c; }

  step(dtS: number, command: ActuatorCommand, fanStalled: boolean): void {
    const turning = command.fanDuty > 0 && !fanStalled;
    this.fanRpm = turning ? 800 + 2000 * command.fanDuty : 0;
    const porthole = this.portholeS > 0;
    this.portholeS = Math.max(0, this.portholeS - dtS);
    this.elementC += ((this.airC + command.heaterDuty * 60) - this.elementC) * dtS / (turning ? 40 : 160);
    const gain = turning ? 1.85e-4 : 0.9e-4;
    this.airC += ((this.elementC - this.airC) * gain - (this.airC - this.roomC) / (porthole ? 300 : 1800)) * dtS;
    this.skinC += (this.airC + 0.8 - this.skinC) * dtS / 900;
    const rhTarget = Math.min(98, (porthole ? 35 : 40) + (command.humidifierOn ? 55 : 0));
    this.rh += (rhTarget - this.rh) * dtS / 300;
  }

  sample(nowMs: number): SensorFrame {
    const ok = (v: number): Reading => ({ value: v + this.noise(), atMs: nowMs });
    return { air: ok(this.airC), humidity: ok(this.rh), skin: ok(this.skinC), probeAir: ok(this.probeC), fanRpm: { value: this.fanRpm, atMs: nowMs } };
  }

  private noise(): number {
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    return ((this.seed / 2 ** 32) - 0.5) * 2 * this.noiseC;
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

/** A reading as the driver layer reports the injected fault. */
function faulty(f: ChannelFault, healthy: Reading, nowMs: number): Reading {
  if (f === "absent") return { value: null, atMs: null, fault: "absent", detail: "no response" };
  if (f === "crc") return { value: null, atMs: null, fault: "crc", detail: "CRC mismatch" };
  if (f === "implausible") return { value: null, atMs: null, fault: "implausible", detail: "85.0 °C power-on value" };
  if (healthy.value === null) return healthy;
  if ("offset" in f) return { value: healthy.value + f.offset, atMs: nowMs };
  return { value: f.value, atMs: nowMs };
}

export interface Rig {
  readonly time: SimTime;
  readonly plant: RigPlant;
  readonly incubator: Incubator;
  readonly faults: Faults;
  /** Every event but ticks and logs, in order. */
  readonly events: IncubatorEvent[];
  /** Runs whole seconds; `each` sees every tick's snapshot and stops the run by returning true. */
  run(seconds: number, each?: (s: Snapshot) => boolean | void): number;
  /** Seconds from now until an alarm of `code` is raised (running at most `maxS`), or null.
   *  Events from index `from` on count (a raise already past gives a negative time). */
  until(code: AlarmCode, maxS: number, from?: number): number | null;
  active(code: AlarmCode): AlarmInfo | undefined;
  cmd(action: string, data?: unknown): ReturnType<Incubator["execute"]>;
  /** Runs the incubator a second at a time until `pending` settles (a reset proves the fan
   *  over a few ticks; a store answers after the tick); at most `maxS` seconds. */
  settle<T>(pending: Promise<T>, maxS?: number): Promise<T>;
}

export interface RigOptions extends Partial<IncubatorOptions> {
  /** "model" (default): host-sim's physical model; "lagged": the simple plant above. */
  readonly plantKind?: "model" | "lagged";
  /** Sensor noise of the lagged plant, °C. */
  readonly noise?: number;
  readonly seed?: number;
}

export function makeRig(options: RigOptions = {}): Rig {
  const { plantKind, noise, seed, ...incubatorOptions } = options;
  const time = new SimTime();
  const plant: RigPlant = plantKind === "lagged" ? new LaggedPlant(seed ?? 12345, noise ?? 0.05) : new ModelPlant(seed ?? 1);
  const faults = noFaults();
  let command: ActuatorCommand = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  const sensors = {
    sample(nowMs: number): SensorFrame {
      const frame = plant.sample(nowMs);
      const f = faults.sensors;
      const rpm: Reading = faults.fanStalled ? { value: 0, atMs: nowMs } : frame.fanRpm;
      return {
        air: f.air ? faulty(f.air, frame.air, nowMs) : frame.air,
        humidity: f.humidity ? faulty(f.humidity, frame.humidity, nowMs) : frame.humidity,
        skin: f.skin ? faulty(f.skin, frame.skin, nowMs) : frame.skin,
        probeAir: f.probeAir ? faulty(f.probeAir, frame.probeAir, nowMs) : frame.probeAir,
        fanRpm: f.fanRpm ? faulty(f.fanRpm, rpm, nowMs) : rpm,
      };
    },
  };
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
      plant.step(1, physical(), faults.fanStalled);
      time.advance(1000);
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
  const settle = async <T>(pending: Promise<T>, maxS = 60): Promise<T> => {
    let settled: { value: T } | null = null;
    let failure: { error: unknown } | null = null;
    pending.then((value) => { settled = { value }; }, (error) => { failure = { error }; });
    for (let i = 0; ; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (failure) throw (failure as { error: unknown }).error;
      if (settled) return (settled as { value: T }).value;
      if (i >= maxS) throw new Error(`not settled within ${maxS} s`);
      run(1);
    }
  };
  return { time, plant, incubator, faults, events, run, until, active, settle, cmd: (a, d = {}) => incubator.execute(a, d, TEST_ORIGIN) };
}
