import assert from "node:assert/strict";
import fc from "fast-check";
import { Outbox, type MessageClass } from "../../src/protocol/mqtt/outbox";

const limits = { maxMessages: 8, maxBytes: 10_000, maxSensors: 3, maxInFlight: 2 };

/** Sends everything that may go now; returns what was sent. */
function drain(box: Outbox): string[] {
  const out: string[] = [];
  for (let m = box.next(); m; m = box.next()) {
    box.sent(m, box.tokenFor(m));
    out.push(m.payload);
  }
  return out;
}

describe("MQTT outbox", () => {
  it("sends in order, holds QoS 1 in flight until PUBACK and re-sends it first after a reconnection", () => {
    const box = new Outbox(limits);
    box.push("t/alarms", "a1", 1, false, "event");
    box.push("t/sensors", "s1", 0, false, "sensors");
    box.push("t/alarms", "a2", 1, false, "event");
    box.push("t/alarms", "a3", 1, false, "event");
    // a1 and a2 fill the in-flight window of 2: a3 waits.
    assert.deepEqual(drain(box), ["a1", "s1", "a2"]);
    assert.equal(box.inFlightCount, 2);
    box.requeueInFlight(); // the connection dropped before any PUBACK
    assert.deepEqual(drain(box), ["a1", "a2"]);
    assert.equal(box.length, 3, "a1 and a2 in flight again, a3 waiting; s1 (QoS 0) is gone");
  });

  it("drops the oldest sensor reading first, then status, and an event only when nothing else is left (counted)", () => {
    const box = new Outbox({ ...limits, maxMessages: 4, maxSensors: 10 });
    box.push("t/status", "st1", 1, true, "status");
    box.push("t/sensors", "s1", 0, false, "sensors");
    box.push("t/alarms", "a1", 1, false, "event");
    box.push("t/sensors", "s2", 0, false, "sensors");
    box.push("t/alarms", "a2", 1, false, "event"); // over by one: s1 goes
    assert.equal(box.droppedSensors, 1);
    box.push("t/alarms", "a3", 1, false, "event"); // s2 goes
    box.push("t/alarms", "a4", 1, false, "event"); // st1 goes
    assert.equal(box.droppedSensors, 2);
    assert.equal(box.droppedStatus, 1);
    assert.equal(box.droppedEvents, 0);
    box.push("t/alarms", "a5", 1, false, "event"); // only events left: a1 goes, and is counted
    assert.equal(box.droppedEvents, 1);
    const big = new Outbox({ ...limits, maxInFlight: 10 });
    for (const p of ["a2", "a3", "a4", "a5"]) big.push("t/alarms", p, 1, false, "event");
    assert.deepEqual(drain(big), ["a2", "a3", "a4", "a5"]);
  });

  it("keeps at most maxSensors readings while they cannot be sent, the newest ones", () => {
    const box = new Outbox(limits);
    for (let i = 1; i <= 10; i++) box.push("t/sensors", `s${i}`, 0, false, "sensors");
    assert.deepEqual(drain(box), ["s8", "s9", "s10"]);
    assert.equal(box.droppedSensors, 7);
  });

  it("replaces an unsent retained snapshot of the same topic, and puts a front message ahead of the unsent ones only", () => {
    const box = new Outbox({ ...limits, maxInFlight: 10 });
    box.push("t/alarms", "a1", 1, false, "event");
    const first = box.next()!;
    box.sent(first, box.tokenFor(first)); // a1 in flight
    box.push("t/active", "v1", 1, true, "event", true);
    box.push("t/alarms", "a2", 1, false, "event");
    box.push("t/active", "v2", 1, true, "event", true);
    box.push("t/status", "online", 1, true, "status", true, true);
    assert.deepEqual(drain(box), ["online", "a2", "v2"]);
    box.requeueInFlight();
    assert.deepEqual(drain(box), ["a1", "online", "a2", "v2"]);
  });

  it("bounds bytes as well as messages", () => {
    const box = new Outbox({ ...limits, maxBytes: 100 });
    for (let i = 0; i < 5; i++) box.push("t/sensors", "x".repeat(40), 0, false, "sensors");
    assert.ok(box.queuedBytes <= 100, `${box.queuedBytes} bytes queued`);
  });

  it("property: acknowledged events arrive in the order queued, whatever the disconnections, and bounds hold", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), cls: fc.constantFrom<MessageClass>("sensors", "status", "event") }),
      fc.record({ kind: fc.constantFrom("send" as const, "ack" as const, "drop" as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const box = new Outbox({ maxMessages: 20, maxBytes: 100_000, maxSensors: 5, maxInFlight: 3 });
        let n = 0;
        const delivered: number[] = [];
        const inFlight: Array<{ token: number; seq: number }> = [];
        for (const o of ops) {
          if (o.kind === "push") {
            const seq = n++;
            box.push(o.cls === "event" ? "t/e" : o.cls === "status" ? "t/st" : "t/s", String(seq), o.cls === "sensors" ? 0 : 1, false, o.cls);
          } else if (o.kind === "send") {
            const m = box.next();
            if (m) {
              const token = box.tokenFor(m);
              assert.ok(inFlight.every((f) => f.token !== token), "a token in flight was reused");
              box.sent(m, token);
              if (m.qos === 1 && m.kind === "event") inFlight.push({ token, seq: Number(m.payload) });
              else if (m.qos === 1) inFlight.push({ token, seq: -1 });
            }
          } else if (o.kind === "ack") {
            const f = inFlight.shift();
            if (f) {
              assert.ok(box.acknowledge(f.token));
              if (f.seq >= 0 && !delivered.includes(f.seq)) delivered.push(f.seq);
            }
          } else {
            box.requeueInFlight();
            inFlight.length = 0;
          }
          assert.ok(box.length <= 20 && box.inFlightCount <= 3);
        }
        for (let i = 1; i < delivered.length; i++) assert.ok(delivered[i] > delivered[i - 1], `events out of order: ${delivered.join(",")}`);
      }),
      { seed: 1414, numRuns: 300 },
    );
  });
});
