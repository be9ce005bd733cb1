// The Indigo publish path (device objects patched in place, variables built and diffed
// dictdiffer-style, JSON) on Moddable's XS engine gives byte-for-byte the messages Node
// gives, and the device patches the build-and-diff baseline gives, tick after tick.
import { strict as assert } from "node:assert";
import { runOnXS, startXS } from "../../host-sim/xs/run-on-xs";
import { run as runOnNode } from "../../host-sim/bench/entries/indigo-publish";
import { run as feedsOnNode } from "./entries/indigo-feeds";

const ENTRY = "host-sim/bench/entries/indigo-publish.ts";

describe("Indigo feeds on XS", () => {
  it("publishes the same device and variable messages on XS as on Node", async () => {
    const xs = await startXS(ENTRY);
    try {
      const setup = { op: "setup", warmupS: 120, heat: true } as const;
      assert.deepEqual((await xs.call(setup)).results, JSON.parse(JSON.stringify(runOnNode(setup))));
      let patches = 0;
      for (let t = 0; t < 10; t++) {
        await xs.call({ op: "advance" });
        runOnNode({ op: "advance" });
        for (const kind of ["device", "variable"] as const) {
          const onXS = (await xs.call<{ sent: string[] }>({ op: "publish", kind, include: true })).results.sent;
          const onNode = runOnNode({ op: "publish", kind, include: true }).sent!;
          assert.deepEqual(onXS, onNode, `tick ${t} ${kind}`);
          patches += onNode.filter((m) => m.includes('"message":"patch"')).length;
          if (kind === "device") {
            // The build-and-diff publisher it replaced, on XS too: the same bytes.
            const baseline = (await xs.call<{ sent: string[] }>({ op: "publish", kind, impl: "baseline", include: true })).results.sent;
            runOnNode({ op: "publish", kind, impl: "baseline" });
            assert.deepEqual(onXS, baseline, `tick ${t}: device patches as the baseline's`);
          }
        }
        const refresh = async (impl: "current" | "baseline") => (await xs.call<{ text: string }>({ op: "refresh", impl })).results.text;
        assert.equal(await refresh("current"), await refresh("baseline"), `tick ${t}: the refresh list`);
      }
      assert.ok(patches >= 10, `the run produced patches (${patches})`);
    } finally {
      await xs.close();
    }
  });

  it("serves a scripted session on every feed with the same frames on XS as on Node", async () => {
    const xs = await runOnXS<ReturnType<typeof feedsOnNode>>("tests/xs/entries/indigo-feeds.ts", { input: { ticks: 20 } });
    const node = feedsOnNode({ ticks: 20 });
    // JSON.parse's own message differs between engines; everything else must not.
    const neutral = (r: typeof node) =>
      Object.fromEntries(
        Object.entries(r).map(([k, frames]) => [
          k,
          frames.map((f) => (f.startsWith('{"error":"invalid JSON') ? JSON.stringify({ ...JSON.parse(f), error: "invalid JSON: …" }) : f)),
        ]),
      );
    assert.deepEqual(neutral(xs.results), neutral(node));
    assert.ok(node.dev.some((f) => f.includes('"heatSetpoint",[36,36.7]')), "the setpoint arrives as a patch");
    assert.ok(node.dev.some((f) => f.startsWith('{"error":"invalid JSON')), "non-JSON gets an error");
    assert.deepEqual(node.late, node.log, "a late log client is replayed what the live one saw");
    assert.ok(node.log.some((f) => f.includes("State STANDBY → PREHEATING")) && node.log.some((f) => f.includes('"message":"from XS"')));
  });
});
