import { startXS } from "../xs/run-on-xs";
const xs = await startXS("host-sim/bench/entries/firmware-ticks.ts");
await xs.call({op:"setup"});
await xs.call({op:"advance",seconds:3600});
const clients = process.argv.slice(2);
for (const c of clients) await xs.call({op:"connect",client:c});
let prev = (await xs.call({op:"noop"})).heapSlots;
const e = await xs.call({op:"noop"}); const empty = e.slotsBeforeCollection - prev; prev = e.heapSlots;
for (const p of ["tick","tick","sample","plant","alarms","compose","actuate","timer","trend","emit","coreTick","advance","tick","advance50","sample1s","sample1s","alarms1s","alarms1s"]) {
  const r = await xs.call(p === "tick" ? {op:"tick"} : {op:"part",part:p});
  console.log(p.padEnd(10), String(r.slotsBeforeCollection - prev - empty).padStart(6), String(r.meterCompute - e.meterCompute).padStart(8));
  prev = r.heapSlots;
}
await xs.close();
