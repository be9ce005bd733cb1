// XS entry (host-sim/xs/run-on-xs.ts) for the server's own cost: the firmware's server on
// scripted sockets (1 kB window) and simulated time, each op one call so the compute
// meter of a call is one piece of work:
//   {op:"setup"}                     the server on the toy incubator, one /ws client
//   {op:"noop"}                      baseline: the call overhead alone
//   {op:"parse"}                     one masked 15-byte text frame through a bare receiver
//   {op:"roundtrip"}                 one {"type":"ping"} frame in, its pong frame written
//   {op:"send12k"}                   one 12 kB text frame through the 1 kB window (12 drains)
//   {op:"fanout"}                    one sensor_update-sized text (262 B) to 4 clients, written
//   {op:"http"}                      one keep-alive GET /status.json, answered
//   {op:"handshake"}                 one socket accepted, upgraded to /ws (SHA-1 accept key,
//                                    router, session), then closed by the peer
//   {op:"open", kind, count}         opens `count` more WebSocket or idle HTTP sockets
//   {op:"serve", seconds}            that many seconds of service: 4 /ws clients subscribed to
//                                    all, each tick's frames drained, a ping frame and a
//                                    keep-alive GET /status.json every second (heap tests)
//   {op:"bare", count}               makes `count` scripted sockets, not connected (what the
//                                    test binding itself costs, to subtract)
import { createFirmwareServer, type FirmwareServer } from "../../../src/firmware/server";
import type { Connection, Endpoint, Session } from "../../../src/net/endpoint";
import { WsReceiver, type WsReceiverSink } from "../../../src/net/ws-receiver";
import { clientFrame, upgradeRequest } from "../../../tests/support/net/client-frames";
import { ScriptedSocket } from "../../../tests/support/net/scripted-socket";
import { toyIncubator } from "../../../tests/support/toy-incubator";

type Input = { op: "setup"; script?: boolean } | { op: "serve"; seconds: number } | { op: "bare"; count: number } | { op: "noop" } | { op: "parse" } | { op: "roundtrip" } | { op: "send12k" } | { op: "fanout" } | { op: "http" } | { op: "handshake" } | { op: "open"; kind: "ws" | "http"; count: number };

/** Holds the connections so the bench can send through them. */
class HoldEndpoint implements Endpoint {
  connection: Connection | null = null;
  readonly fanOut: Connection[] = [];
  accepts(path: string) {
    return path === "/bench" || path === "/fan";
  }
  open(connection: Connection, request: { path: string }): Session {
    if (request.path === "/fan") this.fanOut.push(connection);
    else this.connection = connection;
    return { onMessage() {}, onClose() {} };
  }
}

const quietSink: WsReceiverSink = { onMessage() {}, onPing() {}, onPong() {}, onPeerClose() {}, onFail() {} };

let server: FirmwareServer | null = null;
let toy: ReturnType<typeof toyIncubator> | null = null;
const subscribed: ScriptedSocket[] = [];
let client: ScriptedSocket | null = null;
let bench: ScriptedSocket | null = null;
let hold: HoldEndpoint | null = null;
let http: ScriptedSocket | null = null;
const others: ScriptedSocket[] = [];
let pingFrame: Uint8Array | null = null;
let big = "";
let update = "";
const fan: ScriptedSocket[] = [];
let receiver: WsReceiver | null = null;
const statusRequest = "GET /status.json HTTP/1.1\r\nHost: incunest\r\nAuthorization: Bearer bench-key\r\n\r\n";

/** What the socket wrote (its size), forgotten so a long run does not pile it up. */
function taken(socket: ScriptedSocket): number {
  const n = socket.take().length;
  socket.writes.length = 0;
  return n;
}

function need<T>(value: T | null): T {
  if (value === null) throw new Error("call {op:'setup'} first");
  return value;
}

export function run(input: Input) {
  switch (input.op) {
    case "setup": {
      toy = toyIncubator();
      toy.incubator.start();
      void toy.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
      toy.run(5);
      hold = new HoldEndpoint();
      server = createFirmwareServer({
        api: toy.incubator,
        clock: toy.time,
        timers: toy.time,
        wall: toy.time,
        apiKey: () => "bench-key",
        keyHint: "bench",
        platform: "bench",
        endpoints: [hold],
        limits: { ratePerSecond: 1e9, rateBurst: 1e9, maxConnections: 40 },
        httpLimits: { maxSockets: 40 },
        ...(input.script ? { utf8Encoder: null } : {}),
        log: () => {},
      });
      client = new ScriptedSocket(1024, "10.0.0.2:1").connect(server.http);
      client.feed(upgradeRequest("/ws?api-key=bench-key"));
      client.drainAll();
      bench = new ScriptedSocket(1024, "10.0.0.2:2").connect(server.http);
      bench.feed(upgradeRequest("/bench?api-key=bench-key"));
      bench.drainAll();
      http = new ScriptedSocket(1024, "10.0.0.2:3").connect(server.http);
      pingFrame = clientFrame(1, '{"type":"ping"}');
      big = "x".repeat(12 * 1024 - 4);
      update = JSON.stringify({ type: "sensor_update", timestamp: "2026-01-15T08:00:00.000Z", data: { pad: "y".repeat(180) } });
      for (let i = 0; i < 4; i++) {
        const socket = new ScriptedSocket(1024, `10.0.5.${i}:1`).connect(server.http);
        socket.feed(upgradeRequest("/fan?api-key=bench-key"));
        socket.drainAll();
        taken(socket);
        fan.push(socket);
      }
      receiver = new WsReceiver(quietSink, 4096);
      taken(client);
      taken(bench);
      return { ws: server.router.connectionCount };
    }
    case "noop":
      return 0;
    case "parse": {
      const frame = need(pingFrame);
      return need(receiver).push(frame, 0, frame.length);
    }
    case "roundtrip": {
      const c = need(client);
      c.feed(need(pingFrame));
      c.drainAll();
      return taken(c);
    }
    case "send12k": {
      const b = need(bench);
      need(hold).connection!.send(big);
      b.drainAll();
      return taken(b);
    }
    case "fanout": {
      let n = 0;
      for (const c of need(hold).fanOut) c.send(update, true);
      for (const socket of fan) {
        socket.drainAll();
        n += taken(socket);
      }
      return n;
    }
    case "http": {
      const h = need(http);
      h.feed(statusRequest);
      h.drainAll();
      return taken(h);
    }
    case "serve": {
      const s = need(server);
      const t = need(toy);
      while (subscribed.length < 4) {
        const socket = new ScriptedSocket(1024, `10.0.3.${subscribed.length}:1`).connect(s.http);
        socket.feed(upgradeRequest("/ws?api-key=bench-key"));
        socket.feed(clientFrame(1, '{"type":"subscribe","channel":"all"}'));
        subscribed.push(socket);
      }
      const h = need(http);
      for (let i = 0; i < input.seconds; i++) {
        t.run(1);
        subscribed[i % 4].feed(need(pingFrame));
        h.feed(statusRequest);
        for (const socket of subscribed) {
          socket.drainAll();
          taken(socket);
        }
        h.drainAll();
        taken(h);
      }
      return { ws: s.router.connectionCount, state: t.incubator.snapshot().state };
    }
    case "handshake": {
      const socket = new ScriptedSocket(1024, "10.0.4.1:1").connect(need(server).http);
      socket.feed(upgradeRequest("/ws?api-key=bench-key"));
      socket.drainAll();
      socket.hangUp();
      return taken(socket);
    }
    case "bare": {
      for (let i = 0; i < input.count; i++) others.push(new ScriptedSocket(1024, `10.0.2.${i}:1`));
      return others.length;
    }
    case "open": {
      const s = need(server);
      for (let i = 0; i < input.count; i++) {
        const socket = new ScriptedSocket(1024, `10.0.1.${others.length}:1`).connect(s.http);
        if (input.kind === "ws") {
          socket.feed(upgradeRequest("/ws?api-key=bench-key"));
          socket.drainAll();
          taken(socket);
        }
        others.push(socket);
      }
      return { ws: s.router.connectionCount, http: s.http.stats().httpSockets };
    }
  }
}
