// XS entry (host-sim/xs/run-on-xs.ts) for the Indigo feeds' per-tick work: the real
// Incubator on the toy plant and simulated time, and the device and variable publishers,
// both the current ones (src/protocol/indigo) and the baselines that built every object
// afresh and diffed it (host-sim/bench/baseline), side by side on one run.
// Ops are separate calls so the compute meter of one call is one piece of work:
//   {op:"setup", warmupS, heat, publishers?}  boots, optionally starts therapy, runs warmupS
//        seconds; publishers "both" (default), "current", "baseline" or "none" (heap baseline)
//   {op:"advance", seconds?}     control ticks of the core (no Indigo work)
//   {op:"noop"}                  baseline: the call overhead alone
//   {op:"publish", kind, impl}   one tick's update of "device" or "variable" with the
//        "current" (default) or "baseline" publisher (include: true returns the messages)
//   {op:"refresh", kind, impl, lengthOnly?}  the refresh reply of the whole list ("device" by
//        default); returns its text, or with lengthOnly: true only its length (the reply is
//        dropped, so what it allocated is garbage the next call can measure)
//   {op:"publishers", which, kinds?}  replaces the publishers ("current", "baseline" or
//        "none"; of "device" and / or "variable", both by default), brought to the current
//        snapshot: the heap before and after, in one machine, is what they hold
//   {op:"fault", channels, on}   makes the toy's sensor channels fail CRC (or recover), so
//        that alarms are raised and cleared
import { BaselinePublisher } from "../baseline/indigo-publisher";
import { buildBaselineDevices } from "../baseline/indigo-devices";
import { buildBaselineVariables } from "../baseline/indigo-variables";
import { DevicePublisher } from "../../../src/protocol/indigo/device-publisher";
import { VariablePublisher } from "../../../src/protocol/indigo/variable-publisher";
import { toyIncubator } from "../../../tests/support/toy-incubator";

type Impl = "current" | "baseline";
type Kind = "device" | "variable";

type Input =
  | { op: "setup"; warmupS: number; heat: boolean; publishers?: Impl | "both" | "none" }
  | { op: "advance"; seconds?: number }
  | { op: "noop" }
  | { op: "publish"; kind: Kind; impl?: Impl; include?: boolean }
  | { op: "refresh"; kind?: Kind; impl?: Impl; lengthOnly?: boolean }
  | { op: "publishers"; which: Impl | "none"; kinds?: readonly Kind[] }
  | { op: "fault"; channels: ReadonlyArray<"air" | "skin" | "probeAir" | "humidity">; on: boolean };

/** What the bench and the tests need of either implementation. */
interface Published {
  update(snapshot: ReturnType<typeof toySnapshot>): readonly string[];
  refresh(): string;
}

function toySnapshot() {
  return need(toy).incubator.snapshot();
}

let toy: ReturnType<typeof toyIncubator> | null = null;
let publishers: Record<Kind, Record<Impl, Published | null>> | null = null;

function need<T>(value: T | null): T {
  if (value === null) throw new Error("call {op:'setup'} first");
  return value;
}

function publisher(kind: Kind, impl: Impl = "current"): Published {
  const p = need(publishers)[kind][impl];
  if (p === null) throw new Error(`setup made no ${impl} ${kind} publisher`);
  return p;
}

function current(p: DevicePublisher | VariablePublisher): Published {
  return { update: (s) => p.update(s), refresh: () => p.refreshMessage(undefined) };
}

function baseline(objectType: string, build: (s: ReturnType<typeof toySnapshot>) => ReturnType<typeof buildBaselineDevices>, stampChanges: boolean): Published {
  const p = new BaselinePublisher({ objectType, build, stampChanges });
  return { update: (s) => p.update(s), refresh: () => JSON.stringify({ message: "refresh", objectType, list: p.list() }) };
}

function makePublishers(which: Impl | "both" | "none", kinds: readonly Kind[]): void {
  const withCurrent = which === "current" || which === "both";
  const withBaseline = which === "baseline" || which === "both";
  const has = (kind: Kind) => kinds.includes(kind);
  publishers = {
    device: {
      current: withCurrent && has("device") ? current(new DevicePublisher()) : null,
      baseline: withBaseline && has("device") ? baseline("indigo.Device", buildBaselineDevices, true) : null,
    },
    variable: {
      current: withCurrent && has("variable") ? current(new VariablePublisher()) : null,
      baseline: withBaseline && has("variable") ? baseline("indigo.Variable", buildBaselineVariables, false) : null,
    },
  };
  const s = toySnapshot();
  for (const kind of ["device", "variable"] as const) for (const impl of ["current", "baseline"] as const) publishers[kind][impl]?.update(s);
}

export function run(input: Input) {
  switch (input.op) {
    case "setup": {
      toy = toyIncubator();
      toy.incubator.start();
      if (input.heat) void toy.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
      toy.run(input.warmupS);
      makePublishers(input.publishers ?? "both", ["device", "variable"]);
      const s = toy.incubator.snapshot();
      return { state: s.state, air: s.air };
    }
    case "publishers":
      makePublishers(input.which, input.kinds ?? ["device", "variable"]);
      return { ok: true };
    case "advance":
      need(toy).run(input.seconds ?? 1);
      return { seq: toySnapshot().seq };
    case "noop":
      return { ok: true };
    case "publish": {
      const messages = publisher(input.kind, input.impl).update(toySnapshot());
      let chars = 0;
      for (let i = 0; i < messages.length; i++) chars += messages[i].length;
      return { messages: messages.length, chars, sent: input.include ? messages.slice() : undefined };
    }
    case "fault": {
      const faults = need(toy).plant.faults;
      for (const channel of input.channels) {
        if (input.on) faults[channel] = () => ({ value: null, atMs: null, fault: "crc", detail: "CRC mismatch" });
        else delete faults[channel];
      }
      return { ok: true };
    }
    case "refresh": {
      const text = publisher(input.kind ?? "device", input.impl).refresh();
      return input.lengthOnly ? { length: text.length } : { text };
    }
  }
}
