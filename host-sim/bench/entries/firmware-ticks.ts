// XS entry (host-sim/xs/run-on-xs.ts) for what each client costs the firmware per control
// tick: the whole firmware as the device composes it (src/device/main.ts) - core, alarms,
// drivers on the simulated board and plant, the A/B record store, the trend and event logs
// on RAM flash of the partition's layout, the one HTTP/WebSocket server of src/firmware with
// /ws, the Indigo feeds and the REST API - on simulated time, its clients scripted over byte
// sockets that allocate nothing per tick (sink-socket.ts). Each op is one call, so its heap
// and compute figures are that work alone:
//   {op:"setup"}                boots, runs 5 s, starts therapy (the command completes after the call)
//   {op:"advance", seconds}     that many ticks (the warm-up)
//   {op:"connect", client}      "python": /ws, subscribes sensors, state and alarms, then a
//                                 masked ping frame every 20 s (the websockets package's
//                                 default keepalive);
//                               "js": /ws, subscribes sensors, {"type":"ping"} every 30 s
//                                 (the seed's class);
//                               "indigo": /v2/api/ws/device-feed, listens to the patches
//                                 and asks for the whole list every 20 s (as the simulator
//                                 soak's client; it also keeps the socket from idling out);
//                               "rest": a keep-alive HTTP socket for the polls (another when
//                                 the server has closed it after 5 s idle, as a browser does)
//   {op:"tick"}                 one simulated second: what the connected clients send in it,
//                               the control tick and its fan-out, every socket drained
//   {op:"poll", route}          one keep-alive GET: "status" (/api/status), "history"
//                               (/api/sensors/history) or "page" (/), answered and drained
//   {op:"noop"}                 the call overhead alone
//   {op:"plant"}                one second of a separate copy of the incubator model with
//                               the board's present outputs: the simulation's own share of a
//                               tick (the ESP32 has no model), to subtract
//   {op:"drivers"}              one sample of a separate SensorArray (the firmware's sensor
//                               drivers) on stub buses that answer at once (no simulated
//                               chips): the drivers' own share of the board's sampling
//   {op:"status"}               state, seconds, connections, bytes each client received
// Only the firmware's stable APIs are used, so the same entry runs on an older checkout
// (host-sim/bench/tick-alloc-bench.ts --before <checkout>).
import { LOG_STORE_BLOCKS } from "../../../src/logs/log-layout";
import { MemoryLogStore } from "../../memory-log-store";
import { IncubatorPlant } from "../../plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../plant/params";
import { BenchFirmware, type BenchClient, type BenchRoute } from "../bench-firmware";
import { StubCounter, StubOneWire, StubSht31 } from "../stub-buses";
import { SensorArray } from "../../../drivers/sensor-array";
import { SIM_BOARD_ROMS } from "../../sim-board";

type Client = BenchClient;
type Route = BenchRoute;
type Input =
  | { op: "setup" }
  | { op: "advance"; seconds: number }
  | { op: "connect"; client: Client }
  | { op: "tick" }
  | { op: "poll"; route: Route }
  | { op: "noop" }
  | { op: "plant" }
  | { op: "drivers" }
  | { op: "status" }
  | { op: "part"; part: Part };

/** Pieces of a tick run on their own, to find the allocators (a developer's tool: it
 *  reaches into private members and may disturb the run; not used by the bench's table). */
type Part = "sample" | "plant" | "alarms" | "compose" | "emit" | "actuate" | "timer" | "trend" | "events" | "sessions" | "coreTick" | "advance" | "advance50" | "sample1s" | "alarms1s";

class Bench extends BenchFirmware {
  /** A second model beside the board's, for the simulation's share of a tick. */
  readonly plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
  readonly plantInputs = { heaterDuty: 0.4, fanDuty: 0.5, humidifierOn: false };
  /** The sensor drivers alone, on buses that answer at once (op "drivers"). */
  driverMs = 0;
  readonly drivers = new SensorArray(
    { i2cSht31: new StubSht31(), oneWire: new StubOneWire(), tachometer: new StubCounter() },
    { skinRom: SIM_BOARD_ROMS.skin, probeAirRom: SIM_BOARD_ROMS.probeAir, clock: { now: () => this.driverMs } },
  );

  constructor() {
    super(new MemoryLogStore(4096, LOG_STORE_BLOCKS));
  }
}

let bench: Bench | null = null;

function need(): Bench {
  if (bench === null) throw new Error("call {op:'setup'} first");
  return bench;
}

export function run(input: Input): unknown {
  switch (input.op) {
    case "setup": {
      bench = new Bench();
      return bench.startTherapy("bench");
    }
    case "advance": {
      const b = need();
      for (let s = 0; s < input.seconds; s++) b.tick();
      return b.incubator.snapshot().state;
    }
    case "connect":
      return need().connect(input.client);
    case "tick":
      return need().tick();
    case "poll":
      return need().poll(input.route);
    case "noop":
      return 0;
    case "part":
      return part(need(), input.part);
    case "plant": {
      const b = need();
      b.plant.step(1, b.plantInputs);
      return 0;
    }
    case "drivers": {
      const b = need();
      b.driverMs += 1000;
      return b.drivers.sample(b.driverMs) !== null;
    }
    case "status": {
      const b = need();
      return {
        state: b.incubator.snapshot().state,
        second: b.second,
        ws: b.server.router.connectionCount,
        received: b.clients.map((c) => (c.socket.closedByServer ? -1 : c.socket.bytesWritten)),
        rest: b.restBytes,
        restConnections: b.restConnections + (b.rest ? 1 : 0),
      };
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function part(b: Bench, which: Part): unknown {
  const core = b.incubator as any;
  const now = b.time.now();
  switch (which) {
    case "sample":
      return core.options.sensors.sample(now) !== null;
    case "plant":
      return core.options.sensors.sample(now + 1000) !== null;
    case "alarms": {
      const frame = core.lastFrame;
      return core.alarms.evaluate({
        nowMs: now, epochMs: b.time.epochMs(), state: core.machine.state, mode: core.mode, setpoints: core.setpoints,
        frame, heaterDuty: core.appliedHeater, fanDuty: core.appliedFan, steadyReached: core.machine.steadyReached,
        warmUpFromStart: core.warmUpFromStart, storageFaults: core.storage.current(),
      }) !== null;
    }
    case "compose":
      return core.compose(core.lastFrame, core.appliedHeater, core.appliedFan, false, "air") !== null;
    case "emit":
      core.events.emit({ type: "tick", snapshot: core.latest });
      return 0;
    case "actuate":
      core.options.actuators.apply({ heaterDuty: core.appliedHeater, fanDuty: core.appliedFan, humidifierOn: false }, now);
      return 0;
    case "timer":
      b.time.after(10, () => {});
      b.time.advance(20);
      return 0;
    case "trend":
      b.logs.trend.addTick(core.latest);
      return 0;
    case "events":
      (b.logs.events as any).onEvent?.({ type: "tick", snapshot: core.latest });
      return 0;
    case "sessions":
      return 0;
    case "coreTick":
      core.tick({ index: 0, dueMs: now, startMs: now, elapsedMs: 1000 });
      return 0;
    case "advance":
      b.time.advance(1000);
      return 0;
    case "sample1s":
      b.time.spend(1000);
      return core.options.sensors.sample(now + 1000) !== null;
    case "alarms1s":
      b.time.spend(1000);
      return part(b, "alarms");
    case "advance50":
      b.time.advance(50);
      return 0;
  }
}
