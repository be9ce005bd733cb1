// The same server code on Moddable's XS engine (through xsnap) against the same scripted
// byte streams gives byte for byte what it gives on Node: split frames, pings with
// payloads, fragments, a 12 kB frame through a 1 kB window, invalid UTF-8, HTTP
// keep-alive and refusals, a slowloris on simulated time. What the bytes mean is checked
// in tests/net/server-scripted.test.ts.
import { strict as assert } from "node:assert";
import { startXS } from "../../host-sim/xs/run-on-xs";
import { run as onNode, SCENARIOS, type ScenarioResult } from "./entries/net-server";

describe("the server on XS", () => {
  it("writes the same bytes on XS as on Node for every scripted stream, with a 1 kB and an 8 kB window, native or script UTF-8", async () => {
    const xs = await startXS("tests/xs/entries/net-server.ts");
    try {
      for (const [window, script] of [[1024, false], [8192, false], [1024, true]] as const) {
        for (const scenario of SCENARIOS) {
          const input = { scenario, window, script };
          const node = onNode(input);
          const { results } = await xs.call<ScenarioResult>(input);
          assert.deepEqual(results, JSON.parse(JSON.stringify(node)), `${scenario}, window ${window}${script ? ", script UTF-8" : ""}`);
          assert.ok(node.out.every((hex) => hex.length > 0), `${scenario}: the server answered`);
        }
      }
    } finally {
      await xs.close();
    }
  });
});
