// XS entry: one heater monitor (the shipped ring, or the allocating original kept in
// tests/alarms/reference) fed a scripted air and duty, 1 s a tick, so its live heap and the
// garbage of its updates can be read on XS. Used by tests/xs/heater-monitor-on-xs.test.ts.
import { HeaterMonitor } from "../../../src/alarms/heater-monitor";
import { HeaterMonitor as ReferenceHeaterMonitor } from "../../alarms/reference/heater-monitor";

/** What the air and the heater do: operating near the setpoint, a warm-up at full heat from
 *  cold, the same with a dead heater (a fault at 10 min), or the heater off with the air
 *  settling (where every part of the judgement runs). */
export type HeaterScript = "operating" | "warm-up" | "dead" | "off";

export type HeaterMonitorInput =
  | { readonly op: "make"; readonly impl: "ring" | "reference" }
  | { readonly op: "drop" }
  | { readonly op: "updates"; readonly script: HeaterScript; readonly count: number }
  | { readonly op: "verdict" }
  | { readonly op: "noop" };

interface Verdict { readonly noRise: boolean | null; readonly riseWhileOff: boolean | null; readonly noRiseC: number | null; readonly riseWhileOffC: number | null; readonly detail: string }
interface Monitor { update(nowMs: number, duty: number, airC: number | null, warmingUp: boolean): Verdict }

let monitor: Monitor | null = null;
let nowMs = 0;
let airC = 25;
let seed = 1;
let faults = 0;
let last: Verdict | null = null;

/** Deterministic noise in [-1, 1) (a small LCG: the same on XS and Node). */
function noise(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 31 - 1;
}

function step(script: HeaterScript): void {
  nowMs += 1000;
  let duty: number;
  if (script === "operating") { duty = 0.45 + 0.1 * noise(); airC = 36.5 + 0.05 * noise(); }
  else if (script === "warm-up") { duty = 1; airC += 0.003 + 0.01 * noise(); }
  else if (script === "dead") { duty = 1; airC = 25 + 0.02 * noise(); }
  else { duty = 0; airC += (33 - airC) / 200 + 0.005 * noise(); }
  const v = (monitor as Monitor).update(nowMs, duty, airC, script === "warm-up" || script === "dead");
  if (v.noRise === true || v.riseWhileOff === true) faults++;
  last = v;
}

export function run(input: HeaterMonitorInput): number | Verdict | null {
  switch (input.op) {
    case "make": monitor = input.impl === "ring" ? new HeaterMonitor() : new ReferenceHeaterMonitor(); nowMs = 0; airC = 25; seed = 1; faults = 0; last = null; return 0;
    case "drop": monitor = null; last = null; return 0;
    case "verdict": return last === null ? null : { noRise: last.noRise, riseWhileOff: last.riseWhileOff, noRiseC: last.noRiseC, riseWhileOffC: last.riseWhileOffC, detail: last.detail };
    case "updates": for (let i = 0; i < input.count; i++) step(input.script); return faults;
    default: return 0;
  }
}
