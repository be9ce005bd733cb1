// The /ws protocol (router, session, encoders) on Moddable's XS engine gives the same
// frames as on Node, on the real core with simulated time.
import { strict as assert } from "node:assert";
import { fileURLToPath } from "node:url";
import { startXS } from "../../host-sim/xs/run-on-xs";

const ENTRY = fileURLToPath(new URL("../../host-sim/bench/entries/ws-protocol.ts", import.meta.url));

describe("/ws protocol on XS", () => {
  it("encodes sensor updates and answers commands exactly as on Node", async () => {
    const node = await import("../../host-sim/bench/entries/ws-protocol");
    const script: unknown[] = [
      { op: "setup", clients: 2, warmupS: 30 },
      { op: "texts" },
      { op: "advance" },
      { op: "texts" },
      { op: "command" },
      { op: "texts" },
      { op: "advance" },
      { op: "command" },
      { op: "texts" },
    ];
    const xs = await startXS(ENTRY);
    try {
      for (const input of script) {
        const onXS = (await xs.call(input)).results;
        const onNode = JSON.parse(JSON.stringify(node.run(input as never)));
        assert.deepEqual(onXS, onNode, JSON.stringify(input));
      }
    } finally {
      await xs.close();
    }
    const last = node.run({ op: "texts" }) as { last: string; sensorUpdate: string };
    assert.equal(JSON.parse(last.last).type, "command_response");
    assert.equal(JSON.parse(last.sensorUpdate).data.setpoint.temperature, 36.5);
  });
});
