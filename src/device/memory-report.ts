// A measuring aid for instrumented builds (mcconfig -d or -i) with `memoryReportS=<s>` on the
// mcconfig command line: at boot, the live XS heap after each part is made (a forced full
// collection before each reading); then every <s> seconds the heap in use and, after a
// forced full collection, the live heap: what the firmware really holds, as opposed to
// garbage not yet collected. Off (0) in every shipped build. (The collections per second
// come from the simulator's instruments, which count them per second: tools/sim.)
import Debug from "debug";
import Instrumentation from "instrumentation";
import type { Timers } from "../core/types";
import type { AllocationProfile } from "./allocation-profile";

type Figure = "XS Slot Heap Used" | "XS Chunk Heap Used";

function read(name: Figure): number {
  const index = Instrumentation.map(name);
  const value = index === undefined ? null : Instrumentation.get(index);
  return typeof value === "number" && Number.isFinite(value) ? value : -1;
}

export class MemoryReport {
  private lastSlots = 0;
  private lastChunks = 0;

  constructor(
    private readonly everyS: number,
    private readonly line: (text: string) => void,
  ) {
    if (this.enabled) this.mark("boot");
  }

  get enabled(): boolean {
    return this.everyS > 0 && read("XS Slot Heap Used") >= 0;
  }

  /** The live heap now, and how much it grew since the previous mark. */
  mark(what: string): void {
    if (!this.enabled) return;
    Debug.gc();
    const slots = read("XS Slot Heap Used");
    const chunks = read("XS Chunk Heap Used");
    this.line(`memory after ${what}: live slots ${slots} B (+${slots - this.lastSlots}), chunks ${chunks} B (+${chunks - this.lastChunks})`);
    this.lastSlots = slots;
    this.lastChunks = chunks;
  }

  start(timers: Timers, profile?: AllocationProfile): void {
    if (!this.enabled) return;
    const report = (): void => {
      timers.after(this.everyS * 1000, report);
      profile?.report(this.line, this.everyS);
      const slots = read("XS Slot Heap Used");
      const chunks = read("XS Chunk Heap Used");
      Debug.gc();
      this.line(`memory: in use slots ${slots} B, chunks ${chunks} B; live after a full collection slots ${read("XS Slot Heap Used")} B, chunks ${read("XS Chunk Heap Used")} B`);
    };
    timers.after(this.everyS * 1000, report);
  }
}
