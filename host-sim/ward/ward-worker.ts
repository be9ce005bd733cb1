// One worker thread of the ward: a BedGroup, driven by messages from the ward runner.
import { parentPort, workerData } from "node:worker_threads";
import { BedGroup, type BedGroupOptions } from "./bed-group";

export type WorkerRequest =
  | { readonly type: "fault"; readonly bed: number; readonly spec: string }
  | { readonly type: "kill"; readonly bed: number }
  | { readonly type: "stats"; readonly id: number }
  | { readonly type: "stop" };

const port = parentPort!;
const group = await BedGroup.start(workerData as BedGroupOptions);
port.postMessage({ type: "ready", beds: group.info });
const flush = setInterval(() => {
  if (group.publishes.length || group.events.length) {
    port.postMessage({ type: "trace", publishes: group.publishes.splice(0), events: group.events.splice(0) });
  }
}, 250);
port.on("message", async (m: WorkerRequest) => {
  try {
    if (m.type === "fault") group.fault(m.bed, m.spec);
    else if (m.type === "kill") group.kill(m.bed);
    else if (m.type === "stats") {
      port.postMessage({ type: "stats", id: m.id, links: group.linkStates(), droppedEvents: group.droppedEvents(), cpu: process.cpuUsage() });
    } else if (m.type === "stop") {
      clearInterval(flush);
      port.postMessage({ type: "trace", publishes: group.publishes.splice(0), events: group.events.splice(0) });
      await group.stop();
      port.postMessage({ type: "stopped" });
      port.close();
    }
  } catch (error) {
    port.postMessage({ type: "error", message: (error as Error).message });
  }
});
