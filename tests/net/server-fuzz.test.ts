// Random traffic on the whole server (scripted sockets, simulated time): whatever bytes
// arrive, in whatever pieces, nothing is thrown into the platform, the socket caps hold,
// and a valid stream gets the same answer however it is cut. fast-check prints the seed
// of any failure; a failing seed becomes a fixed case here.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { createFirmwareServer } from "../../src/firmware/server";
import type { HttpRoute } from "../../src/net/http-types";
import { clientFrame, upgradeRequest } from "../support/net/client-frames";
import { ScriptedSocket } from "../support/net/scripted-socket";
import { toyIncubator } from "../support/toy-incubator";

const KEY = "fuzz-key-99";

function rig() {
  const toy = toyIncubator();
  toy.incubator.start();
  toy.run(2);
  const broken: HttpRoute = {
    handle: (r) =>
      r.path === "/broken"
        ? { status: 200, body: { next: () => { throw new Error("source broke"); } } }
        : null,
  };
  const server = createFirmwareServer({ api: toy.incubator, clock: toy.time, timers: toy.time, wall: toy.time, apiKey: () => KEY, keyHint: "fuzz", platform: "fuzz", routes: [broken], log: () => {} });
  return { toy, server };
}

const enc = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));
const piece = fc.oneof(
  fc.constant(enc(upgradeRequest(`/ws?api-key=${KEY}`))),
  fc.constant(enc(upgradeRequest("/v2/api/ws/device-feed"))),
  fc.constant(enc(`GET /status.json?api-key=${KEY} HTTP/1.1\r\nHost: h\r\n\r\n`)),
  fc.constant(enc("GET /broken HTTP/1.1\r\nHost: h\r\n\r\n")),
  fc.constant(enc("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")),
  fc.constant(clientFrame(1, '{"type":"ping"}')),
  fc.constant(clientFrame(1, '{"type":"subscribe","channel":"all"}')),
  fc.constant(clientFrame(9, "p")),
  fc.constant(clientFrame(8, Uint8Array.of(0x03, 0xe8))),
  fc.constant(clientFrame(1, "frag", { fin: false })),
  fc.constant(clientFrame(0, "ment")),
  fc.uint8Array({ maxLength: 40 }),
  fc.constant(enc("\r\n")),
);
const action = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("feed" as const), socket: fc.nat({ max: 5 }), bytes: piece, cut: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("drain" as const), socket: fc.nat({ max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("time" as const), ms: fc.integer({ min: 1, max: 12_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("hangup" as const), socket: fc.nat({ max: 5 }) }) },
);

describe("the server under random traffic (scripted sockets)", () => {
  it("never throws into the platform and keeps its caps, whatever arrives", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        const { toy, server } = rig();
        const sockets = Array.from({ length: 6 }, (_, i) => new ScriptedSocket(i % 2 ? 1024 : 8192, `10.0.0.${i}:1`).connect(server.http));
        for (const a of actions) {
          // Every call below goes into the server as the platform would make it: a throw
          // here fails the property.
          if (a.kind === "feed") {
            const s = sockets[a.socket];
            const cut = a.bytes.length ? a.cut % a.bytes.length : 0;
            s.feed(a.bytes.subarray(0, cut));
            s.feed(a.bytes.subarray(cut));
          } else if (a.kind === "drain") sockets[a.socket].drainAll();
          else if (a.kind === "hangup") sockets[a.socket].hangUp();
          else toy.run(Math.ceil(a.ms / 1000));
          const stats = server.http.stats();
          assert.ok(stats.httpSockets <= server.http.limits.maxSockets, `${stats.httpSockets} HTTP sockets`);
          assert.ok(server.router.connectionCount <= server.router.limits.maxConnections);
        }
        for (const s of sockets) s.hangUp();
        assert.deepEqual([server.http.stats().httpSockets, server.http.stats().webSockets, server.router.connectionCount], [0, 0, 0], "every socket forgotten");
        server.close();
        toy.incubator.stop();
      }),
      { numRuns: 300 },
    );
  });

  it("answers a valid stream the same however it is cut", () => {
    const stream = Buffer.concat([
      Buffer.from(`GET /status.json HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer ${KEY}\r\n\r\n`),
      Buffer.from(upgradeRequest(`/ws?api-key=${KEY}`), "latin1"),
      clientFrame(1, '{"type":"ping"}'),
      clientFrame(9, "abc"),
      clientFrame(1, '{"type":', { fin: false }),
      clientFrame(0, '"ping"}'),
    ]);
    const answer = (cuts: number[]) => {
      const { toy, server } = rig();
      const s = new ScriptedSocket(1024).connect(server.http);
      let from = 0;
      for (const c of [...cuts, stream.length]) {
        s.feed(stream.subarray(from, c));
        s.drainAll();
        from = c;
      }
      const out = Buffer.from(s.take()).toString("latin1");
      server.close();
      toy.incubator.stop();
      return out;
    };
    const whole = answer([]);
    assert.match(whole, /^HTTP\/1\.1 200 OK/);
    assert.ok(whole.includes("HTTP/1.1 101 Switching Protocols"));
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 20 }), (cuts) => answer(cuts.sort((a, b) => a - b)) === whole), { numRuns: 200 });
  });

  it("closes the socket whose response body breaks, and says so, nothing else harmed", () => {
    const log: string[] = [];
    const toy = toyIncubator();
    toy.incubator.start();
    const server = createFirmwareServer({ api: toy.incubator, clock: toy.time, timers: toy.time, wall: toy.time, apiKey: () => KEY, keyHint: "x", platform: "x", routes: [{ handle: (r) => (r.path === "/broken" ? { status: 200, body: { next: () => { throw new Error("source broke"); } } } : null) }], log: (l) => log.push(l) });
    const s = new ScriptedSocket(1024).connect(server.http);
    s.feed("GET /broken HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal(s.closedByServer, true);
    assert.ok(log.some((l) => /internal error on .*: source broke/.test(l)), log.join("\n"));
    const t = new ScriptedSocket(1024, "10.0.0.9:1").connect(server.http);
    t.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    t.drainAll();
    assert.match(Buffer.from(t.take()).toString(), /^HTTP\/1\.1 200 OK/);
    server.close();
    toy.incubator.stop();
  });
});
