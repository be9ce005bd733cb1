// The transport-neutral router on simulated time with an in-memory transport.
import { strict as assert } from "node:assert";
import { SimTime } from "../host-sim/sim-time";
import { keysEqual, presentedKey } from "../src/net/api-key";
import type { Connection, Endpoint, Session, UpgradeRequest } from "../src/net/endpoint";
import { DEFAULT_LIMITS, type ServerLimits } from "../src/net/limits";
import { WsRouter } from "../src/net/router";
import { utf8Length } from "../src/net/utf8";

class MemoryTransport implements Connection {
  sent: string[] = [];
  /** Refuses frames, as the device transport does when its send buffer has no room. */
  full = false;
  closedWith: { code: number; reason: string } | null = null;
  bufferedBytes = 0;
  pings = 0;
  send(text: string): boolean {
    if (this.full) return false;
    this.sent.push(text);
    return true;
  }
  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
  }
  ping(): void {
    this.pings++;
  }
}

class RecordingEndpoint implements Endpoint {
  sessions: { connection: Connection; received: string[]; refused: string[]; closes: number }[] = [];
  constructor(private readonly path: string) {}
  accepts(path: string): boolean {
    return path === this.path;
  }
  open(connection: Connection): Session {
    const record = { connection, received: [] as string[], refused: [] as string[], closes: 0 };
    this.sessions.push(record);
    return {
      onMessage: (text) => record.received.push(text),
      onClose: () => record.closes++,
      onRefused: (reason) => record.refused.push(reason),
    };
  }
}

function setup(limits: Partial<ServerLimits> = {}, key: string | null = null) {
  const time = new SimTime();
  const logs: string[] = [];
  const router = new WsRouter({ clock: time, timers: time, apiKey: () => key, limits, log: (t) => logs.push(t) });
  const ws = new RecordingEndpoint("/ws");
  const feed = new RecordingEndpoint("/v2/api/ws/log-feed");
  router.register(ws);
  router.register(feed);
  const connect = (path = "/ws", extra: Partial<UpgradeRequest> = {}) => {
    const transport = new MemoryTransport();
    const session = router.accept(transport, { path, query: {}, remote: "10.0.0.9:5000", ...extra });
    return { transport, session };
  };
  return { time, router, ws, feed, connect, logs };
}

describe("WsRouter", () => {
  it("routes by path to the registered endpoints and knows what it does not serve", () => {
    const { router, ws, feed, connect } = setup();
    assert.equal(router.routes("/ws"), true);
    assert.equal(router.routes("/v2/api/ws/log-feed"), true);
    assert.equal(router.routes("/wsx"), false);
    connect("/ws");
    connect("/v2/api/ws/log-feed");
    assert.equal(ws.sessions.length, 1);
    assert.equal(feed.sessions.length, 1);
    const stray = connect("/elsewhere");
    assert.deepEqual(stray.transport.closedWith, { code: 1008, reason: "nothing is served at /elsewhere" });
  });

  it("checks the API key from the Bearer header or the query, closing with 4000 otherwise", () => {
    const { router, connect, ws, logs } = setup({}, "s3cret");
    assert.deepEqual(connect("/ws").transport.closedWith, { code: 4000, reason: "API key required: Authorization: Bearer <key> or ?api-key=<key>" });
    assert.deepEqual(connect("/ws", { query: { "api-key": "s3cre" } }).transport.closedWith, { code: 4000, reason: "wrong API key" });
    assert.deepEqual(connect("/ws", { authorization: "Basic czNjcmV0" }).transport.closedWith?.code, 4000);
    assert.equal(connect("/ws", { authorization: "Bearer s3cret" }).transport.closedWith, null);
    assert.equal(connect("/ws", { authorization: "bearer   s3cret " }).transport.closedWith, null);
    assert.equal(connect("/v2/api/ws/log-feed", { query: { "api-key": "s3cret" } }).transport.closedWith, null);
    assert.equal(ws.sessions.length, 2);
    assert.equal(router.stats().refusedAuth, 3);
    assert.equal(logs.length, 3);
    assert.match(logs[1], /refused 10\.0\.0\.9:5000 on \/ws: wrong API key/);
  });

  it("caps connections over all endpoints and frees a slot when one closes", () => {
    const { router, connect } = setup({ maxConnections: 2 });
    const a = connect("/ws");
    connect("/v2/api/ws/log-feed");
    const third = connect("/ws");
    assert.deepEqual(third.transport.closedWith, { code: 1013, reason: "server full: at most 2 connections, try again later" });
    a.session.onClose();
    assert.equal(router.connectionCount, 1);
    assert.equal(connect("/ws").transport.closedWith, null);
    assert.equal(router.stats().refusedFull, 1);
  });

  it("closes a frame larger than the limit in UTF-8 bytes with 1009", () => {
    const { connect, ws } = setup({ maxFrameBytes: 4096 });
    const ok = connect();
    ok.session.onMessage("é".repeat(2048)); // 4096 bytes: at the limit
    assert.equal(ok.transport.closedWith, null);
    assert.equal(ws.sessions[0].received.length, 1);
    ok.session.onMessage("€".repeat(1400)); // 1400 characters, 4200 bytes
    assert.deepEqual(ok.transport.closedWith, { code: 1009, reason: "frame larger than 4096 bytes" });
    assert.equal(ws.sessions[0].received.length, 1);
    assert.equal(ws.sessions[0].closes, 1);
  });

  it("refuses messages beyond the token bucket, refills on the clock, and closes a flood with 1008", () => {
    const { time, connect, ws, router } = setup({ rateBurst: 5, ratePerSecond: 2, floodRefusals: 10, floodWindowMs: 10_000 });
    const c = connect();
    const s = ws.sessions[0];
    for (let i = 0; i < 7; i++) c.session.onMessage(`m${i}`);
    assert.deepEqual(s.received, ["m0", "m1", "m2", "m3", "m4"]);
    assert.equal(s.refused.length, 2);
    assert.match(s.refused[0], /message rate exceeded: at most 2 messages\/s \(burst 5\)/);
    time.advance(1000);
    c.session.onMessage("a");
    c.session.onMessage("b");
    c.session.onMessage("c");
    assert.deepEqual(s.received.slice(5), ["a", "b"]);
    for (let i = 0; i < 6; i++) c.session.onMessage("x");
    assert.equal(c.transport.closedWith, null);
    c.session.onMessage("x"); // the 10th refusal within the window
    const closed = c.transport.closedWith as { code: number; reason: string } | null;
    assert.equal(closed?.code, 1008);
    assert.match(closed?.reason ?? "", /message rate exceeded/);
    assert.equal(s.closes, 1);
    assert.equal(router.stats().closed.flood, 1);
  });

  it("drops droppable frames over the soft queue limit, closes at the hard limit", () => {
    const { connect, ws, router } = setup({ queueSoftBytes: 100, queueHardBytes: 1000 });
    connect();
    const conn = ws.sessions[0].connection;
    const transport = (conn as unknown as { transport: MemoryTransport }).transport;
    assert.equal(conn.send("update-1", true), true);
    transport.bufferedBytes = 500;
    assert.equal(conn.send("update-2", true), false);
    assert.equal(conn.send("alarm", false), true, "essential frames are still queued");
    assert.equal(router.stats().droppedFrames, 1);
    transport.bufferedBytes = 50;
    assert.equal(conn.send("update-3", true), true, "sent again once the queue drained");
    transport.bufferedBytes = 995;
    assert.equal(conn.send("command_response", false), false);
    assert.deepEqual(transport.closedWith, { code: 1008, reason: "client is not reading: more than 1000 bytes queued" });
    assert.deepEqual(transport.sent, ["update-1", "alarm", "update-3"]);
    assert.equal(ws.sessions[0].closes, 1);
    assert.equal(conn.send("late", false), false);
  });

  it("treats a transport refusing frames as back-pressure: drops updates, closes on a lost essential frame or after stallMs", () => {
    const { time, connect, ws, router } = setup({ stallMs: 30_000, sweepMs: 5000, pingAfterMs: 60_000, idleTimeoutMs: 120_000 });
    const a = connect();
    const b = connect();
    const [ca, cb] = [ws.sessions[0].connection, ws.sessions[1].connection];
    a.transport.full = true;
    assert.equal(ca.send("update", true), false);
    assert.equal(router.stats().droppedFrames, 1);
    a.transport.full = false;
    assert.equal(ca.send("update", true), true, "sent again once there is room");
    a.transport.full = true;
    assert.equal(ca.send("alarm", false), false);
    assert.deepEqual(a.transport.closedWith, { code: 1008, reason: "client is not reading: a frame could not be queued" });
    b.transport.full = true;
    b.transport.bufferedBytes = 100; // under the soft limit, but nothing fits
    for (let s = 0; s < 29; s++) {
      cb.send("update", true);
      time.advance(1000);
    }
    assert.equal(b.transport.closedWith, null);
    time.advance(5000);
    assert.deepEqual(b.transport.closedWith, { code: 1008, reason: "client is not reading: send queue full for 30 s" });
    assert.equal(router.stats().closed.dead_reader, 2);
  });

  it("forgets congestion once the queue has drained", () => {
    const { time, connect, ws } = setup({ queueSoftBytes: 100, stallMs: 30_000, sweepMs: 5000, pingAfterMs: 60_000, idleTimeoutMs: 120_000 });
    const c = connect();
    const conn = ws.sessions[0].connection;
    c.transport.bufferedBytes = 500;
    conn.send("update", true);
    time.advance(20_000);
    c.transport.bufferedBytes = 0; // drained; nothing sent since
    time.advance(5000);
    c.transport.bufferedBytes = 500;
    time.advance(20_000);
    assert.equal(c.transport.closedWith, null, "20 s of the second spell, not 45 s");
  });

  it("closes a peer whose queue stays above the soft limit for stallMs", () => {
    const { time, connect, ws, router } = setup({ queueSoftBytes: 100, queueHardBytes: 100_000, stallMs: 30_000, sweepMs: 5000, pingAfterMs: 60_000, idleTimeoutMs: 120_000 });
    const c = connect();
    c.transport.bufferedBytes = 5000;
    const conn = ws.sessions[0].connection;
    for (let s = 0; s < 29; s++) {
      conn.send("update", true);
      time.advance(1000);
    }
    assert.equal(c.transport.closedWith, null);
    time.advance(5000); // the sweep sees it too, even without sends
    assert.deepEqual(c.transport.closedWith, { code: 1008, reason: "client is not reading: send queue full for 30 s" });
    assert.equal(router.stats().closed.dead_reader, 1);
  });

  it("pings a quiet peer, counts a pong or a message as life, and closes a silent one as idle", () => {
    const { time, connect, router, ws } = setup({ pingAfterMs: 20_000, idleTimeoutMs: 60_000, sweepMs: 5000 });
    const alive = connect();
    const ghost = connect();
    time.advance(20_000);
    assert.equal(alive.transport.pings, 1);
    assert.equal(ghost.transport.pings, 1);
    alive.session.onPong();
    time.advance(25_000);
    assert.equal(alive.transport.pings, 2, "quiet again: pinged again");
    alive.session.onMessage('{"type":"ping"}');
    time.advance(15_000);
    assert.deepEqual(ghost.transport.closedWith, { code: 1001, reason: "no frame or pong for 60 s" });
    assert.equal(alive.transport.closedWith, null);
    assert.equal(ghost.transport.pings, 1, "pinged once per quiet spell");
    assert.equal(router.stats().closed.idle, 1);
    assert.equal(router.connectionCount, 1);
    assert.equal(ws.sessions[1].closes, 1);
  });

  it("ends the protocol session exactly once whichever side closes", () => {
    const { connect, ws } = setup();
    const c = connect();
    ws.sessions[0].connection.close(1000, "bye");
    c.session.onClose();
    c.session.onClose();
    assert.equal(ws.sessions[0].closes, 1);
    c.session.onMessage("after close");
    assert.equal(ws.sessions[0].received.length, 0);
  });

  it("closes everything on shutdown and rejects inconsistent limits by name", () => {
    const { router, connect } = setup();
    const a = connect();
    const b = connect();
    router.closeAll();
    assert.deepEqual([a.transport.closedWith?.code, b.transport.closedWith?.code], [1001, 1001]);
    assert.equal(router.connectionCount, 0);
    const time = new SimTime();
    assert.throws(() => new WsRouter({ clock: time, timers: time, apiKey: () => null, limits: { maxConnections: 0 } }), /maxConnections must be a positive number, got 0/);
    assert.throws(() => new WsRouter({ clock: time, timers: time, apiKey: () => null, limits: { queueSoftBytes: 10, queueHardBytes: 5 } }), /queueHardBytes/);
    assert.equal(DEFAULT_LIMITS.maxConnections, 4);
  });
});

describe("API key and UTF-8 helpers", () => {
  it("reads the key from Bearer or the query, header first", () => {
    const base = { path: "/ws", remote: "x" };
    assert.equal(presentedKey({ ...base, query: {}, authorization: "Bearer abc" }), "abc");
    assert.equal(presentedKey({ ...base, query: { "api-key": "q" }, authorization: "Bearer abc" }), "abc");
    assert.equal(presentedKey({ ...base, query: { "api-key": "q" } }), "q");
    assert.equal(presentedKey({ ...base, query: { "api-key": "" } }), null);
    assert.equal(presentedKey({ ...base, query: {}, authorization: "Token abc" }), null);
  });

  it("compares keys exactly", () => {
    assert.equal(keysEqual("abc", "abc"), true);
    for (const other of ["abd", "ab", "abcd", "", "ABC"]) assert.equal(keysEqual("abc", other), false, other);
    assert.equal(keysEqual("", ""), true);
  });

  it("counts UTF-8 bytes like Buffer.byteLength", () => {
    for (const s of ["", "abc", "é", "€", "😀", "a€😀é", "\ud800", "\udc00x"]) assert.equal(utf8Length(s), Buffer.byteLength(s), JSON.stringify(s));
  });
});

describe("WsRouter with a faulty protocol", () => {
  it("closes only the connection whose handler threw, with 1011, and reports it", () => {
    const time = new SimTime();
    const logs: string[] = [];
    const router = new WsRouter({ clock: time, timers: time, apiKey: () => null, log: (t) => logs.push(t) });
    let closes = 0;
    router.register({
      accepts: (path) => path === "/boom",
      open: () => ({
        onMessage: (text) => {
          if (text === "boom") throw new Error("handler bug");
        },
        onClose: () => closes++,
      }),
    });
    router.register({
      accepts: (path) => path === "/broken",
      open: () => {
        throw new Error("cannot open");
      },
    });
    const a = new MemoryTransport();
    const b = new MemoryTransport();
    const sa = router.accept(a, { path: "/boom", query: {}, remote: "a" });
    router.accept(b, { path: "/boom", query: {}, remote: "b" });
    sa.onMessage("fine");
    sa.onMessage("boom");
    assert.deepEqual(a.closedWith, { code: 1011, reason: "internal error: handler bug" });
    assert.equal(b.closedWith, null);
    assert.equal(closes, 1);
    const c = new MemoryTransport();
    router.accept(c, { path: "/broken", query: {}, remote: "c" });
    assert.deepEqual(c.closedWith, { code: 1011, reason: "internal error: cannot open" });
    assert.equal(router.connectionCount, 1);
    assert.equal(router.stats().closed.internal_error, 2);
    assert.match(logs.join("\n"), /closed a on \/boom: internal error: handler bug/);
  });
});
