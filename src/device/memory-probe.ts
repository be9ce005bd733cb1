// /api/status memory on the device, from Moddable's instrumentation (present in debug and
// instrumented builds: `mcconfig -d` or `-i`; a plain release build has none and reports
// null): the ESP32's free 8-bit heap ("System Free Memory") and, as the total, that free
// heap plus what XS uses of its slot and chunk heaps.
import Instrumentation from "instrumentation";
import type { MemoryFigures, MemoryProbe } from "../protocol/rest/system-info";

function reader(name: "System Free Memory" | "XS Slot Heap Used" | "XS Chunk Heap Used"): () => number | null {
  const index = Instrumentation.map(name);
  return () => {
    if (index === undefined) return null;
    const value = Instrumentation.get(index);
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  };
}

export function instrumentationMemory(): MemoryProbe {
  const free = reader("System Free Memory");
  const slots = reader("XS Slot Heap Used");
  const chunks = reader("XS Chunk Heap Used");
  return {
    read(): MemoryFigures {
      const s = slots();
      const c = chunks();
      const xs = s !== null && c !== null ? s + c : null;
      // Moddable's simulator has no free-memory figure (it reads 0): only what XS uses is known.
      const systemFree = free();
      const heapFree = systemFree !== null && systemFree > 0 ? systemFree : null;
      if (heapFree === null && xs !== null) return { heapFree: null, heapTotal: xs, source: "moddable-instrumentation (simulator: heap_total is the XS heap in use, no free figure)" };
      return {
        heapFree,
        heapTotal: heapFree !== null && xs !== null ? heapFree + xs : null,
        source: heapFree === null ? "none (build without instrumentation)" : "moddable-instrumentation",
      };
    },
  };
}
