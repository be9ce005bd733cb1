
// census-driver.js (appended to the bundle by census.sh; runs on the patched xst).
// Each reading: a forced full collection ($262.gc), then heapFigures() = [live slots, live
// chunk bytes], less the reading taken once the modules are loaded. Steps run in promise
// jobs so the firmware's own promises (the start command) settle between them.
(function () {
  const SLOT = 16; // bytes a slot on this 32-bit xst (census.sh checks `xst -v`)
  const run = (input) => globalThis.CensusEntry.run(input);
  const turns = async (n) => { for (let i = 0; i < n; i++) await null; };
  const live = () => { $262.gc(); const [slots, chunks] = heapFigures(); return { slots, chunks }; };
  let base;
  const rows = [];
  const reading = (label) => {
    const h = live();
    rows.push({ label, slotBytes: (h.slots - base.slots) * SLOT, chunkBytes: h.chunks - base.chunks });
  };
  const kB = (b) => (b / 1000).toFixed(1).padStart(6);
  async function main() {
    await turns(2);
    base = live();
    const state0 = run({ op: "setup" });
    await turns(20);
    reading("booted, therapy started (" + run({ op: "status" }).state + ")");
    const warm = run({ op: "advance", seconds: 900 });
    await turns(20);
    reading("warm-up done (900 s, " + warm + ")");
    run({ op: "connect" });
    run({ op: "soak", seconds: 300 });
    await turns(20);
    reading("+ the four clients, 300 s");
    run({ op: "soak", seconds: 1500 });
    await turns(20);
    reading("+ the four clients, 1800 s");
    const status = run({ op: "status" });
    print("after loading the modules (subtracted): " + base.slots + " slots (" + kB(base.slots * SLOT).trim() + " kB), " + base.chunks + " B of chunks; state after setup " + state0);
    print("status: " + JSON.stringify(status));
    print("| point | slots | chunks | sum |");
    print("| --- | ---: | ---: | ---: |");
    for (const r of rows) {
      print("| " + r.label + " | " + kB(r.slotBytes) + " kB | " + kB(r.chunkBytes) + " kB | " + kB(r.slotBytes + r.chunkBytes) + " kB |");
    }
    print("raw bytes (slots, chunks): " + rows.map((r) => r.slotBytes + "," + r.chunkBytes).join(" ; "));
    if (status.received.some((b) => b <= 0) || status.rest <= 0) throw new Error("a client was closed or got nothing");
  }
  main().catch((e) => { print("census failed: " + e + "\n" + (e && e.stack ? e.stack : "")); throw e; });
})();
