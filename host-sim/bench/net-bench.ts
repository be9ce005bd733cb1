// The server's own cost (src/net): on Moddable's XS engine through xsnap, the compute
// meter of parsing a frame, of a frame in and its answer out, of a 12 kB frame through a
// 1 kB send window, of a keep-alive HTTP request, and the heap each open connection
// holds; on Node over real loopback sockets, frames and requests per second.
//
// Run alone: npx tsx host-sim/bench/net-bench.ts
import { connect } from "node:net";
import { WebSocket } from "ws";
import { startServer } from "../server";
import { runIfMain, type BenchRow } from "./bench-row";
import { DEVICE_SLOT_BYTES, startXS } from "../xs/run-on-xs";
import { toyIncubator } from "../../tests/support/toy-incubator";

const ENTRY = "host-sim/bench/entries/net-server.ts";

async function xsRows(calls: number): Promise<BenchRow[]> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "setup" });
    const mean = async (op: string) => {
      let total = 0;
      for (let i = 0; i < calls; i++) {
        const noop = await xs.call({ op: "noop" });
        const work = await xs.call({ op });
        total += work.meterCompute - noop.meterCompute;
      }
      return Math.round(total / calls);
    };
    const rows: BenchRow[] = [
      { metric: "XS: parse one client frame", value: await mean("parse"), unit: "compute meter", detail: "15-byte masked text frame through the receiver alone (unmask, UTF-8 check, decode)" },
      { metric: "XS: one frame in, its answer out", value: await mean("roundtrip"), unit: "compute meter", detail: '{"type":"ping"} over /ws: socket read, frame, router, session, pong encoded and written' },
      { metric: "XS: one sensor_update to 4 clients", value: await mean("fanout"), unit: "compute meter", detail: "a 262-byte text sent on 4 connections (native UTF-8: encoded once), framed and written: the server's share of a tick" },
      { metric: "XS: one 12 kB frame through a 1 kB window", value: await mean("send12k"), unit: "compute meter", detail: "native UTF-8 encoder (TextEncoder), written in 12 pieces as the window drains" },
      { metric: "XS: one keep-alive GET /status.json", value: await mean("http"), unit: "compute meter", detail: "request read, key checked, route, snapshot JSON, response written" },
      { metric: "XS: one WebSocket connection, open to close", value: await mean("handshake"), unit: "compute meter", detail: "accept, upgrade request read and checked, SHA-1 accept key, 101, router and session, peer hangs up" },
    ];
    // Heap per connection: open n of each, minus what n bare scripted sockets (the test
    // binding, not the server) take.
    const n = 8;
    const heap = async () => ({ slots: (await xs.call({ op: "noop" })).heapSlots, bytes: await xs.snapshotBytes() });
    const h0 = await heap();
    await xs.call({ op: "bare", count: n });
    const h1 = await heap();
    await xs.call({ op: "open", kind: "ws", count: n });
    const h2 = await heap();
    await xs.call({ op: "open", kind: "http", count: n });
    const h3 = await heap();
    const per = (a: { slots: number; bytes: number }, b: { slots: number; bytes: number }) => ({
      slots: Math.round(((b.slots - a.slots - (h1.slots - h0.slots)) * DEVICE_SLOT_BYTES) / n),
      all: Math.round((b.bytes - a.bytes - (h1.bytes - h0.bytes)) / n),
    });
    const ws = per(h1, h2);
    const http = per(h2, h3);
    rows.push(
      { metric: "XS heap per open /ws connection", value: ws.slots, unit: "bytes", detail: `slots × ${DEVICE_SLOT_BYTES} B (ESP32), mean of ${n} idle /ws clients, socket binding excluded; slots and chunks in the 64-bit snapshot: ${ws.all} B` },
      { metric: "XS heap per open HTTP socket", value: http.slots, unit: "bytes", detail: `slots × ${DEVICE_SLOT_BYTES} B, mean of ${n} sockets waiting for a request; with chunks (64-bit): ${http.all} B` },
    );
    return rows;
  } finally {
    await xs.close();
  }
}

async function nodeRows(seconds: number): Promise<BenchRow[]> {
  const toy = toyIncubator();
  toy.incubator.start();
  toy.run(3);
  const key = "bench-key";
  const server = await startServer({ api: toy.incubator, port: 0, apiKey: key, clock: toy.time, timers: toy.time, wall: toy.time, limits: { ratePerSecond: 1e9, rateBurst: 1e9 }, log: () => {} });
  try {
    // Frames: one client, 32 pings in flight, for `seconds`.
    const ws = new WebSocket(`${server.wsUrl}?api-key=${key}`);
    await new Promise((r) => ws.once("open", r));
    let pongs = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      ws.on("message", () => {
        pongs++;
        if (performance.now() - t0 < seconds * 1000) ws.send('{"type":"ping"}');
        else resolve();
      });
      for (let i = 0; i < 32; i++) ws.send('{"type":"ping"}');
    });
    const frameRate = pongs / ((performance.now() - t0) / 1000);
    ws.close();
    // HTTP: one keep-alive connection, requests one after the other.
    const socket = connect(server.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    const request = `GET /status.json HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`;
    let answers = 0;
    let buffered = "";
    const t1 = performance.now();
    await new Promise<void>((resolve) => {
      socket.on("data", (d) => {
        buffered += d.toString("latin1");
        let end: number;
        while ((end = buffered.indexOf("\r\n\r\n")) >= 0) {
          const length = Number(/Content-Length: (\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
          if (buffered.length < end + 4 + length) break;
          buffered = buffered.slice(end + 4 + length);
          answers++;
          if (performance.now() - t1 < seconds * 1000) socket.write(request);
          else return resolve();
        }
      });
      socket.write(request);
    });
    const httpRate = answers / ((performance.now() - t1) / 1000);
    socket.destroy();
    return [
      { metric: "Node: /ws frames in and answered", value: Math.round(frameRate), unit: "frames/s", detail: `one client, 32 pings in flight, loopback, 8 kB window, ${seconds} s` },
      { metric: "Node: keep-alive HTTP requests", value: Math.round(httpRate), unit: "requests/s", detail: `GET /status.json one after the other on one connection, ${seconds} s` },
    ];
  } finally {
    await server.close();
    toy.incubator.stop();
  }
}

/** The 12 kB send with the script UTF-8 encoder (a device build without "text/encoder"). */
async function scriptSendRow(calls: number): Promise<BenchRow> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "setup", script: true });
    let total = 0;
    for (let i = 0; i < calls; i++) {
      const noop = await xs.call({ op: "noop" });
      total += (await xs.call({ op: "send12k" })).meterCompute - noop.meterCompute;
    }
    return { metric: "XS: the same 12 kB frame, script UTF-8 encoder", value: Math.round(total / calls), unit: "compute meter", detail: "without a native encoder: UTF-8 length and encoding in the script, piece by piece, never whole" };
  } finally {
    await xs.close();
  }
}

export async function runNetBench(options: { xsCalls?: number; seconds?: number } = {}): Promise<BenchRow[]> {
  const calls = options.xsCalls ?? 20;
  const xs = await xsRows(calls);
  xs.splice(4, 0, await scriptSendRow(Math.min(calls, 5)));
  return [...xs, ...(await nodeRows(options.seconds ?? 2))];
}

runIfMain(import.meta.url, () => runNetBench());
