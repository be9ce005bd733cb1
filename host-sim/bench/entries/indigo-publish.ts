// XS entry (host-sim/xs/run-on-xs.ts) for the Indigo feeds' per-tick work: the real
// Incubator on the toy plant and simulated time, and the device / variable publishers,
// both the current ones (src/protocol/indigo) and, for devices, the baseline that built
// every object afresh and diffed it (host-sim/bench/baseline), side by side on one run.
// Ops are separate calls so the compute meter of one call is one piece of work:
//   {op:"setup", warmupS, heat, publishers?}  boots, optionally starts therapy, runs warmupS
//        seconds; publishers "both" (default), "current", "baseline" or "none" (heap baseline)
//   {op:"advance"}               one control tick of the core (no Indigo work)
//   {op:"noop"}                  baseline: the call overhead alone
//   {op:"publish", kind, impl}   one tick's update of "device" or "variable" with the
//        "current" (default) or "baseline" publisher (include: true returns the messages)
//   {op:"refresh", impl}         the device list as a refresh reply would send it
import { BaselinePublisher } from "../baseline/indigo-publisher";
import { buildBaselineDevices } from "../baseline/indigo-devices";
import { DevicePublisher } from "../../../src/protocol/indigo/device-publisher";
import { buildVariables } from "../../../src/protocol/indigo/model";
import { Publisher, type ObjectPublisher } from "../../../src/protocol/indigo/publisher";
import { toyIncubator } from "../../../tests/support/toy-incubator";

type Impl = "current" | "baseline";

type Input =
  | { op: "setup"; warmupS: number; heat: boolean; publishers?: Impl | "both" | "none" }
  | { op: "advance" }
  | { op: "noop" }
  | { op: "publish"; kind: "device" | "variable"; impl?: Impl; include?: boolean }
  | { op: "refresh"; impl?: Impl };

let toy: ReturnType<typeof toyIncubator> | null = null;
let publishers: { current: ObjectPublisher | null; baseline: ObjectPublisher | null; variable: ObjectPublisher } | null = null;

function need<T>(value: T | null): T {
  if (value === null) throw new Error("call {op:'setup'} first");
  return value;
}

function devicePublisher(impl: Impl = "current"): ObjectPublisher {
  const p = need(publishers)[impl];
  if (p === null) throw new Error(`setup made no ${impl} device publisher`);
  return p;
}

export function run(input: Input) {
  switch (input.op) {
    case "setup": {
      toy = toyIncubator();
      toy.incubator.start();
      if (input.heat) void toy.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
      toy.run(input.warmupS);
      const which = input.publishers ?? "both";
      if (which === "none") return { state: toy.incubator.snapshot().state };
      publishers = {
        current: which !== "baseline" ? new DevicePublisher() : null,
        baseline: which !== "current" ? new BaselinePublisher({ objectType: "indigo.Device", build: buildBaselineDevices, stampChanges: true }) : null,
        variable: new Publisher({ objectType: "indigo.Variable", build: buildVariables, stampChanges: false }),
      };
      const s = toy.incubator.snapshot();
      publishers.current?.update(s);
      publishers.baseline?.update(s);
      publishers.variable.update(s);
      return { state: s.state, air: s.air };
    }
    case "advance":
      need(toy).run(1);
      return { seq: need(toy).incubator.snapshot().seq };
    case "noop":
      return { ok: true };
    case "publish": {
      const publisher = input.kind === "variable" ? need(publishers).variable : devicePublisher(input.impl);
      const messages = publisher.update(need(toy).incubator.snapshot());
      let chars = 0;
      for (let i = 0; i < messages.length; i++) chars += messages[i].length;
      return { messages: messages.length, chars, sent: input.include ? messages.slice() : undefined };
    }
    case "refresh":
      return { text: JSON.stringify({ message: "refresh", objectType: "indigo.Device", list: devicePublisher(input.impl).list() }) };
  }
}
