// Random frames through the router and the /ws session into the real core: every command
// gets exactly one command_response, every other bad frame an error, the connection
// stays open, and no setpoint ever leaves its range.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { Connection } from "../src/net/endpoint";
import { WsRouter } from "../src/net/router";
import { IncuNestEndpoint } from "../src/protocol/incunest/endpoint";
import { toyIncubator } from "./support/toy-incubator";

class Recorder implements Connection {
  frames: any[] = [];
  closedWith: string | null = null;
  bufferedBytes = 0;
  send(text: string): boolean {
    this.frames.push(JSON.parse(text));
    return true;
  }
  close(code: number, reason: string): void {
    this.closedWith = `${code} ${reason}`;
  }
}

const anyValue = fc.oneof(fc.double(), fc.integer({ min: -100, max: 200 }), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.integer(), { maxLength: 2 }));
const setpoint = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 15, max: 90 }), anyValue);
const command = fc.record(
  {
    type: fc.constant("command"),
    command_id: fc.oneof(fc.string({ maxLength: 6 }).map((s) => `c_${s}`), fc.integer({ min: 0, max: 1e6 })),
    action: fc.oneof(fc.constantFrom("set_temperature", "set_humidity", "set_mode", "set_state", "acknowledge_alarm", "acknowledge_all", "reboot"), fc.string({ maxLength: 6 })),
    data: fc.oneof(
      fc.record(
        {
          setpoint,
          override: fc.oneof(fc.boolean(), anyValue),
          mode: fc.oneof(fc.constantFrom("air", "skin"), anyValue),
          state: fc.oneof(fc.constantFrom("start", "stop", "standby", "reset"), anyValue),
          alarm_id: fc.oneof(fc.integer({ min: 0, max: 5 }), anyValue),
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
  },
  { requiredKeys: ["type", "command_id"] },
);
const other = fc.oneof(
  fc.record({ type: fc.constantFrom("subscribe", "unsubscribe"), channel: fc.oneof(fc.constantFrom("sensors", "alarms", "state", "all"), anyValue) }, { requiredKeys: ["type"] }),
  fc.constant({ type: "ping" }),
  fc.record({ type: anyValue }),
);
const frame = fc.oneof(
  { weight: 5, arbitrary: command.map((m) => ({ text: JSON.stringify(m), command: m as { command_id: string | number } })) },
  { weight: 2, arbitrary: other.map((m) => ({ text: JSON.stringify(m), command: null })) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.json()).map((text) => ({ text, command: null })) },
);

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("/ws under random frames (real core)", () => {
  it("answers every command once, keeps the connection and never lets a setpoint leave its range", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 40 }), async (frames) => {
        const toy = toyIncubator();
        toy.incubator.start();
        const router = new WsRouter({ clock: toy.time, timers: toy.time, apiKey: () => null });
        router.register(new IncuNestEndpoint(toy.incubator, toy.time));
        const conn = new Recorder();
        const session = router.accept(conn, { path: "/ws", query: {}, remote: "fuzz" });
        for (const f of frames) {
          const from = conn.frames.length;
          session.onMessage(f.text);
          await settled(); // a command's reply waits for the core
          toy.run(1); // one tick per frame: within the message rate
          const replies = conn.frames.slice(from).filter((m) => m.type === "command_response" || m.type === "error");
          if (f.command) {
            const responses = replies.filter((m) => m.type === "command_response");
            assert.equal(responses.length, 1, f.text);
            assert.equal(responses[0].data.command_id, f.command.command_id);
            assert.ok(responses[0].data.success || [4001, 4002].includes(responses[0].data.code), JSON.stringify(responses[0]));
          }
          const s = toy.incubator.snapshot().setpoints;
          assert.ok(s.air >= 20 && s.air <= (s.override ? 39 : 37), `air ${s.air} override ${s.override}`);
          assert.ok(s.skin >= 35 && s.skin <= 37.5, `skin ${s.skin}`);
          assert.ok(s.humidity >= 30 && s.humidity <= 85, `humidity ${s.humidity}`);
          assert.equal(conn.closedWith, null);
        }
        toy.incubator.stop();
      }),
      { numRuns: 150 },
    );
  });
});
