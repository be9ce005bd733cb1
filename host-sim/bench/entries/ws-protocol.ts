// XS entry (host-sim/xs/run-on-xs.ts) for the /ws protocol's per-tick and per-command
// work: the real Incubator on the toy plant and simulated time, the router and the /ws
// endpoint with in-memory connections. Ops are separate calls so the compute meter of one
// call is one piece of work:
//   {op:"setup", clients, warmupS}  boots, starts therapy, connects and subscribes clients
//   {op:"advance"}                  one control tick, including the fan-out to the clients
//   {op:"noop"}                     baseline: the call overhead alone
//   {op:"encode"}                   encodes one sensor_update of the current snapshot
//   {op:"command"}                  one set_temperature frame through the router and the
//                                   /ws session: parse, validate, execute, respond
//   {op:"texts"}                    what the first client received last, and the current
//                                   sensor_update (for comparing XS with Node)
import type { Connection, TransportSession } from "../../../src/net/endpoint";
import { WsRouter } from "../../../src/net/router";
import { IncuNestEndpoint } from "../../../src/protocol/incunest/endpoint";
import { encodeSensorUpdate } from "../../../src/protocol/incunest/messages";
import { toyIncubator } from "../../../tests/support/toy-incubator";

type Input = { op: "setup"; clients: number; warmupS: number } | { op: "advance" } | { op: "noop" } | { op: "encode" } | { op: "command" } | { op: "texts" };

class MemoryConnection implements Connection {
  frames = 0;
  chars = 0;
  last = "";
  lastResponse = "";
  bufferedBytes = 0;
  send(text: string): boolean {
    this.frames++;
    this.chars += text.length;
    this.last = text;
    if (text.indexOf('"command_response"') >= 0) this.lastResponse = text;
    return true;
  }
  close(): void {}
}

let toy: ReturnType<typeof toyIncubator> | null = null;
let sessions: { connection: MemoryConnection; session: TransportSession }[] = [];
let commandCount = 0;

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
      toy.run(input.warmupS);
      const router = new WsRouter({ clock: toy.time, timers: toy.time, apiKey: () => null });
      router.register(new IncuNestEndpoint(toy.incubator, toy.time));
      sessions = [];
      for (let i = 0; i < input.clients; i++) {
        const connection = new MemoryConnection();
        const session = router.accept(connection, { path: "/ws", query: {}, remote: `bench:${i}` });
        session.onMessage('{"type":"subscribe","channel":"all"}');
        sessions.push({ connection, session });
      }
      return { clients: router.connectionCount, state: toy.incubator.snapshot().state };
    }
    case "advance": {
      const t = need(toy);
      t.run(1);
      return { frames: sessions.length ? sessions[0].connection.frames : 0 };
    }
    case "noop":
      return { ok: true };
    case "encode":
      return { chars: encodeSensorUpdate(need(toy).incubator.snapshot()).length };
    case "command": {
      const client = sessions[0];
      // A command answers once it took effect (a promise): the previous call's answer has
      // come by now.
      const previous = commandCount === 0 || client.connection.lastResponse.indexOf('"success":true') > 0;
      const setpoint = commandCount++ % 2 ? 36.5 : 36.0;
      client.session.onMessage('{"type":"command","command_id":"cmd_' + commandCount + '","action":"set_temperature","data":{"setpoint":' + setpoint + "}}");
      return { ok: previous };
    }
    case "texts":
      return { last: sessions[0].connection.last, frames: sessions[0].connection.frames, sensorUpdate: encodeSensorUpdate(need(toy).incubator.snapshot()) };
  }
}
