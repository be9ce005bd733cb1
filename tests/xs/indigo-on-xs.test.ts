// The Indigo publish path (device objects patched in place, variable values kept and
// objects written by concatenation) on Moddable's XS engine gives byte-for-byte the
// messages Node gives, and those the build-and-diff baselines give, tick after tick.
import { strict as assert } from "node:assert";
import { runOnXS, startXS } from "../../host-sim/xs/run-on-xs";
import { run as runOnNode } from "../../host-sim/bench/entries/indigo-publish";
import { run as feedsOnNode } from "./entries/indigo-feeds";

const ENTRY = "host-sim/bench/entries/indigo-publish.ts";

describe("Indigo feeds on XS", () => {
  it("publishes the same device and variable messages on XS as on Node and as the build-and-diff baselines, alarms coming and going", async () => {
    const xs = await startXS(ENTRY);
    try {
      const setup = { op: "setup", warmupS: 120, heat: true } as const;
      assert.deepEqual((await xs.call(setup)).results, JSON.parse(JSON.stringify(runOnNode(setup))));
      const kinds = { patch: 0, add: 0, delete: 0 };
      // Both air channels fail for a while (two SENSOR_FAULTs: one variable id), then recover
      // (the alarms clear about 50 s later).
      const faultAt: Record<number, boolean> = { 8: true, 24: false };
      for (let t = 0; t < 90; t++) {
        const on = faultAt[t];
        if (on !== undefined) {
          const fault = { op: "fault", channels: ["air", "probeAir"], on } as const;
          await xs.call(fault);
          runOnNode(fault);
        }
        await xs.call({ op: "advance" });
        runOnNode({ op: "advance" });
        for (const kind of ["device", "variable"] as const) {
          const onXS = (await xs.call<{ sent: string[] }>({ op: "publish", kind, include: true })).results.sent;
          const onNode = runOnNode({ op: "publish", kind, include: true }).sent!;
          assert.deepEqual(onXS, onNode, `tick ${t} ${kind}`);
          for (const m of onNode) for (const k of ["patch", "add", "delete"] as const) if (m.startsWith(`{"message":"${k}"`)) kinds[k]++;
          // The build-and-diff publisher it replaced, on XS too: the same bytes.
          const baseline = (await xs.call<{ sent: string[] }>({ op: "publish", kind, impl: "baseline", include: true })).results.sent;
          runOnNode({ op: "publish", kind, impl: "baseline" });
          assert.deepEqual(onXS, baseline, `tick ${t}: ${kind} messages as the baseline's`);
          const refresh = async (impl: "current" | "baseline") => (await xs.call<{ text: string }>({ op: "refresh", kind, impl })).results.text;
          assert.equal(await refresh("current"), await refresh("baseline"), `tick ${t}: the ${kind} refresh reply`);
        }
      }
      assert.ok(kinds.patch >= 90 && kinds.add >= 2 && kinds.delete >= 2, `the run produced patches, adds and deletes (${JSON.stringify(kinds)})`);
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
