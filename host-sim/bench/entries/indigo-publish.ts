// XS entry (host-sim/xs/run-on-xs.ts) for the Indigo feeds' per-tick work: the real
// Incubator on the toy plant and simulated time, and the device / variable publishers
// that build the objects, diff them against the previous tick and serialise the patches.
// Ops are separate calls so the compute meter of one call is one piece of work:
//   {op:"setup", warmupS, heat}  boots, optionally starts therapy, runs warmupS seconds
//   {op:"advance"}               one control tick of the core (no Indigo work)
//   {op:"noop"}                  baseline: the call overhead alone
//   {op:"prepare"}               builds the device objects of the current snapshot (kept)
//   {op:"diff"}                  diffs the kept objects against those of the previous prepare
//   {op:"publish", kind}         build + diff + JSON of one tick for "device" or "variable"
//                                (include: true returns the messages themselves)
import { diff, type JsonObject } from "../../../src/protocol/indigo/diff";
import { buildDevices, buildVariables } from "../../../src/protocol/indigo/model";
import { Publisher } from "../../../src/protocol/indigo/publisher";
import { toyIncubator } from "../../../tests/support/toy-incubator";

type Input =
  | { op: "setup"; warmupS: number; heat: boolean; publishers?: boolean }
  | { op: "advance" }
  | { op: "noop" }
  | { op: "prepare" }
  | { op: "diff" }
  | { op: "publish"; kind: "device" | "variable"; include?: boolean };

let toy: ReturnType<typeof toyIncubator> | null = null;
let publishers: { device: Publisher; variable: Publisher } | null = null;
let previous: JsonObject[] = [];
let current: JsonObject[] = [];

function need<T>(value: T | null): T {
  if (value === null) throw new Error("call {op:'setup'} first");
  return value;
}

export function run(input: Input) {
  switch (input.op) {
    case "setup": {
      toy = toyIncubator();
      toy.incubator.start();
      if (input.heat) void toy.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
      toy.run(input.warmupS);
      if (input.publishers === false) return { state: toy.incubator.snapshot().state };
      publishers = {
        device: new Publisher({ objectType: "indigo.Device", build: buildDevices, stampChanges: true }),
        variable: new Publisher({ objectType: "indigo.Variable", build: buildVariables, stampChanges: false }),
      };
      const s = toy.incubator.snapshot();
      publishers.device.update(s);
      publishers.variable.update(s);
      previous = current = buildDevices(s);
      return { state: s.state, air: s.air };
    }
    case "advance":
      need(toy).run(1);
      return { seq: need(toy).incubator.snapshot().seq };
    case "noop":
      return { ok: true };
    case "prepare":
      previous = current;
      current = buildDevices(need(toy).incubator.snapshot());
      return { objects: current.length };
    case "diff": {
      let entries = 0;
      for (let i = 0; i < current.length; i++) entries += diff(previous[i], current[i]).length;
      return { entries };
    }
    case "publish": {
      const messages = need(publishers)[input.kind].update(need(toy).incubator.snapshot());
      let chars = 0;
      for (const m of messages) chars += m.length;
      return { messages: messages.length, chars, sent: input.include ? messages : undefined };
    }
  }
}
