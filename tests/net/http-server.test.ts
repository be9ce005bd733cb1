// The HTTP side of the server on scripted sockets and simulated time: keep-alive and its
// idle timeout, pipelining in order, the socket cap (eviction of idle sockets, 503 for the
// rest), 100-continue, 413 and the linger that keeps the answer from a reset, routes that
// throw, reject, answer late or never, bodies streamed as the window drains, the key and
// its throttle, and the WebSocket close handshake both ways.
import { strict as assert } from "node:assert";
import { SimTime } from "../../host-sim/sim-time";
import type { Connection, Endpoint, Session, UpgradeRequest } from "../../src/net/endpoint";
import { HttpServer } from "../../src/net/http-server";
import type { HttpLimits } from "../../src/net/http-limits";
import type { HttpBodySource, HttpRequest, HttpResponse, HttpRoute } from "../../src/net/http-types";
import { KeyGuard } from "../../src/net/key-guard";
import { WsRouter } from "../../src/net/router";
import { clientFrame, upgradeRequest } from "../support/net/client-frames";
import { closeOf, readOutput } from "../support/net/read-output";
import { ScriptedSocket } from "../support/net/scripted-socket";

const KEY = "route-key-42";

class EchoEndpoint implements Endpoint {
  readonly connections: Connection[] = [];
  accepts(path: string) {
    return path === "/echo";
  }
  open(connection: Connection, _request: UpgradeRequest): Session {
    this.connections.push(connection);
    return { onMessage: (text) => void connection.send(`echo ${text}`), onClose() {} };
  }
}

function rig(routes: HttpRoute[], limits: Partial<HttpLimits> = {}) {
  const time = new SimTime();
  const keyGuard = new KeyGuard(time, () => KEY);
  const router = new WsRouter({ clock: time, timers: time, apiKey: () => KEY, keyGuard });
  const echo = new EchoEndpoint();
  router.register(echo);
  const log: string[] = [];
  const server = new HttpServer({ clock: time, timers: time, router, routes, keyGuard, limits, log: (t) => log.push(t) });
  const open = (remote = "10.0.0.2:50000", window = 1024) => new ScriptedSocket(window, remote).connect(server);
  return { time, server, router, echo, open, log };
}

const ok = (body: string): HttpResponse => ({ status: 200, headers: { "Content-Type": "text/plain" }, body });
const route = (path: string, answer: (r: HttpRequest) => HttpResponse | Promise<HttpResponse>): HttpRoute => ({ handle: (r) => (r.path === path ? answer(r) : null) });
const get = (path: string, extra = "") => `GET ${path} HTTP/1.1\r\nHost: h\r\n${extra}\r\n`;
const statuses = (s: ScriptedSocket) => readOutput(Buffer.from(s.take()).toString("hex")).responses.map((r) => r.status);
const settle = () => new Promise((r) => setImmediate(r));

describe("HTTP server (scripted sockets, simulated time)", () => {
  it("keeps a connection alive between requests and closes it after the idle time", () => {
    const { open, time } = rig([route("/a", () => ok("a"))]);
    const s = open();
    s.feed(get("/a"));
    s.drainAll();
    time.advance(4000);
    s.feed(get("/a"));
    s.drainAll();
    assert.deepEqual(statuses(s), [200, 200]);
    time.advance(4999);
    assert.equal(s.closedByServer, false);
    time.advance(2);
    assert.equal(s.closedByServer, true, "idle 5 s after its last answer");
  });

  it("closes a socket that never sends a byte after the request deadline, silently", () => {
    const { open, time } = rig([]);
    const s = open();
    time.advance(9999);
    assert.equal(s.closedByServer, false);
    time.advance(2);
    assert.deepEqual([s.closedByServer, s.take().length], [true, 0]);
  });

  it("answers pipelined requests in order, the second only after the first's late answer", async () => {
    let release: (r: HttpResponse) => void = () => {};
    const { open } = rig([route("/slow", () => new Promise((r) => (release = r))), route("/fast", () => ok("fast"))]);
    const s = open();
    s.feed(get("/slow") + get("/fast"));
    s.drainAll();
    assert.equal(s.take().length, 0, "nothing before the first answer");
    release(ok("slow"));
    await settle();
    s.drainAll();
    const out = readOutput(Buffer.from(s.take()).toString("hex")).responses;
    assert.deepEqual(out.map((r) => r.body), ["slow", "fast"]);
  });

  it("answers 2000 pipelined requests in one stream, in order, without recursing per request", () => {
    let n = 0;
    const { open } = rig([route("/n", () => ok(String(n++)))]);
    const s = open("10.0.0.2:50000", 1 << 20);
    s.feed(get("/n").repeat(2000));
    s.drainAll();
    const bodies = readOutput(Buffer.from(s.take()).toString("hex")).responses.map((r) => r.body);
    assert.equal(bodies.length, 2000);
    assert.deepEqual(bodies.slice(0, 3), ["0", "1", "2"]);
    assert.equal(bodies[1999], "1999");
    assert.equal(s.closedByServer, false);
  });

  it("honours Connection: close and HTTP/1.0's default of closing", () => {
    const { open } = rig([route("/a", () => ok("a"))]);
    const c = open();
    c.feed(get("/a", "Connection: close\r\n"));
    c.drainAll();
    assert.equal(c.closedByServer, true);
    const old = open();
    old.feed("GET /a HTTP/1.0\r\n\r\n");
    old.drainAll();
    assert.equal(old.closedByServer, true);
    const kept = open();
    kept.feed("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    kept.drainAll();
    assert.equal(kept.closedByServer, false);
  });

  it("caps HTTP sockets: an idle one makes room for a newcomer, else the newcomer gets 503 and is closed at once", () => {
    const { open, time, server } = rig([route("/a", () => ok("a"))], { maxSockets: 2 });
    const a = open("10.0.0.2:1");
    const b = open("10.0.0.2:2");
    time.advance(1000);
    const c = open("10.0.0.2:3");
    assert.equal(a.closedByServer, true, "the oldest idle socket gave its place");
    assert.equal(c.closedByServer, false);
    b.feed("GET /a HTTP/1.1\r\n");
    c.feed("GET /a HTTP/1.1\r\n");
    time.advance(1000);
    const d = open("10.0.0.2:4");
    assert.equal(d.closedByServer, true);
    assert.match(Buffer.from(d.take()).toString(), /^HTTP\/1\.1 503 Service Unavailable\r\nRetry-After: 5/);
    assert.deepEqual([b.closedByServer, c.closedByServer], [false, false], "sockets in the middle of a request are not evicted");
    assert.equal(server.stats().httpSockets, 2);
    assert.deepEqual([server.stats().evicted, server.stats().refusedBusy], [1, 1]);
  });

  it("makes room at once with a socket kept alive between requests, not with one just opened", () => {
    // A browser keeps its sockets alive and busy in turn: were they held until a second
    // of silence each, a second client could be refused for as long as the page is open.
    const { open, time, server } = rig([route("/a", () => ok("a"))], { maxSockets: 2 });
    const fresh = open("10.0.4.1:1");
    const kept = open("10.0.4.1:2");
    kept.feed(get("/a"));
    kept.drainAll();
    assert.match(Buffer.from(kept.take()).toString(), /^HTTP\/1\.1 200/);
    time.advance(10);
    const newcomer = open("10.0.4.2:1");
    assert.deepEqual([kept.closedByServer, fresh.closedByServer, newcomer.closedByServer], [true, false, false], "the kept-alive socket gave its place, 10 ms after its answer");
    newcomer.feed(get("/a"));
    newcomer.drainAll();
    assert.match(Buffer.from(newcomer.take()).toString(), /^HTTP\/1\.1 200/);
    const late = open("10.0.4.3:1");
    assert.equal(late.closedByServer, false, "the newcomer, answered, gave its place in turn");
    assert.equal(fresh.closedByServer, false, "a socket opened 10 ms ago may have its request on the way");
    assert.deepEqual([server.stats().evicted, server.stats().refusedBusy], [2, 0]);
  });

  it("lets a refused upgrade (wrong key) hold its socket only 0.5 s for the peer's answer", () => {
    const { open, server, time } = rig([]);
    const answering = open("10.0.1.1:1");
    answering.feed(upgradeRequest("/echo?api-key=wrong"));
    answering.drainAll();
    assert.deepEqual(readOutput(Buffer.from(answering.take()).toString("hex")).frames.map((f) => closeOf(f).code), [4000]);
    answering.feed(clientFrame(8, Uint8Array.of(0x0f, 0xa0)));
    assert.equal(answering.closedByServer, true, "closed on the peer's answer");
    const silent = Array.from({ length: 3 }, (_, i) => {
      const s = open(`10.0.1.${i + 2}:1`);
      s.feed(upgradeRequest("/echo?api-key=wrong"));
      s.drainAll();
      return s;
    });
    time.advance(499);
    assert.ok(silent.every((s) => !s.closedByServer));
    time.advance(2);
    assert.ok(silent.every((s) => s.closedByServer), "cut off 0.5 s after the refusal");
    assert.deepEqual([server.stats().httpSockets, server.stats().webSockets], [0, 0]);
  });

  it("counts WebSockets still closing against one cap for all sockets, beside the HTTP cap", () => {
    const { open, server, echo, time } = rig([], { maxSockets: 2 });
    const upgrade = (i: number) => {
      const s = open(`10.0.2.${i}:1`);
      s.feed(upgradeRequest(`/echo?api-key=${KEY}`));
      s.drainAll();
      return s;
    };
    for (let i = 0; i < 4; i++) upgrade(i);
    // One is closed by the server and waits (up to 2 s) for the peer's close frame: its
    // socket is still held; a fifth client takes its place in the router.
    echo.connections[0].close(1000, "bye");
    upgrade(4);
    assert.deepEqual([server.stats().webSockets, server.router.connectionCount], [5, 4]);
    const a = open("10.0.3.1:1");
    a.feed("GET /x HTTP/1.1\r\n");
    assert.equal(a.closedByServer, false, "5 + 1 sockets");
    const b = open("10.0.3.2:1");
    assert.equal(b.closedByServer, true, "5 + 2 would pass the HTTP cap but not the cap for all (2 + 4)");
    time.advance(2001);
    assert.equal(server.stats().webSockets, 4, "the closing one is cut off after 2 s");
    const c = open("10.0.3.3:1");
    assert.equal(c.closedByServer, false);
  });

  it("answers Expect: 100-continue, and refuses a too large body at once with 413, dropping the rest before closing", () => {
    const { open, time } = rig([route("/p", (r) => ok(`got ${r.body}`))]);
    const s = open();
    s.feed("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    s.drainAll();
    assert.equal(Buffer.from(s.take()).toString(), "HTTP/1.1 100 Continue\r\n\r\n");
    s.feed("hello");
    s.drainAll();
    assert.match(Buffer.from(s.take()).toString(), /\r\n\r\ngot hello$/);
    const big = open();
    big.feed("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(500));
    big.drainAll();
    assert.deepEqual(statuses(big), [413]);
    assert.equal(big.closedByServer, false, "still reading what it sends, so the 413 is not lost in a reset");
    big.feed("y".repeat(1000));
    assert.equal(big.unreadInput, 0, "dropped");
    time.advance(1001);
    assert.equal(big.closedByServer, true);
  });

  it("turns a throw, a rejection, a non-answer and a late answer into 500 / 503, and the socket survives to the next request", async () => {
    const { open, time, log } = rig(
      [
        route("/throw", () => {
          throw new Error("boom");
        }),
        route("/reject", () => Promise.reject(new Error("nope"))),
        route("/never", () => new Promise(() => {})),
        route("/a", () => ok("a")),
      ],
      { responseTimeoutMs: 3000 },
    );
    const s = open();
    s.feed(get("/throw"));
    s.drainAll();
    s.feed(get("/reject"));
    await settle();
    s.drainAll();
    s.feed(get("/a"));
    s.drainAll();
    const out = readOutput(Buffer.from(s.take()).toString("hex")).responses;
    assert.deepEqual(out.map((r) => [r.status, r.body]), [[500, "internal error: boom\n"], [500, "internal error: nope\n"], [200, "a"]]);
    const n = open();
    n.feed(get("/never"));
    time.advance(3001);
    n.drainAll();
    assert.deepEqual(statuses(n), [503]);
    assert.equal(n.closedByServer, true);
    assert.ok(log.some((l) => /route failed on \/throw/.test(l)));
  });

  it("streams a body source as the window drains: Content-Length when known, chunked when not, close-delimited for HTTP/1.0", () => {
    let pulls = 0;
    let cancelled = false;
    const source = (known: boolean): HttpBodySource => {
      let left = 10;
      return {
        ...(known ? { length: 10 * 700 } : {}),
        next: () => {
          pulls++;
          return left-- > 0 ? "é".repeat(350) : null;
        },
        cancel: () => {
          cancelled = true;
        },
      };
    };
    const { open } = rig([route("/known", () => ({ status: 200, body: source(true) })), route("/chunked", () => ({ status: 200, body: source(false) }))]);
    const s = open();
    s.feed(get("/known"));
    assert.ok(pulls <= 2, `pulled ${pulls} pieces before the peer read anything`);
    s.drainAll();
    const known = Buffer.from(s.take()).toString();
    assert.match(known, /Content-Length: 7000\r\n/);
    assert.equal(known.split("\r\n\r\n")[1], "é".repeat(3500));
    s.feed(get("/chunked"));
    s.drainAll();
    const chunked = Buffer.from(s.take()).toString("latin1");
    assert.match(chunked, /Transfer-Encoding: chunked\r\n/);
    const body = chunked.split("\r\n\r\n").slice(1).join("\r\n\r\n");
    assert.equal(body, `2bc\r\n${Buffer.from("é".repeat(350)).toString("latin1")}\r\n`.repeat(10) + "0\r\n\r\n");
    const old = open();
    old.feed("GET /chunked HTTP/1.0\r\n\r\n");
    old.drainAll();
    const raw = Buffer.from(old.take()).toString();
    assert.ok(!/Transfer-Encoding|Content-Length/.test(raw.split("\r\n\r\n")[0]));
    assert.equal(old.closedByServer, true);
    const gone = open();
    gone.feed(get("/known"));
    gone.hangUp();
    assert.equal(cancelled, true, "a response abandoned by the peer is cancelled");
  });

  it("says whether the key came (Bearer, Basic password, query), and throttles wrong keys per address", () => {
    const seen: boolean[] = [];
    const { open, time } = rig([route("/k", (r) => (seen.push(r.authorized), ok("k")))]);
    const ask = (remote: string, extra: string, path = "/k") => {
      const s = open(remote);
      s.feed(get(path, extra));
      s.drainAll();
      s.hangUp();
      return readOutput(Buffer.from(s.take()).toString("hex")).responses[0];
    };
    ask("10.0.0.2:1", `Authorization: Bearer ${KEY}\r\n`);
    ask("10.0.0.2:1", `Authorization: Basic ${Buffer.from(`any:${KEY}`).toString("base64")}\r\n`);
    ask("10.0.0.2:1", "", `/k?api-key=${KEY}`);
    ask("10.0.0.2:1", "");
    assert.deepEqual(seen.splice(0), [true, true, true, false]);
    for (let i = 0; i < 5; i++) ask("10.0.0.9:1", "Authorization: Bearer wrong\r\n");
    assert.deepEqual(seen.splice(0), [false, false, false, false, false]);
    const throttled = ask("10.0.0.9:2", `Authorization: Bearer ${KEY}\r\n`);
    assert.equal(throttled.status, 429, "even the right key is refused unread while throttled");
    assert.match(throttled.body, /too many wrong API keys from 10\.0\.0\.9: try again in 10 s/);
    assert.equal(throttled.headers["retry-after"], "10");
    assert.equal(ask("10.0.0.3:1", `Authorization: Bearer ${KEY}\r\n`).status, 200, "another address is not affected");
    const ws = open("10.0.0.9:3");
    ws.feed(upgradeRequest(`/echo?api-key=${KEY}`));
    ws.drainAll();
    const close = readOutput(Buffer.from(ws.take()).toString("hex")).frames.map(closeOf);
    assert.equal(close[0].code, 4000);
    assert.match(close[0].reason, /too many wrong API keys/);
    time.advance(10_000);
    assert.equal(ask("10.0.0.9:4", `Authorization: Bearer ${KEY}\r\n`).status, 200, "one attempt again after 10 s");
  });

  it("echoes a peer's close and closes the socket; waits for the answer to its own close, or times out", () => {
    const { open, time, echo } = rig([]);
    const peer = open();
    peer.feed(upgradeRequest(`/echo?api-key=${KEY}`));
    peer.feed(clientFrame(1, "hi"));
    peer.feed(clientFrame(8, Uint8Array.of(0x03, 0xe8)));
    peer.drainAll();
    const out = readOutput(Buffer.from(peer.take()).toString("hex"));
    assert.deepEqual(out.frames.map((f) => f.opcode), [1, 8]);
    assert.equal(closeOf(out.frames[1]).code, 1000);
    assert.equal(peer.closedByServer, true);

    const polite = open();
    polite.feed(upgradeRequest(`/echo?api-key=${KEY}`));
    polite.drainAll();
    echo.connections[1].close(4001, "bye");
    polite.drainAll();
    assert.equal(polite.closedByServer, false, "waiting for the peer's close frame");
    polite.feed(clientFrame(8, Uint8Array.of(0x0f, 0xa1)));
    assert.equal(polite.closedByServer, true);

    const deaf = open();
    deaf.feed(upgradeRequest(`/echo?api-key=${KEY}`));
    deaf.drainAll();
    echo.connections[2].close(4001, "bye");
    time.advance(1999);
    assert.equal(deaf.closedByServer, false);
    time.advance(2);
    assert.equal(deaf.closedByServer, true, "cut off after the 2 s close timeout");
  });
});
