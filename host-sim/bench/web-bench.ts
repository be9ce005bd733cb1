// The bedside app's figures: each built file's size (raw and gzip) against the 60 kB
// budget, and how long it takes to load on loopback from `npm start`: the files over
// HTTP, and in Debian's chromium from navigation to the first live reading shown, with a
// cold cache and revalidated (ETag, 304).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUDGET_GZIP_BYTES, buildWeb } from "../../web/build";
import { runIfMain, type BenchRow, formatRows } from "./bench-row";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function withHost<T>(run: (url: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "incunest-web-bench-"));
  const child = spawn(process.execPath, ["--import", "tsx", "host-sim/main.ts", "--port", "0", "--no-auth", "--quiet", "--state", join(dir, "state.json")], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stdout!.on("data", (c: Buffer) => {
        text += c.toString();
        const m = /bedside app\s+(http:\/\/\S+\/)/.exec(text);
        if (m) resolve(m[1]);
      });
      child.once("exit", (code) => reject(new Error(`npm start exited (${code}) before serving`)));
    });
    return await run(url);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runWebBench(): Promise<BenchRow[]> {
  const assets = await buildWeb();
  const rows: BenchRow[] = assets.map((a) => ({ metric: `size ${a.path}`, value: a.length, unit: "B gzip", detail: `${a.rawLength} B before gzip (level 9)` }));
  const total = assets.reduce((n, a) => n + a.length, 0);
  rows.push({ metric: "size, all files", value: total, unit: "B gzip", detail: `budget ${BUDGET_GZIP_BYTES} B (${((100 * total) / BUDGET_GZIP_BYTES).toFixed(0)} % used)` });

  await withHost(async (url) => {
    const fetchAll = async (): Promise<number> => {
      const t0 = performance.now();
      await Promise.all(assets.map(async (a) => (await fetch(new URL(a.path, url), { headers: { "accept-encoding": "gzip" } })).arrayBuffer()));
      return performance.now() - t0;
    };
    await fetchAll();
    const http: number[] = [];
    for (let i = 0; i < 20; i++) http.push(await fetchAll());
    rows.push({ metric: "HTTP GET of every file", value: Number(median(http).toFixed(2)), unit: "ms", detail: "loopback, Node fetch, in parallel, median of 20" });

    if (!existsSync(CHROMIUM)) {
      rows.push({ metric: "page load in chromium", value: 0, unit: "-", detail: `${CHROMIUM} missing: not measured` });
      return;
    }
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    try {
      const cold: number[] = [], warm: number[] = [], dcl: number[] = [];
      for (let i = 0; i < 5; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        let t0 = performance.now();
        await page.goto(url);
        await page.waitForSelector('body[data-stale="false"]');
        cold.push(performance.now() - t0);
        // A string: this file is checked without the DOM's types.
        dcl.push(Number(await page.evaluate('(() => { const n = performance.getEntriesByType("navigation")[0]; return n.domContentLoadedEventEnd - n.startTime; })()')));
        t0 = performance.now();
        await page.reload();
        await page.waitForSelector('body[data-stale="false"]');
        warm.push(performance.now() - t0);
        await context.close();
      }
      rows.push({ metric: "page load to DOMContentLoaded", value: Number(median(dcl).toFixed(1)), unit: "ms", detail: "chromium, cold cache, 1280x800, median of 5" });
      rows.push({ metric: "page load to first live reading", value: Number(median(cold).toFixed(1)), unit: "ms", detail: "chromium, cold cache: files, script, /ws open, first sensor_update drawn; median of 5" });
      rows.push({ metric: "reload to first live reading", value: Number(median(warm).toFixed(1)), unit: "ms", detail: "chromium, files revalidated by ETag (304); median of 5" });
    } finally {
      await browser.close();
    }
  });
  return rows;
}

runIfMain(import.meta.url, runWebBench, (rows) => console.log(formatRows("Bedside app (web/): sizes and load time on loopback", rows)));
