// XS entry (and Node module) for the server on scripted byte streams: the firmware's one
// server (src/firmware/server.ts) on the toy incubator and simulated time, each scenario
// on scripted sockets with a send window that drains only when the script says. Returns
// every byte the server wrote, so Node and XS can be compared byte for byte.
import { createFirmwareServer, type FirmwareServer } from "../../../src/firmware/server";
import { clientFrame, toHex, upgradeRequest } from "../../support/net/client-frames";
import { ScriptedSocket } from "../../support/net/scripted-socket";
import { toyIncubator } from "../../support/toy-incubator";

export const KEY = "xs-key-1234";

export type Scenario = "split-frames" | "ping-payloads" | "fragments" | "big-frame" | "invalid-utf8" | "http" | "handshakes" | "slowloris";
export const SCENARIOS: readonly Scenario[] = ["split-frames", "ping-payloads", "fragments", "big-frame", "invalid-utf8", "http", "handshakes", "slowloris"];

export interface ScenarioResult {
  /** Every socket's output, hex, in the order the sockets were opened. */
  readonly out: string[];
  /** Each socket's write sizes. */
  readonly writes: number[][];
  readonly closed: boolean[];
  readonly ticks: number;
}

function setup(script: boolean) {
  const toy = toyIncubator();
  toy.incubator.start();
  toy.run(2);
  const server = createFirmwareServer({
    api: toy.incubator,
    clock: toy.time,
    timers: toy.time,
    wall: toy.time,
    apiKey: () => KEY,
    keyHint: "printed on the console",
    platform: "scripted",
    // The platform's TextEncoder, or the script encoder the device has without one.
    ...(script ? { utf8Encoder: null } : {}),
    log: () => {},
  });
  return { toy, server };
}

const bytewise = (socket: ScriptedSocket, data: Uint8Array | string) => {
  const bytes = typeof data === "string" ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : data;
  for (let i = 0; i < bytes.length; i++) socket.feed(bytes.subarray(i, i + 1));
};

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function play(scenario: Scenario, server: FirmwareServer, toy: ReturnType<typeof toyIncubator>, window: number): ScriptedSocket[] {
  const open = () => new ScriptedSocket(window, `10.0.0.2:${50000}`).connect(server.http);
  const upgraded = (path = `/ws?api-key=${KEY}`) => {
    const s = open();
    s.feed(upgradeRequest(path));
    s.drainAll();
    return s;
  };
  switch (scenario) {
    case "split-frames": {
      const s = open();
      bytewise(s, upgradeRequest(`/ws?api-key=${KEY}`));
      s.drainAll();
      bytewise(s, clientFrame(1, '{"type":"subscribe","channel":"sensors"}'));
      s.drainAll();
      toy.run(1);
      s.drainAll();
      bytewise(s, clientFrame(1, '{"type":"ping"}'));
      s.drainAll();
      return [s];
    }
    case "ping-payloads": {
      const s = upgraded();
      s.feed(concat([clientFrame(9, ""), clientFrame(9, "abc"), clientFrame(9, Uint8Array.from({ length: 125 }, (_, i) => i)), clientFrame(10, "unasked pong")]));
      s.drainAll();
      return [s];
    }
    case "fragments": {
      const s = upgraded();
      s.feed(concat([clientFrame(1, '{"type":', { fin: false }), clientFrame(9, "between"), clientFrame(0, '"pi', { fin: false }), clientFrame(10, ""), clientFrame(0, 'ng"}')]));
      s.drainAll();
      return [s];
    }
    case "big-frame": {
      const s = upgraded(`/v2/api/ws/device-feed?api-key=${KEY}`);
      s.feed(clientFrame(1, '{"message":"refresh","objectType":"indigo.Device","id":7}'));
      s.drainAll();
      return [s];
    }
    case "invalid-utf8": {
      const one = upgraded();
      one.feed(clientFrame(1, Uint8Array.of(0x7b, 0xc3, 0x28, 0x7d)));
      one.drainAll();
      const split = upgraded();
      split.feed(clientFrame(1, Uint8Array.of(0x7b, 0xf0, 0x9f), { fin: false }));
      split.feed(clientFrame(0, Uint8Array.of(0x41, 0x7d)));
      split.drainAll();
      return [one, split];
    }
    case "http": {
      const s = open();
      const basic = "Basic " + "bnVyc2U6eHMta2V5LTEyMzQ="; // nurse:xs-key-1234
      s.feed(`GET / HTTP/1.1\r\nHost: incunest\r\n\r\nGET /status.json HTTP/1.1\r\nHost: incunest\r\n\r\nGET /status.json HTTP/1.1\r\nHost: incunest\r\nAuthorization: ${basic}\r\n\r\n`);
      s.drainAll();
      s.feed("HEAD /nope HTTP/1.1\r\nHost: incunest\r\n\r\n");
      s.drainAll();
      const big = open();
      big.feed("GET / HTTP/1.1\r\nHost: incunest\r\nX-Big: ");
      for (let i = 0; i < 12; i++) big.feed("b".repeat(1000));
      big.drainAll();
      return [s, big];
    }
    case "handshakes": {
      const plain = open();
      plain.feed("GET /ws HTTP/1.1\r\nHost: incunest\r\n\r\n");
      plain.drainAll();
      const v8 = open();
      v8.feed(upgradeRequest("/ws").replace("Version: 13", "Version: 8"));
      v8.drainAll();
      const badKey = open();
      badKey.feed(upgradeRequest("/ws").replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ="));
      badKey.drainAll();
      const noKey = upgraded("/ws");
      return [plain, v8, badKey, noKey];
    }
    case "slowloris": {
      const s = open();
      const request = "GET /status.json HTTP/1.1\r\nHost: incunest\r\n";
      for (let i = 0; i < request.length; i++) {
        s.feed(request[i]);
        toy.time.advance(250);
      }
      s.drainAll();
      return [s];
    }
  }
}

export function run(input: { scenario: Scenario; window: number; script?: boolean }): ScenarioResult {
  const { toy, server } = setup(input.script === true);
  const before = toy.incubator.snapshot().seq;
  const sockets = play(input.scenario, server, toy, input.window);
  const result: ScenarioResult = {
    out: sockets.map((s) => toHex(s.take())),
    writes: sockets.map((s) => s.writes),
    closed: sockets.map((s) => s.closedByServer),
    ticks: toy.incubator.snapshot().seq - before,
  };
  server.close();
  toy.incubator.stop();
  return result;
}
