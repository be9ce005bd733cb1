// An Indigo client on a slow link, through the real server (HTTP upgrade, WebSocket, send
// queue) on a scripted socket: a 1 kB send window the client empties five times a second
// (about 5 kB/s, as Moddable's simulator socket delivers), asking for the whole device list
// every 20 s. The list (about 12 kB) is larger than the queue's soft limit, so the patches
// behind it used to be dropped, the client marked stale and sent the list again: the link
// then carried little but lists (189 of them where 15 were asked, over 5 minutes).
import assert from "node:assert/strict";
import { SimTime } from "../../host-sim/sim-time";
import { HttpServer } from "../../src/net/http-server";
import { KeyGuard } from "../../src/net/key-guard";
import { WsRouter } from "../../src/net/router";
import { FEED_PATHS, IndigoFeeds } from "../../src/protocol/indigo/feeds";
import { clientFrame, serverFrames, upgradeRequest } from "../support/net/client-frames";
import { ScriptedSocket } from "../support/net/scripted-socket";
import { FakeIncubator } from "./fake-incubator";
import { FeedClientModel, sortedById } from "./feed-client";

const KEY = "slow-link-key";

function rig() {
  const time = new SimTime();
  const core = new FakeIncubator(5);
  const keyGuard = new KeyGuard(time, () => KEY);
  const router = new WsRouter({ clock: time, timers: time, apiKey: () => KEY, keyGuard });
  router.register(new IndigoFeeds(core));
  const server = new HttpServer({ clock: time, timers: time, router, routes: [], keyGuard, log: () => {} });
  return { time, core, server };
}

/** What the client has been sent so far, as parsed messages (the upgrade answer skipped). */
class Reader {
  private data = new Uint8Array(0);
  private upgraded = false;

  read(bytes: Uint8Array): any[] {
    const all = new Uint8Array(this.data.length + bytes.length);
    all.set(this.data);
    all.set(bytes, this.data.length);
    let start = 0;
    if (!this.upgraded) {
      const end = Buffer.from(all).indexOf("\r\n\r\n");
      if (end < 0) {
        this.data = all;
        return [];
      }
      assert.match(Buffer.from(all.subarray(0, end)).toString("latin1"), /^HTTP\/1\.1 101 /);
      this.upgraded = true;
      start = end + 4;
    }
    const { frames, rest } = serverFrames(all.subarray(start));
    this.data = all.slice(all.length - rest);
    return frames.filter((f) => f.opcode === 1).map((f) => JSON.parse(Buffer.from(f.payload).toString("utf8")));
  }
}

describe("indigo device feed on a slow link (real server, scripted 1 kB window)", () => {
  it("sends the whole list only when asked, and the patches behind it keep the client's copies exact", async () => {
    const { time, core, server } = rig();
    core.step(1000, 0);
    const socket = new ScriptedSocket(1024, "10.0.0.9:50009").connect(server);
    socket.feed(upgradeRequest(`${FEED_PATHS.device}?api-key=${KEY}`));
    socket.drainAll();
    const reader = new Reader();
    const client = new FeedClientModel();
    let asked = 0;
    let lists = 0;
    let patches = 0;
    const receive = () => {
      for (const m of reader.read(socket.take())) {
        if (m.message === "refresh") lists++;
        if (m.message === "patch") patches++;
        client.apply(m);
      }
    };
    for (let s = 0; s < 300; s++) {
      if (s % 20 === 0) {
        socket.feed(clientFrame(1, JSON.stringify({ message: "refresh", objectType: "indigo.Device", id: `r${asked++}` })));
        await new Promise((r) => setImmediate(r));
      }
      core.step(1000, 0.02);
      time.advance(1000);
      for (let k = 0; k < 5; k++) socket.drain();
      receive();
    }
    socket.drainAll();
    receive();
    assert.equal(socket.closedByServer, false, "a slow reader that reads is kept");
    assert.equal(lists, asked, `whole lists sent: ${lists}, asked for: ${asked}`);
    assert.ok(patches > 250, `patches delivered: ${patches}`);
    socket.feed(clientFrame(1, JSON.stringify({ message: "refresh", objectType: "indigo.Device", id: "truth" })));
    await new Promise((r) => setImmediate(r));
    socket.drainAll();
    const truth = reader.read(socket.take()).find((m) => m.id === "truth");
    assert.deepEqual(client.list(), sortedById(truth.list), "the patched copies equal the objects");
  });
});
