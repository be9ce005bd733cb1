// A measuring aid beside the memory report (instrumented builds, `memoryReportS=<s>`): what
// each kind of callback allocates, in slots and chunk bytes, read from Moddable's
// instrumentation before and after each call. A call during which XS collected (the
// figures went down, or the collection count moved) is counted apart, not measured.
// Figures are inclusive: a measured call inside another counts in both.
// Off, `wrap` hands back the callback itself: nothing is added to a shipped build.
import Instrumentation from "instrumentation";
import type { TimerHandle, Timers } from "../core/types";
import type { Hardware } from "./platform";

interface Tally {
  calls: number;
  measured: number;
  slots: number;
  chunks: number;
  /** Collections during the calls, and the most heap in use when one of them began. */
  collections: number;
  slotsAtCollection: number;
  chunksAtCollection: number;
}

// A module constant, not a literal: on XS a string literal in preloaded code is copied into
// a new chunk each time it is evaluated (the measurement would count its own).
const NUMBER = "number";

function get(index: number | undefined): number {
  const value = index === undefined ? undefined : Instrumentation.get(index);
  return typeof value === NUMBER ? (value as number) : -1;
}

export class AllocationProfile {
  private readonly tallies = new Map<string, Tally>();
  private readonly slots = Instrumentation.map("XS Slot Heap Used");
  private readonly chunks = Instrumentation.map("XS Chunk Heap Used");
  private readonly collections = Instrumentation.map("XS Garbage Collection Count");

  constructor(readonly enabled: boolean) {}

  /** Runs fn, adding what it allocated to `label`. */
  measure<T>(label: string, fn: () => T): T {
    if (!this.enabled) return fn();
    let tally = this.tallies.get(label);
    if (!tally) this.tallies.set(label, (tally = { calls: 0, measured: 0, slots: 0, chunks: 0, collections: 0, slotsAtCollection: 0, chunksAtCollection: 0 }));
    const s0 = get(this.slots);
    const c0 = get(this.chunks);
    const g0 = get(this.collections);
    try {
      return fn();
    } finally {
      const ds = get(this.slots) - s0;
      const dc = get(this.chunks) - c0;
      const dg = get(this.collections) - g0;
      tally.calls++;
      if (ds >= 0 && dc >= 0 && dg === 0) {
        tally.measured++;
        tally.slots += ds;
        tally.chunks += dc;
      } else {
        tally.collections += dg;
        if (s0 > tally.slotsAtCollection) tally.slotsAtCollection = s0;
        if (c0 > tally.chunksAtCollection) tally.chunksAtCollection = c0;
      }
    }
  }

  /** The callback measured under `label`. Its argument is passed on without a spread (a
   *  spread call iterates, and would count its own iterator in the figures). */
  wrap<A>(label: string, fn: (arg: A) => void): (arg: A) => void {
    if (!this.enabled) return fn;
    return (arg: A) => {
      this.arg = arg;
      this.measure(label, () => fn(this.arg as A));
    };
  }

  private arg: unknown = undefined;

  /** One line per label since the last report: calls, and bytes a measured call allocated
   *  on average (scaled to every call in the per-second figures). */
  report(line: (text: string) => void, seconds: number): void {
    for (const [label, t] of this.tallies) {
      if (t.calls === 0) continue;
      const perCallSlots = t.measured ? t.slots / t.measured : 0;
      const perCallChunks = t.measured ? t.chunks / t.measured : 0;
      line(`allocation: ${label}: ${t.calls} calls (${t.calls - t.measured} with a collection, not measured) in ${seconds} s, per call slots ${Math.round(perCallSlots)} B, chunks ${Math.round(perCallChunks)} B; per second slots ${Math.round((perCallSlots * t.calls) / seconds)} B, chunks ${Math.round((perCallChunks * t.calls) / seconds)} B; ${t.collections} collections, in use at most when one began slots ${t.slotsAtCollection} B, chunks ${t.chunksAtCollection} B`);
      t.calls = t.measured = t.slots = t.chunks = t.collections = t.slotsAtCollection = t.chunksAtCollection = 0;
    }
  }
}

/** Timers whose callbacks are measured, labelled by `label`, kind and period. */
export function profiledTimers<T extends Timers>(timers: T, profile: AllocationProfile, label: string): T {
  if (!profile.enabled) return timers;
  return Object.freeze({
    ...timers,
    after: (ms: number, callback: () => void): TimerHandle => timers.after(ms, profile.wrap<void>(`${label} after ${ms >= 500 && ms <= 1500 ? "0.5-1.5 s" : `${ms} ms`}`, callback)),
    every: (ms: number, callback: () => void): TimerHandle => (timers.every as NonNullable<Timers["every"]>)(ms, profile.wrap<void>(`${label} every ${ms} ms`, callback)),
  });
}

/** The board's sampling and driving, measured. */
export function profiledHardware(hardware: Hardware, profile: AllocationProfile): Hardware {
  if (!profile.enabled) return hardware;
  const { sensors, actuators } = hardware;
  return {
    ...hardware,
    sensors: { sample: (nowMs) => profile.measure("hardware: sample", () => sensors.sample(nowMs)) },
    actuators: { apply: (command, nowMs) => profile.measure("hardware: apply", () => actuators.apply(command, nowMs)) },
  };
}
