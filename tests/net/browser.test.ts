// A real browser (Debian's chromium, headless, driven by playwright-core) against the
// real server: the open page at /, the status page behind Basic auth (the key as
// password), a WebSocket from the page with the key in the query, as the bedside app
// will use them.
import { strict as assert } from "node:assert";
import { chromium, type Browser } from "playwright-core";
import { startServer, type HostServer } from "../../host-sim/server";
import { toyIncubator } from "../support/toy-incubator";

const KEY = "browser-key-2718";

describe("a real browser (chromium) against the server", function () {
  this.timeout(60_000);
  const toy = toyIncubator();
  let server: HostServer;
  let browser: Browser;

  before(async () => {
    toy.incubator.start();
    toy.run(2);
    server = await startServer({ api: toy.incubator, port: 0, apiKey: KEY, clock: toy.time, timers: toy.time, wall: toy.time, sendWindow: 1024, log: () => {} });
    // playwright gives every launch a fresh profile of its own (it refuses --user-data-dir
    // with launch(); separate contexts are needed for with and without credentials).
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    toy.incubator.stop();
  });

  it("opens / without the key, is asked for it at /status, and shows the status with it (Basic auth, the key as password)", async () => {
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    const open = await page.goto(server.url);
    assert.equal(open?.status(), 200);
    assert.match(await page.textContent("h1") ?? "", /IncuNest incubator/);
    // Without credentials /status asks for them (401 + Basic challenge): headless chromium
    // turns the prompt into a failed navigation, which is what is checked here.
    await assert.rejects(page.goto(new URL("/status", server.url).href), /ERR_INVALID_AUTH_CREDENTIALS/);
    await anonymous.close();
    const nurse = await browser.newContext({ httpCredentials: { username: "nurse", password: KEY } });
    const status = await nurse.newPage();
    const shown = await status.goto(new URL("/status", server.url).href);
    assert.equal(shown?.status(), 200);
    assert.match(await status.content(), /<th>State<\/th><td>STANDBY<\/td>/);
    await nurse.close();
  });

  it("talks to /ws from a page with the key in the query, and gets the close code without it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    const result = await page.evaluate(
      ([base, key]) =>
        new Promise<{ pong: string; refused: number }>((resolve, reject) => {
          const ws = new WebSocket(`${base}?api-key=${key}`);
          ws.onopen = () => ws.send(JSON.stringify({ type: "ping" }));
          ws.onerror = () => reject(new Error("WebSocket error"));
          ws.onmessage = (m) => {
            const pong = JSON.parse(m.data).type;
            ws.close();
            const bare = new WebSocket(base);
            bare.onclose = (e) => resolve({ pong, refused: e.code });
          };
        }),
      [server.wsUrl, KEY],
    );
    assert.deepEqual(result, { pong: "pong", refused: 4000 });
    await context.close();
  });
});
