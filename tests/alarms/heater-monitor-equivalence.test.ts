// The heater monitor keeps its history in a ring of typed arrays and rewrites one verdict;
// its verdicts must be those of the allocating original it replaced, kept in
// tests/alarms/reference/heater-monitor.ts. Both are fed the same long random sequences
// (warm-ups from cold with a working or a dead heater, long high-duty stretches with and
// without a rise, warm or not, the heater off with the air rising steadily or settling,
// portholes, missing air readings and a rare NaN air or duty, forget() calls, irregular tick
// times and long gaps) and every verdict must be equal. The whole alarm system, with each
// monitor inside, is compared the same way by tests/alarms/alarm-equivalence.test.ts
// (directly and inside the core on the simulated plant).
import assert from "node:assert/strict";
import { HEATER_RESPONSE, HeaterMonitor } from "../../src/alarms/heater-monitor";
import { HeaterMonitor as ReferenceHeaterMonitor } from "./reference/heater-monitor";
import { SeededRandom } from "../../host-sim/seeded-random";

/** Seeds that must always pass (one random seed is added per run, printed). */
const FIXED_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 42, 1234, 99_991];
const UPDATES_PER_SEED = 120_000;

class Random extends SeededRandom {
  chance(p: number): boolean { return this.next() < p; }
  between(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
  range(lo: number, hi: number): number { return lo + this.next() * (hi - lo); }
}

/** What the runs reached, so a run that never judges a fault shows. */
const seen = new Map<string, number>();
function count(what: string): void { seen.set(what, (seen.get(what) ?? 0) + 1); }

interface Regime {
  readonly kind: string;
  readonly ticks: number;
  readonly duty: () => number;
  warmUp: boolean;
  /** The air's next value, `dtS` seconds on. */
  readonly air: (airC: number, dtS: number) => number;
  readonly nullChance: number;
  readonly stepMs: () => number;
}

function steps(r: Random): () => number {
  if (r.chance(0.7)) return () => 1000;
  const odd = [0, 1, 250, 999, 1001, 2500, 5000, 9999, 10_000, 10_001, 30_000, 65_000];
  return () => (r.chance(0.7) ? 1000 : r.chance(0.995) ? r.pick(odd) : r.pick([400_000, 790_000, 800_000, 2_000_000]));
}

function noise(r: Random): number { return r.range(-0.02, 0.02); }

function regime(r: Random, airC: number): Regime {
  const nullChance = r.pick([0, 0, 0, 0.01, 0.05, 0.3, 1]);
  const stepMs = steps(r);
  const fullish = (): number => (r.chance(0.9) ? 1 : r.pick([0.8, 0.85, 0.95]));
  switch (r.between(0, 6)) {
    case 0: { // warm-up from cold, a working heater
      const rate = r.range(0.0005, 0.006);
      return { kind: "warm-up, working", ticks: r.between(700, 2500), duty: fullish, warmUp: true, air: (a, dt) => a + rate * dt + noise(r), nullChance, stepMs };
    }
    case 1: { // warm-up from cold, a dead heater (flat, a creep below the rise, or falling)
      const rate = r.pick([0, 0, 0.0002, 0.0007, 0.00083, -0.0005]);
      return { kind: "warm-up, dead", ticks: r.between(700, 2000), duty: fullish, warmUp: true, air: (a, dt) => a + rate * dt + noise(r), nullChance, stepMs };
    }
    case 2: { // high duty, warm or not in the warm-up
      const rate = r.pick([0, 0.0003, 0.002]);
      return { kind: "high duty", ticks: r.between(600, 2000), duty: fullish, warmUp: r.chance(0.5), air: (a, dt) => a + rate * dt + noise(r), nullChance, stepMs };
    }
    case 3: { // heater off, the air rising steadily (a welded relay)
      const rate = r.range(0.002, 0.008);
      return { kind: "off, rising", ticks: r.between(800, 2000), duty: () => 0, warmUp: r.chance(0.2), air: (a, dt) => Math.min(45, a + rate * dt + noise(r) / 4), nullChance, stepMs };
    }
    case 4: { // heater off, the air settling back towards its surroundings (a re-warm)
      const target = airC + r.range(0.5, 5);
      const tauS = r.range(35, 400);
      return { kind: "off, settling", ticks: r.between(600, 1500), duty: () => 0, warmUp: false, air: (a, dt) => a + (target - a) * Math.min(1, dt / tauS) + noise(r) / 4, nullChance, stepMs };
    }
    case 5: { // cold again: a new start from the room
      const room = r.range(18, 30);
      return { kind: "cold", ticks: r.between(5, 60), duty: () => 0, warmUp: false, air: () => room + noise(r), nullChance: 0, stepMs };
    }
    default: { // anything: duties around the threshold, random drift
      const duty = r.pick(["off", "full", "threshold", "random", "tiny"]);
      const drift = r.pick([0, 0.001, -0.002, 0.004, 0.02, -0.02]);
      return {
        kind: "any", ticks: r.chance(0.2) ? r.between(600, 2400) : r.between(5, 300), warmUp: r.chance(0.5), nullChance, stepMs,
        duty: duty === "off" ? () => 0 : duty === "full" ? () => 1 : duty === "threshold" ? () => r.pick([0.79, 0.8, 0.81]) : duty === "tiny" ? () => r.pick([0, 1e-9, 0.01]) : () => r.next(),
        air: (a, dt) => Math.min(45, Math.max(15, a + drift * dt + noise(r))),
      };
    }
  }
}

function verdictOf(v: object): object { return { ...v }; }

function run(seed: number, updates: number): void {
  const r = new Random(seed);
  const now = new HeaterMonitor();
  const ref = new ReferenceHeaterMonitor();
  let nowMs = r.between(0, 1_000_000);
  let airC = r.range(18, 36);
  let n = 0;
  while (n < updates) {
    if (r.chance(0.1)) { now.forget(); ref.forget(); count("forget"); }
    const g = regime(r, airC);
    if (g.kind === "warm-up, working" || g.kind === "warm-up, dead") airC = r.chance(0.7) ? r.range(18, 28) : r.range(30, 37);
    count(g.kind);
    for (let i = 0; i < g.ticks && n < updates; i++, n++) {
      const step = g.stepMs();
      nowMs += step;
      airC = g.air(airC, step / 1000);
      // A porthole: the air drops, then the regime goes on from there.
      if (r.chance(0.002)) { airC -= r.range(0.5, 4); count("porthole"); }
      if (r.chance(0.001)) g.warmUp = !g.warmUp;
      // No caller sends a NaN: it shows that a missing reading is not confused with a bad one.
      const air = r.chance(g.nullChance) ? null : r.chance(0.0002) ? NaN : Math.round(airC * 1000) / 1000;
      const duty = r.chance(0.0002) ? NaN : g.duty();
      const a = verdictOf(now.update(nowMs, duty, air, g.warmUp));
      const b = verdictOf(ref.update(nowMs, duty, air, g.warmUp));
      assert.deepStrictEqual(a, b, `seed ${seed}, update ${n} (at ${nowMs} ms, ${g.kind}): verdicts differ`);
      const v = b as { noRise: boolean | null; riseWhileOff: boolean | null };
      if (v.noRise !== null) count(`noRise ${v.noRise}`);
      if (v.riseWhileOff !== null) count(`riseWhileOff ${v.riseWhileOff}`);
      if (air === null) count("null air");
      if (r.chance(0.0005)) { now.forget(); ref.forget(); count("forget"); }
    }
  }
}

describe("Heater monitor: the ring of typed arrays judges exactly as the original (tests/alarms/reference)", function () {
  this.timeout(300_000);
  const random = process.env.HEATER_EQ_SEED ? Number(process.env.HEATER_EQ_SEED) : Math.floor(Math.random() * 2 ** 31);

  it("gives identical verdicts on every update of long random sequences", () => {
    console.log(`      seed ${random} (replay: HEATER_EQ_SEED=${random})`);
    for (const seed of [...FIXED_SEEDS, random]) run(seed, UPDATES_PER_SEED);
    const needed = ["noRise true", "noRise false", "riseWhileOff true", "riseWhileOff false", "forget", "porthole", "null air"];
    if (process.env.HEATER_EQ_COUNTS) console.log(seen);
    assert.deepEqual(needed.filter((k) => !seen.has(k)), [], "the random runs never reached these");
    assert.ok((seen.get("noRise true") ?? 0) >= 10 && (seen.get("riseWhileOff true") ?? 0) >= 10, `too few faults judged: ${JSON.stringify([...seen])}`);
  });

  it("holds at most the samples of its longest look-back, and rewrites one verdict", () => {
    const m = new HeaterMonitor();
    const first = m.update(0, 1, 30, true);
    const keepMs = Math.max(HEATER_RESPONSE.noRiseWindowMs, HEATER_RESPONSE.offSettleMs + HEATER_RESPONSE.offRiseWindowMs) + HEATER_RESPONSE.sampleEveryMs;
    for (let t = 1000; t <= 3 * keepMs; t += 1000) assert.equal(m.update(t, 1, 30, true), first);
    const ring = (m as unknown as { count: number }).count;
    assert.equal(ring, keepMs / HEATER_RESPONSE.sampleEveryMs + 1);
  });
});
