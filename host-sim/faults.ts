import type { MonotonicClock, TimerHandle, Timers } from "../src/core/types";
import type { SimDs18b20 } from "./chips/ds18b20";
import type { SimBoard } from "./sim-board";

// Fault injection for the simulated board, from tests and from `npm start --fault <spec>`.
// A spec is `<target>:<fault>[=<value>][@t=<time>]`, e.g. `skin:unplug`, `air-probe:crc=0.3`,
// `air-probe:drift=+1.5`, `sht31:nack@t=120s`.

export type ProbeTarget = "skin" | "air-probe";

export type FaultAction =
  | { readonly target: ProbeTarget; readonly fault: "unplug" | "power-on-85" | "stuck" }
  | { readonly target: ProbeTarget; readonly fault: "crc"; readonly rate: number }
  | { readonly target: ProbeTarget; readonly fault: "drift"; readonly deltaC: number }
  | { readonly target: "sht31"; readonly fault: "nack" | "stuck" }
  | { readonly target: "sht31"; readonly fault: "crc"; readonly rate: number }
  | { readonly target: "sht31"; readonly fault: "drift"; readonly deltaC: number }
  | { readonly target: "fan"; readonly fault: "stop" }
  | { readonly target: "heater"; readonly fault: "no-heat" | "stuck-on" }
  | { readonly target: "humidifier"; readonly fault: "stuck-on" | "dead" };

export type FaultSpec = FaultAction & {
  /** Simulated time (ms since start) at which the fault begins; 0 = at once. */
  readonly atMs: number;
  /** The spec as written, for logs. */
  readonly text: string;
};

export type FaultTarget = FaultAction["target"];

/** What each target accepts, for parsing and for the help text. */
export const FAULT_CATALOGUE: Readonly<Record<FaultTarget, readonly string[]>> = Object.freeze({
  skin: ["unplug", "crc=<rate 0..1>", "power-on-85", "drift=<±°C>", "stuck"],
  "air-probe": ["unplug", "crc=<rate 0..1>", "power-on-85", "drift=<±°C>", "stuck"],
  sht31: ["nack", "unplug", "stuck", "crc=<rate 0..1>", "drift=<±°C>"],
  fan: ["stop"],
  heater: ["no-heat", "stuck-on"],
  humidifier: ["stuck-on", "dead"],
});

export const FAULT_HELP =
  "--fault <target>:<fault>[@t=<time>]  targets and faults: " +
  Object.entries(FAULT_CATALOGUE).map(([t, fs]) => `${t}:{${fs.join("|")}}`).join(" ") +
  "  time: 120s, 2m, 500ms, 1h (a bare number is seconds)";

export type ParsedFault = { readonly ok: true; readonly spec: FaultSpec } | { readonly ok: false; readonly error: string };

function isTarget(s: string): s is FaultTarget {
  return Object.prototype.hasOwnProperty.call(FAULT_CATALOGUE, s);
}

function parseTime(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  const unit = m[2] ?? "s";
  const scale = unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60000 : 3600000;
  return Math.round(Number(m[1]) * scale);
}

export function parseFaultSpec(text: string): ParsedFault {
  const bad = (why: string): ParsedFault => ({ ok: false, error: `fault "${text}": ${why}` });
  const [body, when, ...extra] = text.trim().split("@");
  if (extra.length) return bad("more than one '@'");
  let atMs = 0;
  if (when !== undefined) {
    const m = /^t=(.+)$/.exec(when.trim());
    const t = m ? parseTime(m[1]) : null;
    if (t === null) return bad(`start time "@${when}" is not @t=<number>[ms|s|m|h]`);
    atMs = t;
  }
  const colon = body.indexOf(":");
  if (colon < 0) return bad("expected <target>:<fault>");
  const target = body.slice(0, colon).trim();
  const rest = body.slice(colon + 1).trim();
  if (!isTarget(target)) return bad(`unknown target "${target}" (known: ${Object.keys(FAULT_CATALOGUE).join(", ")})`);
  const eq = rest.indexOf("=");
  const fault = eq < 0 ? rest : rest.slice(0, eq).trim();
  const valueText = eq < 0 ? null : rest.slice(eq + 1).trim();
  const known = FAULT_CATALOGUE[target];
  const entry = known.find((k) => k.split("=")[0] === fault);
  if (!entry) return bad(`unknown fault "${fault}" for ${target} (known: ${known.join(", ")})`);
  const wantsValue = entry.includes("=");
  if (wantsValue && valueText === null) return bad(`${fault} needs a value: ${entry}`);
  if (!wantsValue && valueText !== null) return bad(`${fault} takes no value`);
  const value = valueText === null ? NaN : Number(valueText);
  if (wantsValue && (valueText === "" || !Number.isFinite(value))) return bad(`value "${valueText}" is not a number`);

  const spec = (action: FaultAction): ParsedFault => ({ ok: true, spec: { ...action, atMs, text } });
  if (target === "fan") return spec({ target, fault: "stop" });
  if (target === "heater") return spec({ target, fault: fault as "no-heat" | "stuck-on" });
  if (target === "humidifier") return spec({ target, fault: fault as "stuck-on" | "dead" });
  if (fault === "crc") {
    if (value < 0 || value > 1) return bad(`crc rate ${value} is not within 0..1`);
    return spec({ target, fault: "crc", rate: value });
  }
  if (fault === "drift") {
    if (Math.abs(value) > 50) return bad(`drift ${value} °C is beyond ±50 °C`);
    return spec({ target, fault: "drift", deltaC: value });
  }
  if (target === "sht31") return spec({ target, fault: fault === "stuck" ? "stuck" : "nack" });
  return spec({ target, fault: fault as "unplug" | "power-on-85" | "stuck" });
}

/** Picks `--fault X` and `--fault=X` out of command-line arguments. */
export function parseFaultFlags(argv: readonly string[]): { specs: FaultSpec[]; errors: string[]; rest: string[] } {
  const specs: FaultSpec[] = [];
  const errors: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let text: string | undefined;
    if (arg === "--fault") {
      text = argv[++i];
      if (text === undefined) {
        errors.push("--fault needs a spec, e.g. --fault skin:unplug");
        continue;
      }
    } else if (arg.startsWith("--fault=")) {
      text = arg.slice("--fault=".length);
    } else {
      rest.push(arg);
      continue;
    }
    const parsed = parseFaultSpec(text);
    if (parsed.ok) specs.push(parsed.spec);
    else errors.push(parsed.error);
  }
  return { specs, errors, rest };
}

function probe(board: SimBoard, target: ProbeTarget): SimDs18b20 {
  return target === "skin" ? board.skinChip : board.probeAirChip;
}

/** Applies a fault to the board now. */
export function applyFault(board: SimBoard, action: FaultAction): void {
  switch (action.target) {
    case "skin":
    case "air-probe": {
      const f = probe(board, action.target).faults;
      if (action.fault === "unplug") f.unplugged = true;
      else if (action.fault === "power-on-85") f.powerOnEachReset = true;
      else if (action.fault === "stuck") f.stuckAtC = action.target === "skin" ? board.plant.sensed.skinC : board.plant.sensed.outletAirC;
      else if (action.fault === "crc") f.crcErrorRate = action.rate;
      else if (action.fault === "drift") f.driftC = action.deltaC;
      break;
    }
    case "sht31": {
      const f = board.sht31Chip.faults;
      if (action.fault === "nack") f.nack = true;
      else if (action.fault === "stuck") f.stuck = true;
      else if (action.fault === "crc") f.crcErrorRate = action.rate;
      else if (action.fault === "drift") f.driftC = action.deltaC;
      break;
    }
    case "fan":
      board.plant.faults.fanStuck = true;
      board.tachometer.stopped = true;
      break;
    case "heater":
      if (action.fault === "no-heat") board.plant.faults.heaterBroken = true;
      else board.outputFaults.heaterStuckOn = true; // a welded relay / shorted SSR
      break;
    case "humidifier":
      board.outputFaults.humidifier = action.fault;
      break;
  }
}

/** Removes every fault from one target (the chip comes back as if plugged in again). */
export function clearFaults(board: SimBoard, target: FaultTarget): void {
  switch (target) {
    case "skin":
    case "air-probe":
      Object.assign(probe(board, target).faults, { unplugged: false, crcErrorRate: 0, powerOnEachReset: false, driftC: 0, stuckAtC: null });
      break;
    case "sht31":
      Object.assign(board.sht31Chip.faults, { nack: false, stuck: false, crcErrorRate: 0, driftC: 0 });
      break;
    case "fan":
      board.plant.faults.fanStuck = false;
      board.tachometer.stopped = false;
      break;
    case "heater":
      board.plant.faults.heaterBroken = false;
      board.outputFaults.heaterStuckOn = false;
      break;
    case "humidifier":
      board.outputFaults.humidifier = null;
      break;
  }
}

/** Applies each spec at its start time (at once if that is already past); returns handles to cancel. */
export function scheduleFaults(board: SimBoard, specs: readonly FaultSpec[], time: MonotonicClock & Timers, onApplied?: (spec: FaultSpec) => void): TimerHandle[] {
  const handles: TimerHandle[] = [];
  for (const spec of specs) {
    const apply = (): void => {
      applyFault(board, spec);
      onApplied?.(spec);
    };
    const delay = spec.atMs - time.now();
    if (delay <= 0) apply();
    else handles.push(time.after(delay, apply));
  }
  return handles;
}
