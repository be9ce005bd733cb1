// The nurse-station page in Debian's Chromium (playwright-core): MQTT.js in the browser
// over mosquitto's WebSocket listener, 20 beds of the ward runner, one faulted, one killed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startMosquitto, type Mosquitto } from "../../host-sim/mqtt/mosquitto";
import { startStationServer } from "../../host-sim/ward/page";
import { Ward } from "../../host-sim/ward/ward";
import { USERS } from "./support/mqtt-rig";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function tiles(page: Page): Promise<Array<{ bed: string; priority: string; online: string; text: string; href: string | null }>> {
  // (The test's tsconfig has no DOM types: the elements are read through their attributes.)
  return page.$$eval("#beds > .bed", (nodes) => nodes.map((n) => ({
    bed: n.getAttribute("data-bed")!, priority: n.getAttribute("data-priority")!, online: n.getAttribute("data-online")!,
    text: (n as unknown as { innerText: string }).innerText, href: n.getAttribute("href"),
  })));
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the nurse-station page in Chromium", function () {
  this.timeout(120_000);
  let broker: Mosquitto;
  let ward: Ward;
  let station: Awaited<ReturnType<typeof startStationServer>>;
  let browser: BrowserContext;
  let profile: string;

  before(async () => {
    broker = await startMosquitto({ users: USERS, websockets: true });
    // Bed 7's SHT31 stops answering: SENSOR_FAULT (high priority) 5 s later. Real time: a
    // faster clock on a loaded machine turns event-loop stalls into simulated faults.
    ward = await Ward.start({
      beds: 20, workers: 0, speed: 1, therapy: true, servers: true, trace: false, apiKey: "ward-key",
      broker: { host: "127.0.0.1", port: broker.port, username: "incunest", password: USERS.incunest },
      faults: { 7: ["sht31:nack@t=2s"] },
    });
    station = await startStationServer({ wsUrl: `ws://127.0.0.1:${broker.wsPort}`, username: "nurse", password: USERS.nurse, beds: ward.beds.map((b) => ({ deviceId: b.deviceId, url: b.url })) }, "127.0.0.1", 0);
    profile = mkdtempSync(join(tmpdir(), "incunest-chromium-"));
    // A fresh profile (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", args: FLAGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    await station?.close();
    await ward?.stop();
    await broker?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("shows 20 beds with air, skin, humidity and state, the faulted one first; a killed bed goes offline at once; a tile opens the bed's own page", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(station.url);
    const shown = await until(() => tiles(page), (t) => t.length === 20 && t[0]?.bed === "INCUNEST_007" && t.every((x) => /\d+\.\d °C/.test(x.text)), "20 beds, bed 7 first");
    assert.equal(shown[0].priority, "high");
    assert.match(shown[0].text, /SENSOR_FAULT/);
    assert.ok(shown.slice(1).every((t) => t.priority === ""), "only bed 7 has an alarm");
    for (const t of shown.slice(1)) assert.match(t.text, /Air\s*\d+\.\d °C\s*Skin\s*\d+\.\d °C\s*RH\s*\d+ %/);
    assert.match(shown[0].text, /Air\s*—\s*Skin\s*\d+\.\d °C\s*RH\s*—/, "the faulted SHT31 has no air or humidity reading");
    assert.ok(shown.every((t) => /STANDBY|PREHEATING|OPERATING|FAULT/.test(t.text)), `every tile shows its state: ${shown.map((t) => t.text).join(" / ")}`);
    assert.deepEqual(shown.slice(1).map((t) => t.bed), ward.beds.filter((b) => b.bed !== 7).map((b) => b.deviceId), "the rest in bed order");

    // A power cut on bed 12: the broker publishes its last will, the page shows it at once.
    const killedAt = Date.now();
    ward.kill(12);
    const after = await until(() => tiles(page), (t) => t.find((x) => x.bed === "INCUNEST_012")?.online === "false", "bed 12 offline", 5000);
    const offlineMs = Date.now() - killedAt;
    assert.ok(offlineMs < 3000, `offline shown after ${offlineMs} ms`);
    assert.match(after.find((x) => x.bed === "INCUNEST_012")!.text, /OFFLINE/);
    assert.equal(after[0].bed, "INCUNEST_007");
    assert.equal(after[1].bed, "INCUNEST_012", "offline beds come right after the alarms");

    // Click-through: the tile links to the bed's own firmware server, which serves the
    // bedside app; it asks for the key (never in the link) and, given the ward's, shows
    // that bed's live readings.
    const href = after.find((x) => x.bed === "INCUNEST_003")!.href!;
    assert.equal(href, ward.beds.find((b) => b.bed === 3)!.url);
    assert.doesNotMatch(href, /api-key/);
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.click('[data-bed="INCUNEST_003"]')]);
    await popup.waitForLoadState();
    await popup.fill("#in-key", "ward-key");
    await popup.press("#in-key", "Enter");
    await until(() => popup.textContent("#air"), (t) => t !== null && /^\d+\.\d$/.test(t), "bed 3's own page showing its live air temperature");
    assert.deepEqual(errors, []);
  });
});
