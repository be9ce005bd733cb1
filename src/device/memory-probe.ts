// /api/status memory on the device, from Moddable's instrumentation (present in debug and
// instrumented builds: `mcconfig -d` or `-i`; a plain release build has none and reports
// null): the ESP32's free 8-bit heap ("System Free Memory") and, as the total, that free
// heap plus what XS uses of its slot and chunk heaps.
import Instrumentation from "instrumentation";
import type { MemoryFigures, MemoryProbe } from "../protocol/rest/system-info";

function read(index: number | undefined): number | null {
  if (index === undefined) return null;
  const value = Instrumentation.get(index);
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

// A class, not closures: made once at boot, its methods stay in flash (preloaded).
class InstrumentationMemory implements MemoryProbe {
  private readonly free = Instrumentation.map("System Free Memory");
  private readonly slots = Instrumentation.map("XS Slot Heap Used");
  private readonly chunks = Instrumentation.map("XS Chunk Heap Used");

  read(): MemoryFigures {
    const s = read(this.slots);
    const c = read(this.chunks);
    const xs = s !== null && c !== null ? s + c : null;
    // Moddable's simulator has no free-memory figure (it reads 0): only what XS uses is known.
    const systemFree = read(this.free);
    const heapFree = systemFree !== null && systemFree > 0 ? systemFree : null;
    if (heapFree === null && xs !== null) return { heapFree: null, heapTotal: xs, source: "moddable-instrumentation (simulator: heap_total is the XS heap in use, no free figure)" };
    return {
      heapFree,
      heapTotal: heapFree !== null && xs !== null ? heapFree + xs : null,
      source: heapFree === null ? "none (build without instrumentation)" : "moddable-instrumentation",
    };
  }
}

export function instrumentationMemory(): MemoryProbe {
  return new InstrumentationMemory();
}
