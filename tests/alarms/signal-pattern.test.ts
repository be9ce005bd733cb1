import assert from "node:assert/strict";
import { AlarmAnnunciator } from "../../src/alarms/annunciator";
import { buzzerOn, ledOn } from "../../src/alarms/signal-pattern";
import type { AlarmPriority } from "../../src/core/api";
import { SimTime } from "../../host-sim/sim-time";
import type { DigitalOutput } from "../../drivers/bus";
import { AlarmSignal } from "../../drivers/buzzer";

/** Pulses (rising edges) and on-time in one repeat period, sampled every 10 ms. */
function pulses(on: (t: number) => boolean, fromMs: number, toMs: number): { count: number; onMs: number } {
  let count = 0, onMs = 0, last = false;
  for (let t = fromMs; t < toMs; t += 10) {
    const v = on(t);
    if (v && !last) count++;
    if (v) onMs += 10;
    last = v;
  }
  return { count, onMs };
}

describe("IEC 60601-1-8 signal patterns", () => {
  it("high priority: bursts of 10 pulses every 8 s; medium: 3 pulses; low: no audio", () => {
    for (const [p, n] of [["high", 10], ["medium", 3], ["low", 0]] as Array<[AlarmPriority, number]>) {
      assert.equal(pulses((t) => buzzerOn(p, t), 0, 8000).count, n, p);
      assert.equal(pulses((t) => buzzerOn(p, t), 8000, 16000).count, n, `${p}, second burst`);
    }
    assert.equal(pulses((t) => buzzerOn(null, t), 0, 8000).count, 0);
  });

  it("LED: high flashes at 2 Hz, medium at 0.5 Hz, low steady", () => {
    assert.equal(pulses((t) => ledOn("high", t), 0, 10_000).count, 20);
    assert.equal(pulses((t) => ledOn("medium", t), 0, 10_000).count, 5);
    assert.deepEqual(pulses((t) => ledOn("low", t), 0, 10_000), { count: 1, onMs: 10_000 });
  });

  it("the annunciator drives the outputs from the alarm source, restarting the pattern on a new priority", () => {
    const time = new SimTime();
    let buzzerEdges = 0;
    let last = false;
    const ann = new AlarmAnnunciator({ set: (buzzer) => { if (buzzer && !last) buzzerEdges++; last = buzzer; } });
    let want: { visual: AlarmPriority | null; audio: AlarmPriority | null } = { visual: null, audio: null };
    ann.start(time, () => time.now(), { signal: () => want });
    time.advance(1000);
    assert.equal(buzzerEdges, 0);
    want = { visual: "medium", audio: "medium" };
    time.advance(8000);
    assert.equal(buzzerEdges, 3);
    want = { visual: "high", audio: "high" };
    time.advance(8000);
    assert.equal(buzzerEdges, 13);
    want = { visual: "high", audio: null }; // acknowledged: light stays, sound stops
    time.advance(8000);
    assert.equal(buzzerEdges, 13);
    assert.equal(ann.state.buzzer, false);
    ann.stop();
  });
});

describe("Annunciator on the board's AlarmSignal driver", () => {
  it("drives drivers/buzzer.ts AlarmSignal outputs with the high-priority burst", () => {
    const levels: number[] = [];
    const buzzerOut: DigitalOutput = { write: (v) => { levels.push(v); } };
    const ledOut: DigitalOutput = { write: () => {} };
    const signal = new AlarmSignal(buzzerOut, ledOut);
    const time = new SimTime();
    const ann = new AlarmAnnunciator(signal);
    ann.start(time, () => time.now(), { signal: () => ({ visual: "high", audio: "high" }) });
    time.advance(7990);
    ann.stop();
    let pulses = 0;
    for (let i = 0; i < levels.length; i++) if (levels[i] === 1 && (i === 0 || levels[i - 1] === 0)) pulses++;
    assert.equal(pulses, 10);
  });
});
