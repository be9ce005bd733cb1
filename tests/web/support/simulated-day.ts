// A simulated day written into a state folder the way `npm start` writes it: the firmware
// core on simulated time (the physical model, the real drivers on the simulated board),
// the host's trend and event logs in their file beside the settings file. `npm start`
// on that folder then serves the day from its trend log, and the browser shows it.
import { join } from "node:path";
import { persistSettingsTo } from "../../../src/core/boot-records";
import { openHostStorage } from "../../../host-sim/host-storage";
import { openHostLogs } from "../../../host-sim/logs-and-rest";
import { SimTime } from "../../../host-sim/sim-time";
import { SimulatedIncubator } from "../../../host-sim/simulated-incubator";
import { TEST_ORIGIN } from "../../support/origin";

export interface SimulatedDay {
  /** Epoch seconds of the first and last minute logged. */
  readonly fromS: number;
  readonly toS: number;
  readonly stateFile: string;
}

/** Runs `hours` of therapy (from a cold start at 36 °C) ending about a minute ago. */
export async function simulateDay(stateDir: string, hours = 24): Promise<SimulatedDay> {
  const stateFile = join(stateDir, "state.json");
  const durationMs = hours * 3600_000;
  const time = new SimTime(Date.now() - durationMs - 60_000);
  const { records, boot } = openHostStorage({ stateFile });
  const logs = openHostLogs({ stateFile, records, timers: time, wall: time, onStorageFault: (m) => {
    throw new Error(m);
  } });
  const sim = new SimulatedIncubator({
    time,
    calibration: logs.settings.calibration,
    settings: boot.settings,
    persist: persistSettingsTo(records),
    hardware: "direct",
  });
  logs.logs.attach(sim.incubator);
  sim.incubator.start();
  const started = await sim.incubator.execute("set_state", { state: "start" }, TEST_ORIGIN);
  if (!started.success) throw new Error(`start: ${started.message}`);
  const fromS = Math.floor(time.epochMs() / 1000);
  for (let ms = 0; ms < durationMs; ms += 60_000) {
    time.advance(60_000);
    // Let the stored-settings promises and the log's after-tick writes run.
    if (ms % 3600_000 === 0) await new Promise((r) => setImmediate(r));
  }
  sim.incubator.stop();
  logs.logs.shutdown("simulated day over", "shutdown");
  return { fromS, toS: Math.floor(time.epochMs() / 1000), stateFile };
}
