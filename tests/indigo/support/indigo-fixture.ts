// host-sim's WebSocket server on 127.0.0.1 (ephemeral port) serving the Indigo feeds in
// front of the simulated incubator (physical plant model) on simulated time.
import { startWsServer, type WsServer } from "../../../host-sim/ws-server";
import { SimTime } from "../../../host-sim/sim-time";
import { SimulatedIncubator } from "../../../host-sim/simulated-incubator";
import { IndigoFeeds } from "../../../src/protocol/indigo/feeds";

export const INDIGO_KEY = "indigo-test-key-7d1e";

export interface IndigoFixture {
  readonly server: WsServer;
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
  const feeds = new IndigoFeeds(sim.incubator);
  const server = await startWsServer({
    api: sim.incubator,
    endpoints: [feeds],
    host: "127.0.0.1",
    port: 0,
    apiKey: INDIGO_KEY,
    clock: time,
    timers: time,
    wall: time,
    closeGraceMs: 300,
    log: () => {},
  });
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
      feeds.dispose();
      sim.incubator.stop();
    },
  };
}
