// The whole server (src/firmware/server.ts) on scripted sockets with a 1 kB send window
// (Moddable's lin socket) and simulated time: what each hostile or fragmented byte
// stream gets back. tests/xs/net-on-xs.test.ts runs the same scripts on XS.
import { strict as assert } from "node:assert";
import { run } from "../xs/entries/net-server";
import { closeOf, readOutput, text } from "../support/net/read-output";

const WINDOW = 1024;

describe("the server on scripted byte streams (1 kB window, simulated time)", () => {
  it("upgrades and serves /ws with the request and every frame fed one byte at a time", () => {
    const r = run({ scenario: "split-frames", window: WINDOW });
    const out = readOutput(r.out[0]);
    assert.equal(out.responses[0].status, 101);
    assert.equal(out.responses[0].headers["sec-websocket-accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    const messages = out.frames.map((f) => JSON.parse(text(f)));
    assert.deepEqual(messages.map((m) => m.type), ["sensor_update", "sensor_update", "pong"]);
    assert.equal(r.closed[0], false);
  });

  it("answers every ping with its own payload, before anything queued", () => {
    const out = readOutput(run({ scenario: "ping-payloads", window: WINDOW }).out[0]);
    const pongs = out.frames.filter((f) => f.opcode === 10).map((f) => Buffer.from(f.payload).toString("hex"));
    assert.deepEqual(pongs, ["", Buffer.from("abc").toString("hex"), Buffer.from(Array.from({ length: 125 }, (_, i) => i)).toString("hex")]);
  });

  it("reassembles fragments with control frames between them", () => {
    const out = readOutput(run({ scenario: "fragments", window: WINDOW }).out[0]);
    assert.deepEqual(out.frames.map((f) => [f.opcode, f.opcode === 10 ? text(f) : JSON.parse(text(f)).type]), [[10, "between"], [1, "pong"]]);
  });

  for (const script of [false, true]) {
  it(`sends an 11.7 kB Indigo refresh whole through the 1 kB window, in pieces of at most 1 kB (${script ? "script" : "native"} UTF-8)`, () => {
    const r = run({ scenario: "big-frame", window: WINDOW, script });
    const out = readOutput(r.out[0]);
    const refresh = out.frames.map((f) => JSON.parse(text(f))).find((m) => m.message === "refresh");
    assert.ok(refresh, "the refresh arrives");
    const bytes = Buffer.byteLength(JSON.stringify(refresh));
    assert.ok(bytes > 11_000, `the refresh is ${bytes} bytes`);
    assert.equal(refresh.id, 7);
    assert.ok(r.writes[0].every((n) => n <= WINDOW));
    assert.ok(r.writes[0].length >= Math.ceil(bytes / WINDOW), `${r.writes[0].length} writes`);
    assert.equal(out.rest, 0);
  });
  }

  it("closes with 1007 on invalid UTF-8 in one frame and split across fragments", () => {
    const r = run({ scenario: "invalid-utf8", window: WINDOW });
    for (const hex of r.out) {
      const out = readOutput(hex);
      const close = out.frames.filter((f) => f.opcode === 8).map(closeOf);
      assert.equal(close.length, 1);
      assert.equal(close[0].code, 1007);
      assert.match(close[0].reason, /UTF-8/);
    }
    assert.deepEqual(r.closed, [true, true]);
  });

  it("serves pipelined keep-alive requests in order, the key by Basic auth, and 431 on a huge header", () => {
    const r = run({ scenario: "http", window: WINDOW });
    const out = readOutput(r.out[0]);
    assert.deepEqual(out.responses.map((x) => x.status), [200, 401, 200, 404]);
    assert.match(out.responses[0].body, /IncuNest incubator/);
    assert.equal(out.responses[1].headers["www-authenticate"], 'Bearer realm="IncuNest"');
    assert.equal(JSON.parse(out.responses[2].body).state, "STANDBY");
    assert.equal(out.responses[3].body, "", "HEAD: no body");
    assert.equal(r.closed[0], false, "kept alive");
    const big = readOutput(r.out[1]);
    assert.equal(big.responses[0].status, 431);
    assert.equal(big.responses[0].headers["connection"], "close");
    assert.match(big.responses[0].body, /header section larger than 8192/);
  });

  it("refuses handshakes it cannot take with a status that says why; a missing key is 4000 after it", () => {
    const r = run({ scenario: "handshakes", window: WINDOW });
    const [plain, v8, badKey, noKey] = r.out.map(readOutput);
    assert.equal(plain.responses[0].status, 426);
    assert.match(plain.responses[0].body, /no "Upgrade: websocket" header/);
    assert.equal(r.closed[0], false, "a plain GET is an ordinary request");
    assert.equal(v8.responses[0].status, 426);
    assert.equal(v8.responses[0].headers["sec-websocket-version"], "13");
    assert.equal(badKey.responses[0].status, 400);
    assert.match(badKey.responses[0].body, /16 random bytes/);
    assert.equal(noKey.responses[0].status, 101);
    assert.deepEqual(noKey.frames.map(closeOf), [{ code: 4000, reason: "API key required: Authorization: Bearer <key> or ?api-key=<key>" }]);
  });

  it("answers a request dripped for longer than the request deadline with 408, while the ticks go on", () => {
    const r = run({ scenario: "slowloris", window: WINDOW });
    const out = readOutput(r.out[0]);
    assert.equal(out.responses[0].status, 408);
    assert.match(out.responses[0].body, /not complete within 10 s/);
    assert.equal(r.closed[0], true);
    assert.ok(r.ticks >= 10, `${r.ticks} ticks meanwhile`);
  });
});
