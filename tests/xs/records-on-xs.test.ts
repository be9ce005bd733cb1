import { strict as assert } from "node:assert";
import { crc32 } from "node:zlib";
import { runOnXS } from "../../host-sim/xs/run-on-xs";
import { run as runRecords, type RecordRunInput } from "./entries/record-store-run";

const ENTRY = "tests/xs/entries/record-store-run.ts";

describe("record store on XS (Moddable XS through xsnap) over a simulated ESP32 preference", () => {
  it("encodes, checks and survives a power cut at every step exactly as on Node", async () => {
    const input: RecordRunInput = { texts: ['{"v":2,"air":3600}', "a longer record ünïcødé 𝄞 " + "x".repeat(200), "", '{"v":2,"air":3450}'] };
    const xs = await runOnXS<ReturnType<typeof runRecords>>(ENTRY, { input });
    const node = JSON.parse(JSON.stringify(runRecords(input))) as ReturnType<typeof runRecords>;
    assert.deepEqual(xs.results, node);
    for (const c of xs.results.codec) assert.ok(c.ok && c.same && !c.torn);
    input.texts.forEach((t, i) => assert.equal(xs.results.codec[i].crc, crc32(Buffer.from(t, "utf8")), "XS's CRC-32 is zlib's"));
    assert.ok(xs.results.decoded.ok);
    assert.equal(xs.results.cuts.length, 2 * 2 * input.texts.length, "every step of every save, both kinds of cut");
    for (const c of xs.results.cuts) assert.ok(c.loaded === c.acknowledged || c.loaded === c.inFlight, JSON.stringify(c));
    assert.ok(xs.results.cuts.some((c) => c.acknowledged !== null && c.loaded === c.acknowledged));
  });
});
