// host-sim's server on 127.0.0.1 (ephemeral port) serving the Indigo feeds in
// front of the simulated incubator (physical plant model) on simulated time.
import { startServer, type HostServer } from "../../../host-sim/server";
import { SimTime } from "../../../host-sim/sim-time";
import { SimulatedIncubator } from "../../../host-sim/simulated-incubator";
import type { IndigoFeeds } from "../../../src/protocol/indigo/feeds";

export const INDIGO_KEY = "indigo-test-key-7d1e";

export interface IndigoFixture {
  readonly server: HostServer;
  readonly sim: SimulatedIncubator;
  readonly feeds: IndigoFeeds;
  /** ws://127.0.0.1:port */
  readonly baseUrl: string;
  /** Runs `seconds` of simulated time, one control tick per second. */
  run(seconds: number): void;
  close(): Promise<void>;
}

export async function indigoFixture(): Promise<IndigoFixture> {
  const time = new SimTime();
  const sim = new SimulatedIncubator({ time });
  sim.incubator.start();
  const server = await startServer({
    api: sim.incubator,
    host: "127.0.0.1",
    port: 0,
    apiKey: INDIGO_KEY,
    clock: time,
    timers: time,
    wall: time,
    closeGraceMs: 300,
    // Moddable's lin socket: a 12 kB refresh goes out through a 1 kB window.
    sendWindow: 1024,
    log: () => {},
  });
  const feeds = server.feeds;
  return {
    server,
    sim,
    feeds,
    baseUrl: `ws://127.0.0.1:${server.port}`,
    run: (seconds) => {
      for (let i = 0; i < seconds; i++) time.advance(1000);
    },
    close: async () => {
      await server.close();
      sim.incubator.stop();
    },
  };
}
