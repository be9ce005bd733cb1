// The frame reader alone: frames split anywhere (down to one byte per read), fragments
// with control frames between them, and every refusal with its close code, decided
// before anything is allocated for an announced length.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { WsReceiver, type WsReceiverSink } from "../../src/net/ws-receiver";
import { clientFrame } from "../support/net/client-frames";

type Event = [string, ...unknown[]];

class Recorder implements WsReceiverSink {
  readonly events: Event[] = [];
  onMessage(text: string, binary: boolean) {
    this.events.push(["message", text, binary]);
  }
  onPing(payload: Uint8Array) {
    this.events.push(["ping", Buffer.from(payload).toString("hex")]);
  }
  onPong(payload: Uint8Array) {
    this.events.push(["pong", Buffer.from(payload).toString("hex")]);
  }
  onPeerClose(code: number | null, reason: string) {
    this.events.push(["close", code, reason]);
  }
  onFail(code: number, reason: string) {
    this.events.push(["fail", code, reason]);
  }
}

const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

function feed(bytes: Uint8Array, cuts: number[] = [], max = 4096) {
  const sink = new Recorder();
  const rx = new WsReceiver(sink, max);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    rx.push(bytes, from, cut);
    from = cut;
  }
  return { events: sink.events, rx };
}

describe("WebSocket frame receiver", () => {
  const ping = clientFrame(9, Uint8Array.of(1, 2, 3, 0xff));
  const stream = concat([
    clientFrame(1, '{"type":"ping"}'),
    clientFrame(1, "frag-é", { fin: false }),
    ping,
    clientFrame(0, "ment-€", { fin: false }),
    clientFrame(10, "pong!"),
    clientFrame(0, "-end"),
    clientFrame(2, Uint8Array.of(0x68, 0x69)),
    clientFrame(1, "x".repeat(300)),
    clientFrame(1, "y".repeat(70000), {}),
    clientFrame(8, Uint8Array.of(0x03, 0xe8, 0x62, 0x79, 0x65)),
  ]);
  const expected: Event[] = [
    ["message", '{"type":"ping"}', false],
    ["ping", "010203ff"],
    ["pong", Buffer.from("pong!").toString("hex")],
    ["message", "frag-ément-€-end", false],
    ["message", "hi", true],
    ["message", "x".repeat(300), false],
    ["message", "y".repeat(70000), false],
    ["close", 1000, "bye"],
  ];

  it("reads fragments with control frames between them, 16- and 64-bit lengths, binary as text", () => {
    assert.deepEqual(feed(stream, [], 100_000).events, expected);
  });

  it("gives the same messages whatever the reads: one byte at a time, or cut at random", () => {
    const bytewise = feed(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1), 100_000);
    assert.deepEqual(bytewise.events, expected);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 30 }), (cuts) => {
        assert.deepEqual(feed(stream, [...new Set(cuts)].sort((a, b) => a - b), 100_000).events, expected);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses each protocol violation with its code and reads nothing after it", () => {
    const after = clientFrame(1, "never read");
    const cases: [string, Uint8Array, number, RegExp][] = [
      ["unmasked", clientFrame(1, "x", { mask: null }), 1002, /must be masked/],
      ["reserved bits", clientFrame(1, "x", { rsv: 4 }), 1002, /reserved bits/],
      ["reserved opcode 3", clientFrame(3, "x"), 1002, /reserved opcode 3/],
      ["reserved control opcode 11", clientFrame(11, "x"), 1002, /reserved opcode 11/],
      ["continuation first", clientFrame(0, "x"), 1002, /continuation/],
      ["fragmented ping", clientFrame(9, "x", { fin: false }), 1002, /fragmented control/],
      ["ping over 125 bytes", clientFrame(9, "p".repeat(126)), 1002, /125/],
      ["text inside a fragmented message", concat([clientFrame(1, "a", { fin: false }), clientFrame(1, "b")]), 1002, /before the fragmented one/],
      ["invalid UTF-8", clientFrame(1, Uint8Array.of(0x7b, 0xff, 0x7d)), 1007, /UTF-8/],
      ["UTF-8 cut between fragments", concat([clientFrame(1, Uint8Array.of(0x61, 0xe2, 0x82), { fin: false }), clientFrame(0, Uint8Array.of(0x28))]), 1007, /UTF-8/],
      ["text ending inside a sequence", concat([clientFrame(1, Uint8Array.of(0x61, 0xe2), { fin: false }), clientFrame(0, Uint8Array.of())]), 1007, /ends inside/],
      ["close code 1005", clientFrame(8, Uint8Array.of(0x03, 0xed)), 1002, /invalid close code 1005/],
      ["close code 999", clientFrame(8, Uint8Array.of(0x03, 0xe7)), 1002, /invalid close code/],
      ["close with one byte", clientFrame(8, Uint8Array.of(0x03)), 1002, /1-byte/],
      ["close reason not UTF-8", clientFrame(8, Uint8Array.of(0x03, 0xe8, 0xc0, 0x80)), 1007, /close reason/],
      ["a 4097-byte text", clientFrame(1, "z".repeat(4097)), 1009, /larger than 4096/],
      ["fragments over the limit together", concat([clientFrame(1, "z".repeat(3000), { fin: false }), clientFrame(0, "z".repeat(1100))]), 1009, /larger than 4096/],
      ["64-bit length with the top bit", clientFrame(1, "", { declared: [0x80000000, 0] }), 1002, /most significant bit/],
    ];
    for (const [what, bytes, code, reason] of cases) {
      const { events, rx } = feed(concat([bytes, after]));
      const last = events[events.length - 1];
      assert.equal(last[0], "fail", what);
      assert.equal(last[1], code, what);
      assert.match(String(last[2]), reason, what);
      assert.ok(!events.some((e) => e[1] === "never read"), what);
      assert.equal(rx.stopped, true);
    }
  });

  it("refuses an announced 2^62-byte frame after its 10 header bytes, before the mask or any allocation", () => {
    const header = clientFrame(1, "", { declared: [0x40000000, 0] }).subarray(0, 10);
    const { events, rx } = feed(header, Array.from({ length: 9 }, (_, i) => i + 1));
    assert.deepEqual(events, [["fail", 1009, "message larger than 4096 bytes"]]);
    assert.equal(rx.heldBytes, 0);
    const sixteen = feed(clientFrame(1, "", { declared: [0, 60000] }).subarray(0, 4));
    assert.deepEqual(sixteen.events, [["fail", 1009, "message larger than 4096 bytes"]]);
  });

  it("takes close frames without a code, and with a code and a UTF-8 reason", () => {
    assert.deepEqual(feed(clientFrame(8, "")).events, [["close", null, ""]]);
    assert.deepEqual(feed(clientFrame(8, Uint8Array.of(0x0f, 0xa0, ...Buffer.from("né")))).events, [["close", 4000, "né"]]);
  });
});
