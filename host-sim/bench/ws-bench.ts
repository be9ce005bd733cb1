// /ws bench: what a command costs a client in time, what a sensor_update costs on the
// wire, and what the protocol's work costs on the device's engine.
//
//  - command round trip (send → command_response received), p50/p99, over a real
//    loopback WebSocket to host-sim's server with 1 client and with the maximum number of
//    clients (all subscribed to "all", each sending commands in a closed loop), while the
//    real Incubator ticks 10 times per real second and its sensor_updates flow to every
//    client. The message rate limit is lifted for this (it would otherwise be what is
//    measured); every other limit is on.
//  - bytes per sensor_update: UTF-8 payload and on the wire (plus the WebSocket frame
//    header), over a warm-up from cold (the longest numbers) on the toy plant.
//  - XS compute meter (Moddable's engine, through xsnap) of encoding one sensor_update and
//    of handling one set_temperature frame (router + session + core + response), each
//    minus the metered cost of an empty call.
//
// Run alone: npx tsx host-sim/bench/ws-bench.ts
import { runIfMain, type BenchRow } from "./bench-row";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { encodeSensorUpdate } from "../../src/protocol/incunest/messages";
import { DEFAULT_LIMITS } from "../../src/net/limits";
import { TestClient } from "../../tests/support/ws-fixture";
import { toyIncubator } from "../../tests/support/toy-incubator";
import { startXS } from "../xs/run-on-xs";
import { startServer } from "../server";

export type WsBenchRow = BenchRow;

export interface WsBenchOptions {
  /** Commands per client measured (after a warm-up of 50). */
  readonly commands?: number;
  /** Calls averaged for the XS meter. */
  readonly xsCalls?: number;
  readonly skipXS?: boolean;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function roundTrips(clients: number, commands: number): Promise<number[]> {
  const toy = toyIncubator();
  toy.incubator.start();
  void toy.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
  const key = "bench-key";
  const server = await startServer({
    api: toy.incubator,
    port: 0,
    apiKey: key,
    clock: toy.time,
    timers: toy.time,
    wall: toy.time,
    limits: { rateBurst: 1e9, ratePerSecond: 1e9, maxConnections: DEFAULT_LIMITS.maxConnections },
    log: () => {},
  });
  const ticker = setInterval(() => toy.run(1), 100);
  const samples: number[] = [];
  const connected: TestClient[] = [];
  try {
    for (let i = 0; i < clients; i++) {
      const c = await TestClient.connect(`${server.wsUrl}?api-key=${key}`);
      c.send({ type: "subscribe", channel: "all" });
      connected.push(c);
    }
    await Promise.all(
      connected.map(async (c, ci) => {
        for (let n = 0; n < commands + 50; n++) {
          const id = `c${ci}_${n}`;
          const from = c.messages.length;
          const t0 = performance.now();
          c.send({ type: "command", command_id: id, action: "set_temperature", data: { setpoint: n % 2 ? 36.5 : 36.0 } });
          const r = await c.next((m) => m.type === "command_response" && m.data.command_id === id, from, 10_000);
          const dt = performance.now() - t0;
          if (!r.data.success) throw new Error(`command refused: ${r.data.message}`);
          if (n >= 50) samples.push(dt);
          // The client keeps only what is still to come.
          c.messages.length = 0;
        }
      }),
    );
  } finally {
    clearInterval(ticker);
    for (const c of connected) c.close();
    await server.close();
    toy.incubator.stop();
  }
  return samples.sort((a, b) => a - b);
}

function sensorUpdateBytes(ticks: number): { mean: number; min: number; max: number; wire: number } {
  const toy = toyIncubator();
  toy.incubator.start();
  void toy.incubator.execute("set_state", { state: "start" }, { via: "local", client: "bench" });
  let total = 0;
  let wire = 0;
  let min = Infinity;
  let max = 0;
  for (let t = 0; t < ticks; t++) {
    toy.run(1);
    const bytes = Buffer.byteLength(encodeSensorUpdate(toy.incubator.snapshot()), "utf8");
    total += bytes;
    // Server frames are unmasked: 2 header bytes up to 125, 4 up to 65535.
    wire += bytes + (bytes < 126 ? 2 : 4);
    min = Math.min(min, bytes);
    max = Math.max(max, bytes);
  }
  toy.incubator.stop();
  return { mean: total / ticks, min, max, wire: wire / ticks };
}

const ENTRY = fileURLToPath(new URL("./entries/ws-protocol.ts", import.meta.url));

async function measureXS(calls: number, clients: number): Promise<{ encode: number; command: number }> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "setup", clients, warmupS: 120 });
    let encode = 0;
    let command = 0;
    for (let i = 0; i < calls; i++) {
      await xs.call({ op: "advance" }); // a tick, and a second of tokens for the rate limit
      const noop = await xs.call({ op: "noop" });
      const e = await xs.call({ op: "encode" });
      const c = await xs.call<{ ok: boolean }>({ op: "command" });
      if (!c.results.ok) throw new Error("the XS command was not accepted");
      encode += e.meterCompute - noop.meterCompute;
      command += c.meterCompute - noop.meterCompute;
    }
    return { encode: encode / calls, command: command / calls };
  } finally {
    await xs.close();
  }
}

export async function runWsBench(options: WsBenchOptions = {}): Promise<WsBenchRow[]> {
  const commands = options.commands ?? 500;
  const rows: WsBenchRow[] = [];
  const max = DEFAULT_LIMITS.maxConnections;
  for (const clients of [1, max]) {
    const s = await roundTrips(clients, commands);
    // p99 on a shared machine mostly measures the scheduler: the load is part of the figure.
    const detail = `${clients} client${clients > 1 ? "s" : ""} subscribed to all, ${s.length} commands, loopback, ticks at 10/s; load avg ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
    rows.push({ metric: `/ws command round trip p50, ${clients} client${clients > 1 ? "s" : ""}`, value: Math.round(percentile(s, 50) * 1000) / 1000, unit: "ms", detail });
    rows.push({ metric: `/ws command round trip p99, ${clients} client${clients > 1 ? "s" : ""}`, value: Math.round(percentile(s, 99) * 1000) / 1000, unit: "ms", detail });
  }
  const b = sensorUpdateBytes(1800);
  rows.push({ metric: "/ws sensor_update payload", value: Math.round(b.mean * 10) / 10, unit: "bytes", detail: `mean of 1800 ticks from cold start (min ${b.min}, max ${b.max})` });
  rows.push({ metric: "/ws sensor_update on the wire", value: Math.round(b.wire * 10) / 10, unit: "bytes", detail: "payload + WebSocket frame header; ×1 per subscribed client per tick" });
  if (!options.skipXS) {
    const calls = options.xsCalls ?? 20;
    const x = await measureXS(calls, max);
    rows.push({ metric: "XS: encode one sensor_update", value: Math.round(x.encode), unit: "compute meter", detail: `mean of ${calls} heating ticks` });
    rows.push({ metric: "XS: handle one command (set_temperature)", value: Math.round(x.command), unit: "compute meter", detail: `router + parse + core + command_response, ${max} clients connected, mean of ${calls}` });
  }
  return rows;
}

runIfMain(import.meta.url, () => runWsBench());
