// The server's live heap on XS does not grow with service: four /ws clients subscribed to
// everything, a ping frame and a keep-alive GET /status.json every second, for half an
// hour of simulated time (after the first 20 minutes, in which the core settles into
// therapy: its state and windows fill). (The whole firmware's heap: tests/xs/heap-on-xs.test.ts.)
import { strict as assert } from "node:assert";
import { startXS } from "../../host-sim/xs/run-on-xs";

describe("the server's live heap on XS", function () {
  this.timeout(180_000);

  it("is the same after 20 and after 50 minutes of serving 4 clients", async () => {
    const xs = await startXS("host-sim/bench/entries/net-server.ts");
    try {
      await xs.call({ op: "setup" });
      await xs.call({ op: "serve", seconds: 1200 });
      const a = (await xs.call({ op: "noop" })).heapSlots;
      const aBytes = await xs.snapshotBytes();
      const served = await xs.call<{ ws: number; state: string }>({ op: "serve", seconds: 1800 });
      // The four that talk stay; the two idle bench connections were closed as gone long before.
      assert.equal(served.results.ws, 4);
      const b = (await xs.call({ op: "noop" })).heapSlots;
      const bBytes = await xs.snapshotBytes();
      assert.equal(b, a, `live slots ${a} → ${b}`);
      assert.ok(Math.abs(bBytes - aBytes) <= 256, `snapshot ${aBytes} → ${bBytes} B`);
    } finally {
      await xs.close();
    }
  });
});
