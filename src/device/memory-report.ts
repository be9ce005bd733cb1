// A measuring aid for instrumented builds (mcconfig -d or -i) with `memoryReportS=<s>` on the
// mcconfig command line: every <s> seconds a console line with the garbage collections per
// second since the last line and the XS heap in use, then, after a forced full collection,
// the live heap: what the firmware really holds, as opposed to garbage not yet collected.
// The forced collections are left out of the rate. Off (0) in every shipped build.
import Debug from "debug";
import Instrumentation from "instrumentation";
import type { Timers } from "../core/types";

type Figure = "XS Slot Heap Used" | "XS Chunk Heap Used" | "XS Garbage Collection Count";

function read(name: Figure): number | null {
  const index = Instrumentation.map(name);
  if (index === undefined) return null;
  const value = Instrumentation.get(index);
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function startMemoryReport(everyS: number, timers: Timers, now: () => number, line: (text: string) => void): void {
  if (!(everyS > 0) || read("XS Garbage Collection Count") === null) return;
  let lastCount = read("XS Garbage Collection Count") ?? 0;
  let lastMs = now();
  const report = (): void => {
    timers.after(everyS * 1000, report);
    const count = read("XS Garbage Collection Count") ?? 0;
    const ms = now();
    const slots = read("XS Slot Heap Used");
    const chunks = read("XS Chunk Heap Used");
    Debug.gc();
    const liveSlots = read("XS Slot Heap Used");
    const liveChunks = read("XS Chunk Heap Used");
    const rate = ((count - lastCount) * 1000) / Math.max(1, ms - lastMs);
    // The forced collection is not the firmware's: the next interval counts from after it.
    lastCount = read("XS Garbage Collection Count") ?? count;
    lastMs = ms;
    line(`memory: ${rate.toFixed(2)} collections/s; in use slots ${slots} B, chunks ${chunks} B; live after a full collection slots ${liveSlots} B, chunks ${liveChunks} B`);
  };
  timers.after(everyS * 1000, report);
}
