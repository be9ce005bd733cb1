// Entry of the 32-bit XS heap census (tools/xst32/census.sh; another checkout measured gets
// this file copied in for the run). The composition of host-sim/bench/entries/firmware-ticks.ts (the firmware as
// src/device/main.ts makes it: core, alarms, records, trend and event logs, the one server
// with /ws, the Indigo feeds and the REST API, on the simulated board and simulated time,
// clients scripted over byte sockets), with two changes for a heap census:
//   - the log store is an erased flash that keeps nothing in RAM (the bench's MemoryLogStore
//     holds the partition's 448 KB in a Uint8Array; on the ESP32 that is flash);
//   - the bench's second incubator model and its stub-bus drivers are left out.
// run({op:"setup"})          boots, 5 s, starts therapy (completes in the promise jobs after)
// run({op:"advance", seconds}) that many 1-s ticks with no client
// run({op:"connect"})        the soak's four clients: /ws Python, /ws JavaScript, REST poller
//                            (GET / once), Indigo device feed
// run({op:"soak", seconds})  that many ticks; the REST poller GETs /api/status and
//                            /api/sensors/history every 5 s
// run({op:"status"})         state, seconds, bytes each client received (-1: closed by server)
import { LOG_STORE_BLOCKS } from "../../../src/logs/log-layout";
import { ERASED, type LogStore } from "../../../src/logs/log-store";
import { BenchFirmware } from "../bench-firmware";

/** Flash that reads erased and forgets what is written: no RAM for the partition. */
class ErasedFlash implements LogStore {
  writes = 0;
  erases = 0;
  constructor(readonly blockSize: number, readonly blockCount: number) {}
  read(_offset: number, into: Uint8Array): void {
    into.fill(ERASED);
  }
  write(_offset: number, _bytes: Uint8Array): void {
    this.writes++;
  }
  erase(_block: number): void {
    this.erases++;
  }
  sync(): void {}
}

class Census extends BenchFirmware {
  readonly flashLog: ErasedFlash;

  constructor(flashLog = new ErasedFlash(4096, LOG_STORE_BLOCKS)) {
    super(flashLog);
    this.flashLog = flashLog;
  }

  /** The soak's four clients, in the order the soak connects them. */
  connectAll(): void {
    this.connect("python");
    this.connect("js");
    this.connect("rest");
    this.poll("page");
    this.connect("indigo");
  }
}

let census: Census | null = null;

function need(): Census {
  if (census === null) throw new Error("call {op:'setup'} first");
  return census;
}

export function run(input: { op: string; seconds?: number }): unknown {
  switch (input.op) {
    case "setup": {
      census = new Census();
      return census.startTherapy("census");
    }
    case "advance": {
      const c = need();
      for (let s = 0; s < (input.seconds ?? 0); s++) c.tick();
      return c.incubator.snapshot().state;
    }
    case "connect":
      need().connectAll();
      return need().server.router.connectionCount;
    case "soak": {
      const c = need();
      for (let s = 0; s < (input.seconds ?? 0); s++) {
        c.tick();
        if (c.second % 5 === 0) {
          c.poll("status");
          c.poll("history");
        }
      }
      return c.incubator.snapshot().state;
    }
    case "status": {
      const c = need();
      return {
        state: c.incubator.snapshot().state,
        second: c.second,
        connections: c.server.router.connectionCount,
        received: c.clients.map((w) => (w.socket.closedByServer ? -1 : w.socket.bytesWritten)),
        rest: c.restBytes,
        restConnections: c.restConnections + (c.rest ? 1 : 0),
        flashWrites: c.flashLog.writes,
      };
    }
  }
  throw new Error(`unknown op ${input.op}`);
}
