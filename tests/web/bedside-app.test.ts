// The bedside app in a real browser: Debian's chromium (playwright-core) against
// `npm start` (host-sim/main.ts) on simulated time, with the seed's /ws protocol checked
// by a second client. Screenshots of each state go to test-results/web/.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import type { Page } from "playwright-core";
import { buildWeb } from "../../web/build";
import { TestClient, type Envelope } from "../support/ws-fixture";
import { HOST_KEY, removeStateDir, startHost, tempStateDir, type AppHost } from "./support/app-host";
import { simulateDay, type SimulatedDay } from "./support/simulated-day";
import { axeViolations, LAYOUTS, launchBrowser, type Layout, type Scheme, type TestBrowser } from "./support/browser";

// The server has 3 HTTP sockets (as on the ESP32); the page's kept-alive ones give their
// place to a newcomer at once, but one that finds all three mid-request is answered 503
// with Retry-After, and retries as any integration should.
const CURL_RETRYING = ["-sS", "--retry", "4", "--retry-max-time", "30"];
const EVERY_LAYOUT: Array<[Layout, Scheme]> = (Object.keys(LAYOUTS) as Layout[]).flatMap((l) => [[l, "light"], [l, "dark"]] as Array<[Layout, Scheme]>);

/** Opens the app and enters the key if asked (this browser profile keeps it once given;
 *  `mustAsk`: it has to be asked, as on a first visit). */
async function openApp(page: Page, url: string, mustAsk = false): Promise<void> {
  if (mustAsk) {
    // The browser profile is shared by the tests, and a new server may get the port (so
    // the origin, so the stored key) of an earlier one: a first visit starts with none.
    // Cleared from a page of the same origin where the app does not run (the 401 of
    // /status.json, whose Bearer challenge the browser does not prompt for):
    // cleared under the running app, the app could store the key again before a reload.
    await page.goto(`${url}status.json`);
    await page.evaluate(() => localStorage.clear());
  }
  await page.goto(url);
  // Whichever comes first; the other wait is left to time out quietly.
  const asked = await Promise.race([
    page.waitForSelector("#d-key[open]", { timeout: 15_000 }).then(() => true, () => null),
    page.waitForSelector('#link[data-link="open"]', { timeout: 15_000 }).then(() => false, () => null),
  ]);
  assert.notEqual(asked, null, "neither asked for the key nor connected within 15 s");
  assert.ok(asked || !mustAsk, "the app asks for the key on a first visit");
  if (asked) {
    await page.fill("#in-key", HOST_KEY);
    await page.press("#in-key", "Enter");
  }
  await page.waitForSelector('#link[data-link="open"]', { timeout: 15_000 });
  await page.waitForSelector('body[data-stale="false"]', { timeout: 15_000 });
}

/** Three slow clients, each in the middle of a request: they take the place of the page's
 *  kept-alive sockets, and a fourth socket is refused (checked with curl) until `release`
 *  ends their requests; it resolves to their status lines. */
async function holdEverySocket(host: AppHost): Promise<{ release(): Promise<string[]> }> {
  const slow: Array<{ socket: Socket; reply: Promise<string> }> = [];
  // One may find the page's sockets mid-request, or just opened, and be refused: it tries again.
  for (let tries = 0; slow.length < 3; tries++) {
    assert.ok(tries < 20, `${slow.length} of 3 slow clients got in`);
    const socket = connect(host.port, "127.0.0.1");
    const reply = new Promise<string>((resolve) => {
      let got = "";
      socket.on("data", (d) => (got += d.toString())).on("close", () => resolve(got)).on("error", () => resolve(got));
    });
    socket.write("GET /status.json HTTP/1.1\r\nHost: incubator\r\n");
    const shut = await Promise.race([reply.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300))]);
    if (!shut) slow.push({ socket, reply });
  }
  const refused = execFileSync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", `Authorization: Bearer ${HOST_KEY}`, `${host.url}api/status`], { encoding: "utf8" });
  assert.equal(refused, "503", "a fourth socket is refused while the three are mid-request");
  return {
    async release() {
      for (const s of slow) s.socket.end("Connection: close\r\n\r\n");
      return (await Promise.all(slow.map((s) => s.reply))).map((r) => r.split("\r\n")[0]);
    },
  };
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector))?.trim() ?? "";
}

async function connectClient(host: AppHost): Promise<TestClient> {
  const client = await TestClient.connect(`${host.url.replace("http", "ws")}ws?api-key=${HOST_KEY}`);
  client.send({ type: "subscribe", channel: "all" });
  return client;
}

async function commandOn(client: TestClient, action: string, data: Record<string, unknown>): Promise<Envelope["data"]> {
  const id = `test-${Math.random()}`;
  const from = client.messages.length;
  client.send({ type: "command", command_id: id, action, data });
  return (await client.next((m) => m.type === "command_response" && m.data.command_id === id, from, 10_000)).data;
}

describe("bedside app in chromium against npm start", function () {
  this.timeout(180_000);
  let browser: TestBrowser;

  before(async () => {
    await buildWeb();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  describe("live view and controls (--speed 4)", () => {
    let host: AppHost;
    const stateDir = tempStateDir();
    let client: TestClient;

    before(async () => {
      host = await startHost({ speed: 4, stateDir });
      client = await connectClient(host);
    });
    after(async () => {
      client?.close();
      await host?.stop();
      removeStateDir(stateDir);
    });

    it("serves the app gzip-compressed with an ETag, and 304 to curl revalidating it", () => {
      const headers = execFileSync("curl", ["-sS", "--compressed", "-D", "-", "-o", "/dev/null", host.url], { encoding: "utf8" });
      assert.match(headers, /^HTTP\/1\.1 200/);
      assert.match(headers, /^content-encoding: gzip\r$/im);
      const etag = /^etag: (".+")\r$/im.exec(headers)?.[1];
      assert.ok(etag, headers);
      const again = execFileSync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", `If-None-Match: ${etag}`, host.url], { encoding: "utf8" });
      assert.equal(again, "304");
      const js = execFileSync("curl", ["-sS", "--compressed", `${host.url}app.js`], { encoding: "utf8" });
      assert.match(js, /uPlot/, "the bundle carries the chart library");
    });

    it("asks for the key once (a wrong one again), keeps it out of the URL and HTML, shows values that change each second", async () => {
      const page = await browser.page("tablet", "light");
      await page.goto(host.url);
      await page.waitForSelector("#d-key[open]");
      await browser.shot(page, "key-tablet-light");
      await page.fill("#in-key", "not-the-key");
      await page.press("#in-key", "Enter");
      await page.waitForFunction(() => document.querySelector("#d-key")?.hasAttribute("open") && /refused/.test(document.querySelector("#d-key-why")?.textContent ?? ""));
      await page.fill("#in-key", HOST_KEY);
      await page.press("#in-key", "Enter");
      await page.waitForSelector('body[data-stale="false"]');

      const clocks: string[] = [];
      for (let i = 0; i < 3; i++) {
        clocks.push(await text(page, "#clock"));
        await page.waitForTimeout(1000);
      }
      assert.equal(new Set(clocks).size, 3, `the incubator clock moves each second: ${clocks}`);
      assert.match(clocks[0], /^\d\d:\d\d:\d\d$/);
      const latest = [...client.messages].reverse().find((m) => m.type === "sensor_update")!;
      const shown = Number(await text(page, "#air"));
      assert.ok(Math.abs(shown - latest.data.temperature.ambient) < 0.3, `air shown ${shown}, sent ${latest.data.temperature.ambient}`);
      assert.equal(await text(page, "#state"), "Standby");

      // Asked once: a reload connects with the kept key; the key is in no URL or markup.
      await page.reload();
      await page.waitForSelector('body[data-stale="false"]');
      assert.equal(await page.evaluate(() => document.querySelector("#d-key")!.hasAttribute("open")), false);
      assert.ok(!page.url().includes(HOST_KEY));
      assert.ok(!(await page.content()).includes(HOST_KEY));
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it("sends a setpoint change made on the page, which a second /ws client sees", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url);
      const from = client.messages.length;
      await page.fill("#in-temp", "36.5");
      await page.click("#f-temp button[type=submit]");
      await page.waitForSelector('#m-temp[data-kind="ok"]');
      const update = await client.next((m) => m.type === "sensor_update" && m.data.setpoint.temperature === 36.5, from, 10_000);
      assert.equal(update.data.setpoint.temperature, 36.5);
      await page.fill("#in-hum", "65");
      await page.press("#in-hum", "Enter");
      await page.waitForSelector('#m-hum[data-kind="ok"]');
      await client.next((m) => m.type === "sensor_update" && m.data.setpoint.humidity === 65, from, 10_000);
      await page.waitForFunction(() => document.querySelector("#hum-set")?.textContent === "65");
      await page.close();
    });

    it("asks before an air setpoint above 37 °C and sends it with the override", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url);
      await page.fill("#in-temp", "37.5");
      await page.click("#f-temp button[type=submit]");
      await page.waitForSelector("#d-confirm[open]");
      await browser.shot(page, "confirm-override-tablet-light");
      await page.click("#d-confirm-no");
      await page.waitForFunction(() => document.querySelector("#m-temp")?.textContent === "Not changed");
      const from = client.messages.length;
      await page.click("#f-temp button[type=submit]");
      await page.click("#d-confirm-yes");
      await page.waitForSelector('#m-temp[data-kind="ok"]');
      await client.next((m) => m.type === "sensor_update" && m.data.setpoint.temperature === 37.5, from, 10_000);
      assert.equal((await commandOn(client, "set_temperature", { setpoint: 36.5 })).success, true);
      await page.close();
    });

    it("shows the firmware's own refusal of an out-of-range setpoint where the user acted", async () => {
      const firmware = await commandOn(client, "set_temperature", { setpoint: 45 });
      assert.equal(firmware.success, false);
      const page = await browser.page("phone", "dark");
      await openApp(page, host.url);
      await page.fill("#in-temp", "45");
      await page.click("#f-temp button[type=submit]");
      await page.waitForSelector('#m-temp[data-kind="error"]');
      assert.equal(await text(page, "#m-temp"), `✗ ${firmware.message}`);
      await page.fill("#in-hum", "95");
      await page.click("#f-hum button[type=submit]");
      await page.waitForSelector('#m-hum[data-kind="error"]');
      assert.match(await text(page, "#m-hum"), /outside 30–85 %RH/);
      await browser.shot(page, "refused-phone-dark");
      await page.close();
    });

    it("starts therapy from the page and shows the warm-up", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url);
      await page.click("#b-start");
      await page.waitForSelector('#m-state[data-kind="ok"]');
      await page.waitForFunction(() => document.querySelector("#state")?.getAttribute("data-state") === "PREHEATING");
      await page.waitForFunction(() => Number(document.querySelector("#heater")?.textContent) > 0, undefined, { timeout: 15_000 });
      await page.close();
    });

    it("greys every value within 4 s when the server stops, and restores them when it restarts", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url);
      const port = host.port;
      client.close();
      const stoppedAt = Date.now();
      await host.stop();
      await page.waitForSelector('body[data-stale="true"]', { timeout: 4000 });
      const greyAfterMs = Date.now() - stoppedAt;
      assert.ok(greyAfterMs <= 4000, `grey after ${greyAfterMs} ms`);
      assert.match(await text(page, "#stale"), /^NO DATA since \d\d:\d\d:\d\d/);
      const air = await page.evaluate(() => getComputedStyle(document.querySelector("#air")!).color);
      assert.equal(air, "rgb(107, 114, 128)", "the reading is grey (--stale)");
      await page.waitForFunction(() => /retrying in/.test(document.querySelector("#link")?.textContent ?? ""), undefined, { timeout: 8000 });
      for (const [layout, scheme] of [["tablet", "light"], ["phone", "dark"]] as const) {
        await page.setViewportSize(LAYOUTS[layout]);
        await page.emulateMedia({ colorScheme: scheme });
        await browser.shot(page, `stale-${layout}-${scheme}`);
      }
      await page.setViewportSize(LAYOUTS.tablet);
      host = await startHost({ speed: 4, stateDir, port });
      await page.waitForSelector('body[data-stale="false"]', { timeout: 15_000 });
      assert.equal(await page.isHidden("#stale"), true);
      client = await connectClient(host);
      await page.close();
    });

    it("downloads the trend shown as CSV", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url);
      await page.waitForFunction(() => Number(/: (\d+) points/.exec(document.querySelector("#chart")?.getAttribute("aria-label") ?? "")?.[1]) >= 12, undefined, { timeout: 20_000 });
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
      assert.match(download.suggestedFilename(), /^incunest_\d{8}\d{6}_1h\.csv$/);
      const csv = readFileSync((await download.path())!, "utf8").trim().split("\r\n");
      assert.equal(csv[0], "timestamp,air_c,skin_c,humidity_rh,temp_setpoint_c,humidity_setpoint_rh,heater_pct,fan_pct,humidifier_pct,alarm");
      assert.ok(csv.length > 10, `${csv.length - 1} rows`);
      const times = csv.slice(1).map((row) => Date.parse(row.split(",")[0]));
      for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], "rows in time order");
      for (const row of csv.slice(1)) assert.equal(row.split(",").length, 10, row);
      await page.close();
    });

    it("shows the event log with where each change came from, and changes calibration in settings with the firmware's answers", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url);
      await page.click("#tab-events");
      await page.waitForSelector("#ev-rows tr");
      const rows = await page.$$eval("#ev-rows tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
      const setpoint = rows.find((r) => r[1] === "Setpoint" && r[2].includes("36.5"));
      assert.ok(setpoint, `a setpoint change in ${JSON.stringify(rows.slice(0, 12))}`);
      assert.match(setpoint[3], /^ws 127\.0\.0\.1:\d+$/, "made on the page, over /ws");
      assert.match(setpoint[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      await browser.shot(page, "events-tablet-light");

      await page.click("#tab-settings");
      await page.waitForFunction(() => (document.querySelector("#cf-name") as HTMLInputElement).value !== "");
      await page.fill("#cf-air", "5");
      await page.click("#f-config button[type=submit]");
      await page.waitForSelector('#m-config[data-kind="error"]');
      assert.match(await text(page, "#m-config"), /^✗ calibration\.temp_ambient_offset 5 °C is outside ±2 °C/);
      await page.fill("#cf-air", "-0.3");
      await page.fill("#cf-name", "Bench 3");
      await page.click("#f-config button[type=submit]");
      await page.waitForSelector('#m-config[data-kind="ok"]');
      assert.match(await text(page, "#m-config"), /^✓ updated device\.name, calibration\.temp_ambient_offset/);
      const config = JSON.parse(execFileSync("curl", [...CURL_RETRYING, "-H", `Authorization: Bearer ${HOST_KEY}`, `${host.url}api/config`], { encoding: "utf8" }));
      assert.equal(config.data.calibration.temp_ambient_offset, -0.3);
      assert.equal(await text(page, "#device-name"), "Bench 3");
      for (const [layout, scheme] of EVERY_LAYOUT) {
        await page.setViewportSize(LAYOUTS[layout]);
        await page.emulateMedia({ colorScheme: scheme });
        const serious = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
        assert.deepEqual(serious.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `settings ${layout} ${scheme}`);
        await browser.shot(page, `settings-${layout}-${scheme}`);
      }
      await page.click("#tab-events");
      await page.waitForSelector("#ev-rows tr");
      const serious = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(serious.map((v) => v.id), [], "events view");
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it("saves a change the firmware was too busy to take at first (all its sockets mid-request): sent again after its Retry-After, else says why", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url);
      await page.click("#tab-settings");
      await page.waitForFunction(() => (document.querySelector("#cf-name") as HTMLInputElement).value !== "");

      // Busy for longer than the page's one retry: it says so, and nothing changed.
      let slow = await holdEverySocket(host);
      await page.fill("#cf-name", "Bench 4");
      await page.click("#f-config button[type=submit]");
      await page.waitForSelector('#m-config[data-kind="error"]', { timeout: 5_000 });
      assert.equal(await text(page, "#m-config"), "✗ POST /api/config: server busy: at most 3 HTTP connections at a time; try again in a few seconds (HTTP 503)");
      assert.deepEqual(await slow.release(), Array(3).fill("HTTP/1.1 401 Unauthorized"), "the slow clients were answered too");

      // Busy for less: sent again, saved.
      slow = await holdEverySocket(host);
      await page.click("#f-config button[type=submit]");
      await page.waitForTimeout(500);
      assert.equal(await text(page, "#m-config"), "Saving…", "still waiting to send it again");
      await slow.release();
      await page.waitForSelector('#m-config[data-kind="ok"]', { timeout: 5_000 });
      assert.match(await text(page, "#m-config"), /^✓ updated device\.name/);
      const config = JSON.parse(execFileSync("curl", [...CURL_RETRYING, "-H", `Authorization: Bearer ${HOST_KEY}`, `${host.url}api/config`], { encoding: "utf8" }));
      assert.equal(config.data.device.name, "Bench 4");
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it("has no serious accessibility violation (axe-core, WCAG 2.2 AA) at tablet, phone and station size, light and dark", async () => {
      for (const [layout, scheme] of EVERY_LAYOUT) {
        const page = await browser.page(layout, scheme);
        await openApp(page, host.url);
        const serious = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
        assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `${layout} ${scheme}`);
        await browser.shot(page, `live-${layout}-${scheme}`);
        await page.close();
      }
    });
  });

  describe("alarms (--fault fan:stop)", () => {
    let host: AppHost;
    let client: TestClient;

    before(async () => {
      // Speed 2: the fan alarm within seconds, and simulated sensors that keep their
      // timing on a busy machine (at high speeds a late event loop reads as a sensor fault).
      host = await startHost({ speed: 2, faults: ["fan:stop"] });
      client = await connectClient(host);
    });
    after(async () => {
      client?.close();
      await host?.stop();
    });

    it("raises a flashing red banner within 10 s of FAN_FAILURE; acknowledging changes it; reset shows the firmware's refusal", async () => {
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url, true);
      const from = client.messages.length;
      await page.click("#b-start");
      const raised = await client.next((m) => m.type === "alarm" && m.data.code === "FAN_FAILURE" && m.data.active, from, 30_000);
      const raisedAt = Date.now();
      const banner = `.banner[data-id="${raised.data.id}"]`;
      await page.waitForSelector(`${banner}[data-priority="high"]`, { timeout: 10_000 });
      assert.ok(Date.now() - raisedAt <= 10_000);
      const look = await page.evaluate((sel) => {
        const b = document.querySelector(sel)!, sig = b.querySelector(".sig")!;
        const s = getComputedStyle(sig);
        return { border: getComputedStyle(b).borderTopColor, animation: s.animationName, period: s.animationDuration, symbol: sig.textContent, text: b.textContent };
      }, banner);
      assert.equal(look.border, "rgb(200, 16, 46)", "IEC high priority: red");
      assert.equal(look.animation, "flash");
      assert.equal(look.period, "0.5s", "flashing at 2 Hz");
      assert.equal(look.symbol, "!!!");
      assert.match(look.text, /High priority · FAN_FAILURE/);
      assert.match(look.text, /Not acknowledged/);
      assert.match(look.text, /raised \d\d:\d\d:\d\d/);
      assert.ok(look.text.includes(raised.data.message), look.text);
      await page.waitForSelector('#fault:not([hidden])');
      for (const [layout, scheme] of EVERY_LAYOUT) {
        await page.setViewportSize(LAYOUTS[layout]);
        await page.emulateMedia({ colorScheme: scheme });
        await browser.shot(page, `alarm-${layout}-${scheme}`);
      }
      await page.setViewportSize(LAYOUTS.tablet);
      await page.emulateMedia({ colorScheme: "light" });
      const serious = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(serious.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);

      const ackFrom = client.messages.length;
      await page.click(`${banner} .ack`);
      await client.next((m) => m.type === "alarm" && m.data.id === raised.data.id && m.data.acknowledged === true, ackFrom, 10_000);
      await page.waitForSelector(`${banner}[data-ack="true"]`, { timeout: 5000 });
      assert.match(await text(page, `${banner} .status`), /^Acknowledged \d\d:\d\d:\d\d · audio paused \d+:\d\d/);
      assert.equal(await page.isHidden(`${banner} .ack`), true);
      await browser.shot(page, "alarm-acknowledged-tablet-light");

      // The fan is still stopped: the firmware refuses the reset, and says why.
      const firmware = await commandOn(client, "set_state", { state: "reset" });
      assert.equal(firmware.success, false);
      await page.click("#b-reset-fault");
      await page.click("#d-confirm-yes");
      await page.waitForSelector('#m-fault[data-kind="error"]');
      assert.equal(await text(page, "#m-fault"), `✗ ${firmware.message}`);
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  });

  describe("a day on the trend (a simulated day's trend log, then npm start on it)", () => {
    let host: AppHost;
    const stateDir = tempStateDir();
    let day: SimulatedDay;

    before(async function () {
      this.timeout(300_000);
      day = await simulateDay(stateDir, 24);
      host = await startHost({ stateDir });
    });
    after(async () => {
      await host?.stop();
      removeStateDir(stateDir);
    });

    it("shows the 24 h trend with every minute of the simulated day, the warm-up in it, and exports the day as CSV", async () => {
      const records: Array<{ ts: number }> = JSON.parse(execFileSync("curl", [...CURL_RETRYING, "-H", `Authorization: Bearer ${HOST_KEY}`, `${host.url}api/data/latest?count=1440`], { encoding: "utf8", maxBuffer: 16 << 20 }));
      assert.equal(records.length, 1440);
      assert.ok(records[0].ts <= day.fromS + 120 && records[1439].ts >= day.toS - 180, "the log holds the simulated day");
      const page = await browser.page("tablet", "light");
      await openApp(page, host.url, true);
      await page.click('[data-range="86400"]');
      await page.waitForFunction(() => /^\d+ trend records$/.test(document.querySelector("#m-trend")?.textContent ?? ""), undefined, { timeout: 30_000 });
      const shown = Number((await text(page, "#m-trend")).split(" ")[0]);
      assert.ok(shown >= 1440, `${shown} records on the 24 h trend`);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
      assert.match(download.suggestedFilename(), /_24h\.csv$/);
      const rows = readFileSync((await download.path())!, "utf8").trim().split("\r\n").slice(1).map((r) => r.split(","));
      const times = new Set(rows.map((r) => Date.parse(r[0]) / 1000));
      // The window is the 24 h up to the latest (live) reading: every minute in it. The app
      // trims at its newest live reading, which may be up to a stride (24 s in the 24 h view)
      // after the CSV's last finished row: the oldest minute may be just outside.
      const lastRowS = Date.parse(rows[rows.length - 1][0]) / 1000;
      const fromS = lastRowS - 24 * 3600 + 60;
      const inWindow = records.filter((r) => r.ts >= fromS);
      // Each minute the host has run live since the simulated day ended (a loaded machine
      // takes minutes to get here) moves one of the day's minutes out of the window.
      const liveMinutes = Math.max(0, Math.ceil((lastRowS - day.toS) / 60));
      assert.ok(inWindow.length >= 1438 - liveMinutes, `${inWindow.length} records in the last 24 h (${liveMinutes} min live since the simulated day)`);
      const missing = inWindow.filter((r) => !times.has(r.ts));
      assert.deepEqual(missing.slice(0, 5), [], `every trend record of the 24 h is in the CSV (${missing.length} missing)`);
      // The warm-up from the room to the setpoint is on it.
      const air = rows.map((r) => Number(r[1])).filter((v) => v > 0);
      assert.ok(Math.min(...air.slice(0, 30)) < 30, "cold at the start of the day");
      const held = rows.filter((r) => Date.parse(r[0]) / 1000 <= day.toS).map((r) => Number(r[1])).slice(-60);
      assert.ok(held.every((v) => Math.abs(v - 36) < 0.5), `held at 36 °C at the end of the day: ${held.join(" ")}`);
      for (const [layout, scheme] of EVERY_LAYOUT) {
        await page.setViewportSize(LAYOUTS[layout]);
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(1200);
        await browser.shot(page, `trend-24h-${layout}-${scheme}`);
      }
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  });
});
