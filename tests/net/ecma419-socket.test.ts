// The byte socket over an ECMA-419 TCP socket (what the device binding uses) against a
// socket that behaves like Moddable's lin one: reads never ask for more than is readable,
// writes never exceed the writable count, bytes that came before the server took the
// socket are not lost, a 12 kB Indigo refresh gets through the 1.5 kB window whole.
import { strict as assert } from "node:assert";
import { createFirmwareServer } from "../../src/firmware/server";
import { acceptEcma419 } from "../../src/net/ecma419-socket";
import { clientFrame, upgradeRequest } from "../support/net/client-frames";
import { FakeLinTcp } from "../support/net/fake-lin-tcp";
import { readOutput, text } from "../support/net/read-output";
import { toyIncubator } from "../support/toy-incubator";

const KEY = "lin-key-5";

function rig() {
  const toy = toyIncubator();
  toy.incubator.start();
  toy.run(2);
  const log: string[] = [];
  const server = createFirmwareServer({ api: toy.incubator, clock: toy.time, timers: toy.time, wall: toy.time, apiKey: () => KEY, keyHint: "console", platform: "lin", log: (l) => log.push(l) });
  const connect = () => {
    let tcp: FakeLinTcp | null = null;
    acceptEcma419(server.http, (callbacks) => (tcp = new FakeLinTcp(callbacks)), (l) => log.push(l));
    return tcp!;
  };
  const turns = (tcp: FakeLinTcp, n = 50) => {
    for (let i = 0; i < n; i++) tcp.task();
  };
  return { toy, server, log, connect, turns };
}

describe("the byte socket over an ECMA-419 TCP socket (Moddable lin semantics)", () => {
  it("serves HTTP and a WebSocket, a 12 kB refresh through the 1.5 kB window, within the socket's rules", () => {
    const { server, log, connect, turns } = rig();
    const tcp = connect();
    tcp.send(`GET /status.json HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer ${KEY}\r\n\r\n`);
    tcp.send(upgradeRequest(`/v2/api/ws/device-feed?api-key=${KEY}`));
    tcp.send(clientFrame(1, '{"message":"refresh","objectType":"indigo.Device","id":9}'));
    turns(tcp);
    const bytes = tcp.take();
    const http = bytes.subarray(0, bytes.indexOf("HTTP/1.1 101"));
    assert.match(http.toString(), /^HTTP\/1\.1 200 OK/);
    const out = readOutput(bytes.subarray(http.length).toString("hex"));
    assert.equal(out.responses[0].status, 101);
    const refresh = JSON.parse(text(out.frames[0]));
    assert.equal(refresh.id, 9);
    assert.ok(out.frames[0].payload.length > 11_000);
    assert.deepEqual(log, [], "no read or write broke the socket's rules");
    assert.equal(server.http.stats().webSockets, 1);
  });

  it("delivers bytes that arrived before the server took the socket, and forgets a failed one", () => {
    const { server, log, turns } = rig();
    let tcp: FakeLinTcp | null = null;
    acceptEcma419(server.http, (callbacks) => {
      tcp = new FakeLinTcp(callbacks);
      // Readable and writable already, as a socket from the listener may be.
      tcp.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
      tcp.task();
      return tcp;
    });
    const socket = tcp as unknown as FakeLinTcp;
    turns(socket);
    assert.match(socket.take().toString(), /^HTTP\/1\.1 200 OK[\s\S]*IncuNest incubator/);
    socket.fail();
    assert.equal(server.http.stats().httpSockets, 0);
    assert.ok(socket.closed >= 1, "closed after the error, as ECMA-419 asks");
    assert.deepEqual(log, []);
  });

  it("reports and closes a socket that cannot be made, never throwing to the listener", () => {
    const { server, log } = rig();
    assert.doesNotThrow(() =>
      acceptEcma419(server.http, () => {
        throw new Error("no more sockets");
      }, (l) => log.push(l)),
    );
    assert.match(log[0], /accepting a connection failed: Error: no more sockets/);
    assert.equal(server.http.stats().httpSockets, 0);
  });
});
