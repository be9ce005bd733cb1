// Hostile traffic against the real server on real sockets and real time, with the real
// Incubator ticking once a second throughout: curl's plain GET of /ws, a version 8
// handshake, invalid UTF-8 (one frame, and split across fragments), a 10 MB header line,
// 300 idle sockets, a slowloris, frames written one byte per TCP segment, pings with
// payloads, fragments with control frames between them, a 2^62-byte length, and a 12 kB
// Indigo refresh through a 1 kB send window. A WebSocket client watches all along; at
// the end no tick was late or skipped. (tests/ws-abuse.test.ts does the rest on
// simulated time.)
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { connect, type Socket } from "node:net";
import { promisify } from "node:util";
import { WebSocket } from "ws";
import { RealTime } from "../../host-sim/real-time";
import { startServer, type HostServer } from "../../host-sim/server";
import { frame, rawUpgrade, textMessages, type RawPeer } from "../support/raw-ws";
import { TestClient, until, type Envelope } from "../support/ws-fixture";
import { toyIncubator } from "../support/toy-incubator";

const KEY = "hostile-key-77";
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const byType = (type: string) => (m: Envelope) => m.type === type;
const REQUEST_TIMEOUT_MS = 2000;

async function curl(args: string[]): Promise<string> {
  const { stdout } = await run("curl", ["-s", "-i", "--max-time", "20", ...args], { maxBuffer: 1 << 20 });
  return stdout;
}

/** Opens a TCP connection and resolves once connected. */
function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
}

/** What a socket receives until it closes (or `ms` pass). */
function collect(socket: Socket, ms: number): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      resolve({ data: Buffer.concat(parts), closed });
    };
    socket.on("data", (d) => parts.push(d));
    socket.on("close", () => finish(true));
    socket.on("error", () => {});
    setTimeout(() => finish(false), ms).unref();
  });
}

describe("hostile traffic against the real server (real time, 1 s ticks)", function () {
  this.timeout(120_000);
  const time = new RealTime(1);
  const toy = toyIncubator({ clock: time, timers: time, wall: time });
  const ticks: number[] = [];
  let server: HostServer;
  let watcher: TestClient;
  let peers: RawPeer[] = [];
  const extra: Socket[] = [];

  before(async () => {
    toy.incubator.subscribe((e) => {
      if (e.type === "tick") ticks.push(performance.now());
    });
    toy.incubator.start();
    server = await startServer({
      api: toy.incubator,
      port: 0,
      apiKey: KEY,
      clock: time,
      timers: time,
      wall: time,
      sendWindow: 1024,
      httpLimits: { requestTimeoutMs: REQUEST_TIMEOUT_MS },
      log: () => {},
    });
    watcher = await TestClient.connect(`${server.wsUrl}?api-key=${KEY}`);
    watcher.send({ type: "subscribe", channel: "sensors" });
    await watcher.next(byType("sensor_update"));
  });
  afterEach(() => {
    for (const p of peers) p.socket.destroy();
    for (const s of extra.splice(0)) s.destroy();
    peers = [];
  });
  after(async () => {
    watcher?.close();
    await server?.close();
    toy.incubator.stop();
  });

  /** The watching client still gets a sensor_update every tick. */
  const watcherFine = async () => {
    const from = watcher.messages.length;
    await watcher.next(byType("sensor_update"), from, 3000);
    assert.equal(watcher.closeCode, null);
  };
  const raw = async (path = `/ws?api-key=${KEY}`) => {
    const peer = await rawUpgrade(server.port, path);
    peers.push(peer);
    return peer;
  };

  it("answers curl's plain GET /ws with 426 and how to connect, and a version 8 handshake with 426 naming version 13", async () => {
    const plain = await curl([server.wsUrl.replace("ws:", "http:")]);
    assert.match(plain, /^HTTP\/1\.1 426 Upgrade Required/);
    assert.match(plain, /connect with a WebSocket client \(ws:\/\/<host>\/ws\?api-key=<key>\)/);
    const v8 = await curl(["-H", "Upgrade: websocket", "-H", "Connection: Upgrade", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "-H", "Sec-WebSocket-Version: 8", server.wsUrl.replace("ws:", "http:")]);
    assert.match(v8, /^HTTP\/1\.1 426/);
    assert.match(v8, /\r\nSec-WebSocket-Version: 13\r\n/);
    await watcherFine();
  });

  it("closes invalid UTF-8 with 1007, in one frame and split across fragments", async () => {
    const one = await raw();
    one.socket.write(frame(1, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])));
    const split = await raw();
    split.socket.write(frame(1, Buffer.from([0x7b, 0x22, 0xe2, 0x82]), { fin: false }));
    await sleep(50);
    split.socket.write(frame(0, Buffer.from([0x41, 0x22, 0x7d])));
    await Promise.all([one.ended, split.ended]);
    for (const p of [one, split]) assert.deepEqual(p.closeFrames().map((c) => c.code), [1007]);
    await watcherFine();
  });

  it("answers a 10 MB header line with 431 after 8 kB, holding no more than that", async () => {
    // (curl refuses to send a header line this long: a raw socket sends it, as fast as
    // the server takes it.)
    const socket = await tcp(server.port);
    extra.push(socket);
    const answer = collect(socket, 10_000);
    const rssBefore = process.memoryUsage().rss;
    socket.write("GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
    const mb = Buffer.alloc(1024 * 1024, "a");
    for (let i = 0; i < 10 && !socket.destroyed; i++) {
      if (!socket.write(mb)) await new Promise((r) => socket.once("drain", r).once("close", r));
    }
    const { data, closed } = await answer;
    assert.equal(closed, true);
    assert.match(data.toString(), /^HTTP\/1\.1 431 Request Header Fields Too Large/);
    assert.match(data.toString(), /larger than 8192 bytes/);
    assert.ok(process.memoryUsage().rss - rssBefore < 64 * 1024 * 1024, "the server did not take the 10 MB in");
    assert.ok(server.http.stats().httpSockets <= 1, "the socket is gone");
    await watcherFine();
  });

  it("holds at most its few HTTP sockets against 300 idle ones, and still lets a new client in", async () => {
    const limit = server.http.limits.maxSockets;
    const idle = await Promise.all(Array.from({ length: 300 }, () => tcp(server.port)));
    extra.push(...idle);
    const outcomes = idle.map((s) => collect(s, 1500));
    await sleep(300);
    assert.ok(server.http.stats().httpSockets <= limit, `${server.http.stats().httpSockets} HTTP sockets held`);
    const results = await Promise.all(outcomes);
    const refused = results.filter((r) => r.closed);
    assert.ok(refused.length >= 300 - limit, `${refused.length} of 300 closed at once`);
    assert.ok(refused.some((r) => r.data.toString().startsWith("HTTP/1.1 503 Service Unavailable")), `the excess is told why: ${JSON.stringify(results.slice(0, 5).map((r) => [r.closed, r.data.toString().slice(0, 30)]))} ${JSON.stringify(server.http.stats())}`);
    await watcherFine();
    // A newcomer gets in: in the place of a socket idle for over a second, or, should the
    // machine be so slow that the last ones were accepted just now, once they time out
    // (a 503 says to retry).
    let fresh: TestClient | null = null;
    for (let attempt = 0; fresh === null && attempt < 20; attempt++) {
      try {
        fresh = await TestClient.connect(`${server.wsUrl}?api-key=${KEY}`);
      } catch (error) {
        assert.match(String(error), /503/);
        await sleep(250);
      }
    }
    assert.ok(fresh, "a new client got in");
    fresh.send({ type: "ping" });
    await fresh.next(byType("pong"));
    fresh.close();
  });

  it("cuts off a slowloris at the request deadline however slowly it drips, with 408", async () => {
    const loris = await Promise.all([0, 1, 2].map(() => tcp(server.port)));
    extra.push(...loris);
    const outcomes = loris.map((s) => collect(s, REQUEST_TIMEOUT_MS + 3000));
    const started = performance.now();
    const request = "GET /status HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    let i = 0;
    const drip = setInterval(() => {
      for (const s of loris) if (!s.destroyed) s.write(request[i % request.length] === undefined ? "a" : i < request.length ? request[i] : "a");
      i++;
    }, 100);
    try {
      const results = await Promise.all(outcomes);
      const elapsed = performance.now() - started;
      for (const r of results) {
        assert.equal(r.closed, true);
        assert.match(r.data.toString(), /^HTTP\/1\.1 408 Request Timeout/);
      }
      assert.ok(elapsed >= REQUEST_TIMEOUT_MS - 200 && elapsed < REQUEST_TIMEOUT_MS + 2500, `cut off after ${Math.round(elapsed)} ms`);
    } finally {
      clearInterval(drip);
    }
    await watcherFine();
  });

  it("reads frames written one byte per TCP segment, answers pings with their payloads, reassembles fragments around control frames", async () => {
    const peer = await raw();
    peer.socket.setNoDelay(true);
    const bytes = Buffer.concat([
      frame(9, Buffer.from("payload-1")),
      frame(1, '{"type":', { fin: false }),
      frame(9, Buffer.from([0, 1, 2, 0xfe, 0xff])),
      frame(0, '"pi', { fin: false }),
      frame(10, Buffer.from("unasked")),
      frame(0, 'ng"}'),
    ]);
    for (const b of bytes) {
      peer.socket.write(Buffer.of(b));
      await sleep(1);
    }
    await until(() => textMessages(peer.received()).length === 1, "the reassembled message's answer");
    assert.equal(textMessages(peer.received())[0].type, "pong");
    const { parseFrames } = await import("../support/raw-ws");
    const pongs = parseFrames(peer.received()).filter((f) => f.opcode === 10).map((f) => f.payload.toString("hex"));
    assert.deepEqual(pongs, [Buffer.from("payload-1").toString("hex"), "000102feff"]);
    await watcherFine();
  });

  it("refuses a 2^62-byte length at once with 1009", async () => {
    const liar = await raw();
    liar.socket.write(frame(2, Buffer.alloc(0), { declaredLength: 2n ** 62n }).subarray(0, 10));
    await liar.ended;
    assert.deepEqual(liar.closeFrames().map((c) => c.code), [1009]);
  });

  it("delivers an 11.7 kB Indigo refresh whole through the 1 kB send window", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/v2/api/ws/device-feed?api-key=${KEY}`);
    const reply = new Promise<string>((resolve, reject) => {
      ws.on("message", (d) => {
        const text = d.toString();
        if (text.includes('"message":"refresh"')) resolve(text);
      });
      ws.on("error", reject);
    });
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ message: "refresh", objectType: "indigo.Device", id: 1 }));
    const text = await reply;
    ws.close();
    assert.ok(Buffer.byteLength(text) > 11_000, `${Buffer.byteLength(text)} bytes`);
    assert.ok(JSON.parse(text).list.length > 5);
    await watcherFine();
  });

  it("kept the control tick at its 1 s period throughout: no overrun, no skipped deadline", () => {
    const s = toy.incubator.snapshot();
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]);
    const worst = Math.max(...gaps);
    assert.ok(ticks.length >= 8, `${ticks.length} ticks`);
    assert.equal(s.skippedTicks, 0, `worst gap ${Math.round(worst)} ms`);
    assert.equal(s.overruns, 0);
    assert.ok(worst < 1900, `a tick came ${Math.round(worst)} ms after the one before`);
  });
});
