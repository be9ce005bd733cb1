// What real clients never send: malformed and oversized frames, floods, peers that stop
// reading or vanish. Throughout, another client keeps being served and the incubator's
// setpoints, mode and state stay exactly as they were.
import { strict as assert } from "node:assert";
import { WebSocket } from "ws";
import { frame, rawUpgrade, textFrame, textMessages, type RawPeer } from "./support/raw-ws";
import { TEST_KEY, TEST_SEND_WINDOW, TestClient, until, wsFixture, type Envelope, type WsFixture } from "./support/ws-fixture";
import { TEST_ORIGIN } from "./support/origin";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const byType = (type: string) => (m: Envelope) => m.type === type;

describe("/ws under abuse (raw sockets)", () => {
  let f: WsFixture;
  let good: TestClient;
  let peers: RawPeer[] = [];
  let before: { setpoints: unknown; mode: string; state: string };

  const raw = async () => {
    const peer = await rawUpgrade(f.server.port, `/ws?api-key=${TEST_KEY}`);
    peers.push(peer);
    return peer;
  };

  /** The other client still gets its updates and answers; the incubator is as it was. */
  const assertUnharmed = async () => {
    const from = good.messages.length;
    f.run(1);
    await good.next(byType("sensor_update"), from);
    good.send({ type: "ping" });
    await good.next(byType("pong"), from);
    const s = f.toy.incubator.snapshot();
    assert.deepEqual({ setpoints: s.setpoints, mode: s.mode, state: s.state }, before);
    assert.equal(good.closeCode, null);
  };

  /** Waits for the peer's socket to end while simulated time goes on, 1 s a step. */
  const endedWhileTimePasses = async (peer: RawPeer) => {
    let ended = false;
    void peer.ended.then(() => {
      ended = true;
    });
    for (let s = 0; s < 20 && !ended; s++) {
      await sleep(20);
      if (!ended) f.run(1);
    }
    await peer.ended;
  };

  beforeEach(async () => {
    // A peer that stops reading and says nothing would otherwise count as gone (idle,
    // 65 s) before it counts as not reading (queue full for 30 s): the longer idle time
    // lets the test see the dead-reader policy.
    f = await wsFixture({ idleTimeoutMs: 90_000 });
    peers = [];
    // A therapy in progress with non-default settings, so "unchanged" means something.
    f.toy.incubator.execute("set_temperature", { setpoint: 35.2 }, TEST_ORIGIN);
    f.toy.incubator.execute("set_humidity", { setpoint: 55 }, TEST_ORIGIN);
    f.toy.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
    f.run(2);
    const s = f.toy.incubator.snapshot();
    before = { setpoints: s.setpoints, mode: s.mode, state: s.state };
    good = await TestClient.connect(`${f.wsUrl}?api-key=${TEST_KEY}`);
    good.send({ type: "subscribe", channel: "all" });
    await good.next(byType("sensor_update"));
  });
  afterEach(async () => {
    good.close();
    for (const p of peers) p.socket.destroy();
    await f.close();
  });

  it("closes a peer sending malformed frames (1002) and keeps serving the others", async () => {
    const cases: [string, Buffer, number][] = [
      ["unmasked client frame", frame(1, '{"type":"ping"}', { mask: false }), 1002],
      ["reserved opcode", frame(3, "x"), 1002],
      ["reserved bits set", frame(1, '{"type":"ping"}', { rsv: 4 }), 1002],
      ["continuation without a start", frame(0, "x"), 1002],
      ["fragmented control frame", frame(9, "x", { fin: false }), 1002],
      ["invalid UTF-8 in a text frame", frame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ];
    for (const [what, bytes, code] of cases) {
      const peer = await raw();
      peer.socket.write(bytes);
      await peer.ended;
      assert.deepEqual(peer.closeFrames().map((c) => c.code), [code], what);
      await assertUnharmed();
    }
    await until(() => f.server.router.connectionCount === 1, "only the good client left");
  });

  it("answers garbage text with an error and keeps the connection", async () => {
    const peer = await raw();
    for (const text of ["", "{", "null", "\u0000\u0001", '{"type":{"nested":true}}', '{"type":"command","action":"set_temperature","data":{"setpoint":1e309}}']) {
      peer.socket.write(textFrame(text));
    }
    await until(() => textMessages(peer.received()).length === 6, "six answers");
    const answers = textMessages(peer.received());
    assert.deepEqual(answers.map((m) => m.type), ["error", "error", "error", "error", "error", "command_response"]);
    assert.ok(answers.slice(0, 5).every((m) => m.data.code === 4001 && m.data.message.length > 0));
    assert.deepEqual({ ok: answers[5].data.success, code: answers[5].data.code }, { ok: false, code: 4002 });
    assert.equal(f.server.router.connectionCount, 2);
    await assertUnharmed();
  });

  it("closes an oversized frame with 1009, also one that only announces a huge length", async () => {
    const max = f.server.router.limits.maxFrameBytes;
    const big = await raw();
    big.socket.write(textFrame(JSON.stringify({ type: "command", command_id: "x", action: "set_temperature", data: { setpoint: 20, pad: "x".repeat(max) } })));
    await big.ended;
    assert.deepEqual(big.closeFrames().map((c) => c.code), [1009]);
    const liar = await raw();
    liar.socket.write(frame(1, Buffer.alloc(0), { declaredLength: 2n ** 62n }).subarray(0, 14));
    await liar.ended;
    assert.deepEqual(liar.closeFrames().map((c) => c.code), [1009]);
    const fine = await raw();
    fine.socket.write(textFrame(JSON.stringify({ type: "ping", pad: "y".repeat(max - 40) })));
    await until(() => textMessages(fine.received()).length === 1, "the pong to a frame just under the limit");
    assert.equal(textMessages(fine.received())[0].type, "pong");
    await assertUnharmed();
  });

  it("answers a flood beyond the message rate with errors, then closes it with 1008", async () => {
    const peer = await raw();
    const burst: Buffer[] = [];
    for (let i = 0; i < 500; i++) {
      burst.push(textFrame(i % 2 ? '{"type":"ping"}' : JSON.stringify({ type: "command", command_id: `f${i}`, action: "set_temperature", data: { setpoint: 99 } })));
    }
    peer.socket.write(Buffer.concat(burst));
    // The raw peer never answers the close frame: the close handshake times out (on
    // simulated time) and the server drops the socket.
    await endedWhileTimePasses(peer);
    const messages = textMessages(peer.received());
    const limited = messages.filter((m) => (m.type === "error" || m.type === "command_response") && m.data.code === 1008);
    assert.ok(limited.length > 0, "refused messages are answered");
    assert.match(limited[0].data.message, /message rate exceeded/);
    const refusedCommands = messages.filter((m) => m.type === "command_response" && m.data.code === 1008);
    assert.ok(refusedCommands.every((m) => /^f\d+$/.test(m.data.command_id)), "a refused command still gets its command_response");
    // The burst alternates pings and commands; the pongs of its accepted half arrive at once
    // (a command's reply waits for the core and may find the flooder already closed).
    const pongs = messages.filter((m) => m.type === "pong");
    assert.equal(pongs.length, f.server.router.limits.rateBurst / 2, "the burst allowance was served");
    assert.ok(messages.filter((m) => m.type === "command_response" && m.data.code === 4002).length <= f.server.router.limits.rateBurst / 2);
    const close = peer.closeFrames();
    assert.equal(close[0].code, 1008);
    assert.match(close[0].reason, /message rate exceeded/);
    assert.equal(f.server.router.stats().closed.flood, 1);
    await assertUnharmed();
  });

  it("keeps up a client that stays within the rate (tokens refill on the injected clock)", async () => {
    const peer = await raw();
    for (let second = 0; second < 5; second++) {
      for (let i = 0; i < 10; i++) peer.socket.write(textFrame('{"type":"ping"}'));
      await until(() => textMessages(peer.received()).filter((m) => m.type === "pong").length === (second + 1) * 10, `pongs of second ${second}`);
      f.run(1);
    }
    assert.equal(textMessages(peer.received()).filter((m) => m.type === "error").length, 0);
  });

  it("pings a peer that went quiet and cuts off one that does not answer (half-open), freeing its slot", async () => {
    const limits = f.server.router.limits;
    const others = [await TestClient.connect(`${f.wsUrl}?api-key=${TEST_KEY}`), await TestClient.connect(`${f.wsUrl}?api-key=${TEST_KEY}`)];
    const ghost = await raw();
    ghost.socket.pause(); // it no longer reads: no pong, no close frame will ever come back
    assert.equal(f.server.router.connectionCount, 4);
    const full = await TestClient.connect(`${f.wsUrl}?api-key=${TEST_KEY}`);
    assert.equal((await full.waitClosed()).code, 1013);
    // Simulated time in 1 s steps, with real time in between for the live clients' pongs.
    for (let s = 0; s * 1000 <= limits.idleTimeoutMs + limits.sweepMs && f.server.router.connectionCount === 4; s++) {
      f.run(1);
      await sleep(10);
    }
    assert.equal(f.server.router.connectionCount, 3);
    assert.equal(f.server.router.stats().closed.idle, 1);
    // It does not answer the close frame either: the close handshake times out.
    f.run(1);
    ghost.socket.resume();
    await ghost.ended;
    for (const c of others) assert.equal(c.closeCode, null);
    const next = await TestClient.connect(`${f.wsUrl}?api-key=${TEST_KEY}`);
    next.send({ type: "ping" });
    await next.next(byType("pong"));
    for (const c of [...others, next]) c.close();
    await assertUnharmed();
  });

  it("drops sensor updates for a peer that stops reading, then closes it; the other client misses nothing", async () => {
    // A loopback socket absorbs megabytes before the kernel refuses writes; corking the
    // server side of this one connection has the same effect at once: nothing more leaves
    // the process, as behind a peer that has stopped reading.
    const slow = new TestClient(new WebSocket(`${f.wsUrl}?api-key=${TEST_KEY}&peer=slow`));
    let peerPort = 0;
    slow.ws.once("upgrade", (response) => {
      peerPort = response.socket.localPort ?? 0;
    });
    await slow.opened;
    slow.send({ type: "subscribe", channel: "sensors" });
    await slow.next(byType("sensor_update"));
    const slowSide = f.server.socketOfPeer(peerPort);
    assert.ok(slowSide, "the server side of the slow peer's connection");
    slowSide.socket.cork();
    const limits = f.server.router.limits;
    const from = good.messages.length;
    let ticks = 0;
    while (f.server.router.stats().closed.dead_reader === 0 && ticks < 1000) {
      f.run(1);
      ticks++;
      // Real time in between, as between real ticks: the good client's socket drains.
      await sleep(1);
    }
    const stats = f.server.router.stats();
    assert.equal(stats.closed.dead_reader, 1, `still open after ${ticks} ticks`);
    // Updates fill the socket's send window, then queue up to the soft limit, are dropped
    // from then on, and stallMs later the peer counts as dead.
    const update = good.messages[from - 1];
    const queuedTicks = Math.ceil((limits.queueSoftBytes + TEST_SEND_WINDOW) / JSON.stringify(update).length);
    assert.ok(stats.droppedFrames >= limits.stallMs / 1000 - 1 && stats.droppedFrames <= limits.stallMs / 1000 + 1, `dropped ${stats.droppedFrames}`);
    assert.ok(ticks >= queuedTicks + limits.stallMs / 1000 - 1 && ticks <= queuedTicks + limits.stallMs / 1000 + 2, `closed after ${ticks} ticks`);
    assert.equal(f.server.router.connectionCount, 1);
    // Its close frame cannot leave either: the close handshake times out and the socket goes.
    f.run(1);
    ticks++;
    const closed = await slow.waitClosed();
    assert.equal(closed.code, 1006, "cut off without a close frame it could read");
    await until(() => good.messages.slice(from).filter(byType("sensor_update")).length === ticks, "every update for the good client");
    await assertUnharmed();
  });


});
