import { strict as assert } from "node:assert";
import { startXS } from "../../host-sim/xs/run-on-xs";
import { run } from "../../host-sim/bench/entries/logs";

const ENTRY = "host-sim/bench/entries/logs.ts";

describe("the logs and the REST data endpoints on XS", function () {
  this.timeout(300_000);

  it("store, stream and recover from a torn write exactly as on Node", async () => {
    const steps: unknown[] = [
      { op: "fill", minutes: 3000 },
      { op: "history" },
      { op: "csv", limit: 40_000 },
      { op: "text", target: "/api/sensors/history?hours=6&interval=15", limit: 20_000 },
      { op: "text", target: "/api/data/latest?count=50", limit: 20_000 },
      { op: "text", target: "/api/data/storage", limit: 2000 },
      { op: "text", target: "/api/system/logs", limit: 5000 },
      { op: "tornReboot" },
    ];
    const xs = await startXS(ENTRY);
    let last: any = null;
    try {
      for (const step of steps) {
        const onNode = JSON.parse(JSON.stringify(run(step as Parameters<typeof run>[0])));
        const onXs = (await xs.call(step)).results;
        assert.deepEqual(onXs, onNode, `${JSON.stringify(step)} differs on XS`);
        last = onNode;
      }
    } finally {
      await xs.close();
    }
    // 2999 minutes were stored (the 3000th was still open); the power went during the next
    // batch of five: three records whole, the fourth torn (skipped by its checksum), the
    // fifth never written.
    assert.equal(last.torn, 1);
    assert.equal(last.records, 2999 + 3);
    assert.equal(last.heldIds, 2999 + 4, "the boot counts ids without reading every record");
    assert.equal(last.previousRun, "unexpected");
  });

  it("keeps a flat live heap as days of minutes are logged and exported", async () => {
    const xs = await startXS(ENTRY);
    try {
      await xs.call({ op: "fill", minutes: 1440 });
      await xs.call({ op: "export" });
      const day1 = await xs.call({ op: "noop" });
      await xs.call({ op: "fill", minutes: 4 * 1440 });
      await xs.call({ op: "export" });
      const day5 = await xs.call({ op: "noop" });
      assert.equal(day5.heapSlots, day1.heapSlots, `live slots after 1 day ${day1.heapSlots}, after 5 days ${day5.heapSlots}`);
    } finally {
      await xs.close();
    }
  });
});
