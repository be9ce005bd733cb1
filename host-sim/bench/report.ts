// Tables and target checks of the control benchmark.
import { aggregate, type Aggregate, type RecoveryMetrics, type ResponseMetrics } from "./metrics";
import { MISMATCH } from "../../src/alarms/alarm-conditions";
import { cutoutLimitC } from "../../src/alarms/overtemp-cutout";
import type { BoundResult } from "./bounds";
import type { RippleAtSwitches } from "./humidity-frontier";
import type { ControllerRun, EventMetrics, ScenarioResult } from "./run-scenario";
import type { ScenarioSpec } from "./scenarios";

export const OURS = "ours";
export const FIRST_WARMUP = "ours, first warm-up";
export const TUNED = "SIMC PI (per plant)";
/** References ours must beat on every metric. */
export const BEAT = Object.freeze(["PID_v1 IncuNest", "on/off 0.2"]);
/** Share of the compared metrics on which ours must be no worse than the per-plant tuned PID. */
export const TUNED_SHARE = 0.9;

/** Reach time limits, as a multiple of the safe bound with the overshoot limit: the issue's 105 % for
 *  the warm-up, 115 % for a step from a saved state. Skin mode counts as a step too: its air
 *  is held at its 39 °C bound, 1 °C below the skin-mode cut-out, which the bound's programme
 *  touches with a one-second look-ahead on the true air, where a controller on the SHT31
 *  must approach with the element's stored heat in mind. */
export const BOUND_LIMITS: Readonly<Record<string, number>> = Object.freeze({ warmup: 1.05, skin: 1.15, step: 1.15, humidity: 1.15, "humidity-high": 1.15 });
export const OVERSHOOT_LIMIT_C = 0.2;
export const PEAK_TO_PEAK_LIMIT_C = 0.2;

type Unit = "s" | "°C" | "%RH" | "switches";

/** Ties: a difference below max(abs, rel × the reference's value) counts as no difference. The
 *  absolute parts are what the incubator's own sensors cannot tell apart (SHT31 repeatability
 *  ±0.04 °C and ±0.1 %RH at 3σ, rounded up) and what no one would notice (30 s, 2 switches). */
export const TOLERANCE: Readonly<Record<Unit, { readonly abs: number; readonly rel: number }>> = Object.freeze({
  s: { abs: 30, rel: 0.05 },
  "°C": { abs: 0.05, rel: 0.05 },
  "%RH": { abs: 0.2, rel: 0.05 },
  switches: { abs: 2, rel: 0.05 },
});

export function toleranceText(): string {
  const t = TOLERANCE;
  return `Ties: ours counts as no worse when within max(absolute, relative × the reference's value): times ${t.s.abs} s / ${t.s.rel * 100} %, temperatures ${t["°C"].abs} °C / ${t["°C"].rel * 100} %, humidity ${t["%RH"].abs} %RH / ${t["%RH"].rel * 100} %, switch counts ${t.switches.abs} / ${t.switches.rel * 100} %.`;
}

interface MetricDef {
  readonly key: string;
  readonly label: string;
  readonly unit: Unit;
  /** Compared between controllers (lower is better); otherwise shown only. */
  readonly compared: boolean;
  readonly get: (m: EventMetrics) => number | null;
}

function metricDefs(spec: ScenarioSpec): MetricDef[] {
  const u: Unit = spec.quantity === "rh" ? "%RH" : "°C";
  const band = spec.quantity === "rh" ? `±${spec.band}` : `±${spec.band}`;
  const r = (f: (m: ResponseMetrics) => number | null) => (m: EventMetrics) => f(m as ResponseMetrics);
  const v = (f: (m: RecoveryMetrics) => number | null) => (m: EventMetrics) => f(m as RecoveryMetrics);
  const defs: MetricDef[] =
    spec.kind === "response"
      ? [
          { key: "reach", label: `to ±${spec.reachBand} (min)`, unit: "s", compared: true, get: r((m) => m.reachS) },
          { key: "settle", label: `settle ${band} (min)`, unit: "s", compared: true, get: r((m) => m.settleS) },
          { key: "overshoot", label: `overshoot (${u})`, unit: u, compared: true, get: r((m) => m.overshoot) },
          { key: "p-p", label: `p-p 30 min (${u})`, unit: u, compared: true, get: r((m) => m.peakToPeak) },
        ]
      : [
          { key: "drop", label: `max drop (${u})`, unit: u, compared: true, get: v((m) => m.maxDrop) },
          { key: "recovery", label: `recovery ${band} (min)`, unit: "s", compared: true, get: v((m) => m.recoveryS) },
          { key: "rebound", label: `rebound (${u})`, unit: u, compared: true, get: v((m) => m.overshoot) },
        ];
  defs.push({ key: "heater switches", label: "heater switches", unit: "switches", compared: true, get: (m) => m.heaterSwitches });
  if (spec.quantity === "rh") defs.push({ key: "humidifier switches", label: "humidifier switches", unit: "switches", compared: true, get: (m) => m.humidifierSwitches });
  defs.push({ key: "heater mean", label: "heater mean %", unit: "switches", compared: false, get: (m) => m.heaterMean * 100 });
  if (spec.quantity === "rh") defs.push({ key: "humidifier mean", label: "humidifier mean %", unit: "switches", compared: false, get: (m) => m.humidifierMean * 100 });
  return defs;
}

function summary(run: ControllerRun, def: MetricDef): Aggregate {
  return aggregate(run.events.map(def.get));
}

function format(value: number | null, def: MetricDef): string {
  if (value === null) return "never";
  if (def.unit === "s") return (value / 60).toFixed(1);
  if (def.unit === "switches") return def.compared ? value.toFixed(value >= 100 || Number.isInteger(value) ? 0 : 1) : value.toFixed(1);
  return value.toFixed(def.unit === "%RH" ? 1 : 2);
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [pad(header, widths), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map((r) => pad(r, widths))].join("\n");
}

export function formatScenario(result: ScenarioResult): string {
  const { spec } = result;
  const defs = metricDefs(spec);
  const several = spec.phases * spec.seeds > 1;
  const out: string[] = [];
  const what = spec.quantity === "rh" ? "humidity" : `${spec.quantity} temperature`;
  const how = [
    result.stateFrom ? `every controller and bound from one saved plant state at the event (held there by ${result.stateFrom})` : "every controller from the same cold start",
    several ? `${spec.phases} ${spec.id === "nursing" ? "openings" : "phases"} × ${spec.seeds} noise seed${spec.seeds > 1 ? "s" : ""}, cells "mean / worst"` : "",
  ].filter(Boolean);
  out.push(`${spec.title} (true ${what}); ${how.join("; ")}`);
  const header = ["controller", ...defs.map((d) => (d.compared ? `${d.label} ↓` : d.label))];
  const rows: string[][] = [];
  for (const b of result.bounds) {
    const cells = defs.map((d) => (d.key === "reach" ? format(b.result.reachS, d) : ""));
    rows.push([`[${b.name}]`, ...cells]);
  }
  for (const run of result.runs) {
    rows.push([
      run.controller,
      ...defs.map((d) => {
        const a = summary(run, d);
        const cell = several ? `${format(a.mean, d)} / ${format(a.worst, d)}` : format(a.worst, d);
        const unsettled = d.key === "p-p" && run.events.some((e) => !(e as ResponseMetrics).peakToPeakSettled);
        return cell + (unsettled ? "*" : "");
      }),
    ]);
  }
  out.push(table(header, rows));
  for (const b of result.bounds) out.push(`  [${b.name}]: ${b.result.how}${peaksText(b.result, spec)}`);
  if (result.ripple) out.push(`  ${rippleText(result.ripple)}`);
  return out.join("\n");
}

/** What a bound's programme does to the two air channels, against the alarms' limits. */
function peaksText(b: BoundResult, spec: ScenarioSpec): string {
  if (b.peakExcessC === undefined || b.peakOutletC === undefined) return "";
  const cross = MISMATCH.limitC;
  const cutout = cutoutLimitC(false, spec.mode === "skin");
  const trips = b.peakExcessC > cross || b.peakOutletC > cutout;
  const verdict = trips ? (b.peakExcessC > cross ? "trips the cross-check" : "trips the cut-out") : "keeps both limits";
  return ` [until the reach, the outlet probe up to ${b.peakExcessC.toFixed(2)} °C above the SHT31 (cross-check ${cross.toFixed(1)}) and ${(cutout - b.peakOutletC).toFixed(2)} °C below the ${cutout.toFixed(0)} °C cut-out: ${verdict}]`;
}

export const TABLE_NOTES = [
  "↓: lower is better. [bound …]: a bound, not a controller: the fastest the model allows over heater and fan trajectories",
  " within the firmware's fan range (only its reach time is meaningful). [safe bound …]: the fastest such trajectory that keeps",
  " the outlet probe within the alarms' limits every second (no more than the cross-check above the SHT31, at most the cut-out;",
  " true values, the bench's sensors being calibrated), the yardstick of the targets; [unconstrained bound …] ignores them.",
  " Times from the event (start, setpoint change,",
  " disturbance's end). p-p: max - min over the last 30 minutes, at steady state; * = not settled within the band by then.",
].join("\n");

export interface TargetCheck {
  readonly pass: boolean;
  readonly text: string;
  /** Shown, not a target. */
  readonly info?: boolean;
  /** A FAIL that no on/off humidifier can turn into a PASS without failing another check (the
   *  frontier's figures say why); still a FAIL. */
  readonly infeasible?: boolean;
}

function tolerance(ref: number, unit: Unit): number {
  const t = TOLERANCE[unit];
  return Math.max(t.abs, t.rel * Math.abs(ref));
}

function noWorse(ours: number | null, ref: number | null, unit: Unit): boolean {
  if (ours === null) return ref === null;
  if (ref === null) return true;
  return ours <= ref + tolerance(ref, unit);
}

/** The issue's targets for ours on one plant. */
export function evaluateTargets(results: readonly ScenarioResult[]): { checks: TargetCheck[]; tunedCompared: number; tunedNoWorse: number } {
  const checks: TargetCheck[] = [];
  let tunedCompared = 0;
  let tunedNoWorse = 0;
  const tunedWorse: string[] = [];
  for (const result of results) {
    const { spec } = result;
    const ours = result.runs.find((r) => r.controller === OURS);
    if (!ours) continue;
    const defs = metricDefs(spec).filter((d) => d.compared);
    const get = (run: ControllerRun, key: string) => summary(run, defs.find((d) => d.key === key) as MetricDef);
    // The absolute limits are the response's (PRODUCT.md: overshoot is the excess after first
    // reaching the setpoint); a disturbance's rebound is compared with the references.
    if (spec.quantity !== "rh" && spec.kind === "response") {
      const over = get(ours, "overshoot").worst;
      checks.push({ pass: over !== null && over <= OVERSHOOT_LIMIT_C, text: `${spec.id}: overshoot ${over === null ? "never" : over.toFixed(2)} <= ${OVERSHOOT_LIMIT_C.toFixed(2)} °C` });
      const unreachable = result.bounds.length > 0 && result.bounds.every((b) => b.result.reachS === null);
      if (!unreachable) {
        const pp = get(ours, "p-p").worst;
        const settled = ours.events.every((e) => (e as ResponseMetrics).peakToPeakSettled);
        checks.push({ pass: settled && pp !== null && pp <= PEAK_TO_PEAK_LIMIT_C, text: `${spec.id}: steady peak-to-peak ${pp === null ? "never" : pp.toFixed(2)} <= ${PEAK_TO_PEAK_LIMIT_C.toFixed(2)} °C${settled ? "" : " (never settled)"}` });
      }
    }
    const limit = BOUND_LIMITS[spec.id];
    const bound = result.bounds.find((b) => b.name.startsWith("safe bound, overshoot")) ?? result.bounds.find((b) => b.name === "bound");
    const unconstrained = result.bounds.find((b) => b.name.startsWith("unconstrained bound, overshoot"));
    if (limit !== undefined && bound && bound.result.reachS === null) {
      checks.push({ pass: true, info: true, text: `${spec.id}: no heater and fan trajectory reaches the setpoint on this plant (${bound.result.how}): no bound target` });
    } else if (limit !== undefined && bound) {
      const reach = get(ours, "reach").worst;
      const b = bound.result.reachS;
      const ratio = reach !== null && b !== null ? reach / b : null;
      checks.push({
        pass: ratio !== null && ratio <= limit,
        text: `${spec.id}: time to setpoint ${ratio === null ? "never" : `${(reach as number).toFixed(0)} s = ${(ratio * 100).toFixed(1)} %`} <= ${Math.round(limit * 100)} % of the [${bound.name}] ${b === null ? "never" : `${b} s`}`,
      });
      const u = unconstrained?.result.reachS ?? null;
      if (unconstrained && u !== null && reach !== null) {
        checks.push({ pass: true, info: true, text: `${spec.id}: beside the [${unconstrained.name}] ${u} s (${peaksText(unconstrained.result, spec).replace(/^ \[|\]$/g, "")}): ${((reach / u) * 100).toFixed(1)} %` });
      }
      const first = result.runs.find((r) => r.controller === FIRST_WARMUP);
      const firstReach = first ? get(first, "reach").worst : null;
      if (first && b !== null) checks.push({ pass: true, info: true, text: `${spec.id}: first warm-up, nothing learned yet: ${firstReach === null ? "never" : `${firstReach} s = ${((firstReach / b) * 100).toFixed(1)} % of the bound`}` });
    }
    if (result.ripple) checks.push({ pass: true, info: true, text: `${spec.id}: ${rippleText(result.ripple)}` });
    for (const run of result.runs) {
      if (run.controller === OURS || run.controller === FIRST_WARMUP) continue;
      const isTuned = run.controller === TUNED;
      if (!isTuned && !BEAT.includes(run.controller)) continue;
      const worse: string[] = [];
      const worseKeys = new Set<string>();
      for (const d of defs) {
        const a = summary(ours, d);
        const o = summary(run, d);
        const pairs: [string, number | null, number | null][] = spec.phases * spec.seeds > 1 ? [["mean", a.mean, o.mean], ["worst", a.worst, o.worst]] : [["", a.worst, o.worst]];
        for (const [which, x, y] of pairs) {
          const ok = noWorse(x, y, d.unit);
          if (isTuned) {
            tunedCompared++;
            if (ok) tunedNoWorse++;
            else tunedWorse.push(`${spec.id} ${d.key}${which ? ` (${which})` : ""} ${format(x, d)} vs ${format(y, d)}`);
          } else if (!ok) {
            worse.push(`${d.key}${which ? ` (${which})` : ""} ${format(x, d)} vs ${format(y, d)}`);
            worseKeys.add(d.key);
          }
        }
      }
      if (!isTuned) {
        const why = worseKeys.size === 1 && worseKeys.has("humidifier switches") ? humidityInfeasible(result, run) : null;
        checks.push({ pass: worse.length === 0, text: `${spec.id}: no worse than ${run.controller} on any metric${worse.length ? ` - worse on ${worse.join(", ")}` : ""}${why ? ` [infeasible: ${why}]` : ""}`, infeasible: why !== null });
      }
    }
  }
  if (tunedCompared > 0) {
    const share = tunedNoWorse / tunedCompared;
    checks.push({
      pass: share >= TUNED_SHARE,
      text: `no worse than ${TUNED} on ${tunedNoWorse} of ${tunedCompared} metrics = ${(share * 100).toFixed(0)} % >= ${TUNED_SHARE * 100} %${tunedWorse.length ? ` (worse on: ${tunedWorse.join("; ")})` : ""}`,
    });
  }
  return { checks, tunedCompared, tunedNoWorse };
}

/**
 * Why ours cannot beat `ref` on humidifier switches on this plant without losing to another
 * reference on the ripple: the frontier's ripple at (at most) the switch count `ref` allows is
 * above another reference's ripple by more than the tie tolerance, so whatever switches no more
 * often than `ref` ripples more than that other one. Null when that is not shown (the FAIL is
 * then ours to fix).
 */
function humidityInfeasible(result: ScenarioResult, ref: ControllerRun): string | null {
  const { spec } = result;
  const frontier = result.ripple;
  if (spec.quantity !== "rh" || !frontier) return null;
  const defs = metricDefs(spec);
  const switchesDef = defs.find((d) => d.key === "humidifier switches");
  const ppDef = defs.find((d) => d.key === "p-p");
  const ours = result.runs.find((r) => r.controller === OURS);
  if (!switchesDef || !ppDef || !ours) return null;
  const refSwitches = summary(ref, switchesDef).worst;
  const oursSwitches = summary(ours, switchesDef).worst;
  if (refSwitches === null || oursSwitches === null) return null;
  // The frontier is computed at the fewest switches of any controller here: no more than ref's.
  if (frontier.switches > refSwitches + tolerance(refSwitches, "switches")) return null;
  for (const other of result.runs) {
    if (other === ref || !BEAT.includes(other.controller)) continue;
    const pp = summary(other, ppDef).worst;
    if (pp === null || frontier.peakToPeak <= pp + tolerance(pp, "%RH")) continue;
    return `switching as seldom as ${ref.controller} (${refSwitches} times in ${Math.round(spec.observeS / 3600)} h) leaves an on/off humidifier ${frontier.peakToPeak.toFixed(1)} %RH p-p (the frontier at ${frontier.switches} switches), above ${other.controller}'s ${pp.toFixed(1)} %RH: no on/off humidifier beats both`;
  }
  return null;
}

/** The humidity's ripple at a switch count, said as what it is. */
function rippleText(r: RippleAtSwitches): string {
  return `[on/off physics, not a controller]: switching the humidifier ${r.switches} times (the fewest of any controller here; a ${r.periodS} s period at ${(r.duty * 100).toFixed(0)} % on) leaves a steady p-p of ${r.peakToPeak.toFixed(1)} %RH: fewer switches cost ripple, whatever the control law`;
}
