import assert from "node:assert/strict";
import type { HttpRequest, HttpResponse } from "../../src/net/http-types";
import { planSetup, setupRoute, type WifiCredentials } from "../../src/setup/setup-route";

function request(over: Partial<HttpRequest>): HttpRequest {
  return { method: "GET", path: "/setup", query: {}, headers: {}, body: "", remote: "192.168.4.2:50000", authorized: false, ...over };
}

function post(body: string, authorized = true, type = "application/x-www-form-urlencoded"): HttpRequest {
  return request({ method: "POST", body, authorized, headers: { "content-type": type } });
}

function rig(opts: { keyFails?: string; wifiFails?: string } = {}) {
  const saved: { key: string | null; wifi: WifiCredentials | null; joins: number } = { key: null, wifi: null, joins: 0 };
  const route = setupRoute({
    setApiKey: async (key) => {
      if (opts.keyFails) throw new Error(opts.keyFails);
      saved.key = key;
    },
    saveWifi: async (c) => {
      if (opts.wifiFails) throw new Error(opts.wifiFails);
      saved.wifi = c;
    },
    onWifiSaved: () => void saved.joins++,
    state: () => ({ ssid: saved.wifi?.ssid ?? null, network: "set-up access point open" }),
  });
  const handle = async (r: HttpRequest): Promise<HttpResponse> => {
    const answer = await route.handle(r);
    assert.ok(answer, "the route serves /setup");
    return answer;
  };
  return { saved, route, handle };
}

const text = (r: HttpResponse) => String(r.body);

describe("/setup (platform-free route)", () => {
  it("serves only /setup", () => {
    assert.equal(rig().route.handle(request({ path: "/status" })), null);
  });

  it("asks for the key (Basic-auth prompt) before showing the form, even with no Wi-Fi configured", async () => {
    const r = await rig().handle(request({}));
    assert.equal(r.status, 401);
    assert.match(r.headers!["WWW-Authenticate"], /^Basic realm="IncuNest set-up"/);
    assert.doesNotMatch(text(r), /<form/);
    const ok = await rig().handle(request({ authorized: true }));
    assert.equal(ok.status, 200);
    assert.match(text(ok), /<form method="post" action="\/setup">/);
    assert.match(text(ok), /Wi-Fi now: none configured \(set-up access point open\)/);
  });

  it("a POST without the current key changes nothing, with or without Wi-Fi stored", async () => {
    const t = rig();
    const r = await t.handle(post("ssid=Ward3&password=secret-pass&api_key=attacker-key", false));
    assert.equal(r.status, 401);
    assert.deepEqual(t.saved, { key: null, wifi: null, joins: 0 });
    await t.handle(post("ssid=Ward3&password=secret-pass"));
    const again = await t.handle(post("api_key=attacker-key", false));
    assert.equal(again.status, 401);
    assert.equal(t.saved.key, null);
  });

  it("saves Wi-Fi and a new key, joins the network, and says what it did", async () => {
    const t = rig();
    const r = await t.handle(post("ssid=Ward+3%C3%A9&password=p%40ss+word&api_key=new-key_2026"));
    assert.equal(r.status, 200);
    assert.deepEqual(t.saved, { key: "new-key_2026", wifi: { ssid: "Ward 3é", password: "p@ss word" }, joins: 1 });
    assert.match(text(r), /Wi-Fi &ldquo;Ward 3é&rdquo; saved|Wi-Fi &quot;Ward 3é&quot; saved/);
    assert.match(text(r), /API key changed: log in again with the new key/);
  });

  it("checks everything before saving anything: a bad key saves no Wi-Fi either", async () => {
    const t = rig();
    const r = await t.handle(post("ssid=Ward3&password=secret-pass&api_key=bad%20key"));
    assert.equal(r.status, 400);
    assert.match(text(r), /Nothing saved: API key not valid: an API key must be 8 to 128/);
    assert.deepEqual(t.saved, { key: null, wifi: null, joins: 0 });
  });

  it("refuses by name: long SSID, short WPA2 password, password without network, bad escapes, other content types, methods", async () => {
    const t = rig();
    assert.deepEqual(planSetup(`ssid=${"x".repeat(33)}`), { refused: "the Wi-Fi network name has at most 32 bytes" });
    assert.deepEqual(planSetup(`ssid=${"é".repeat(17)}`), { refused: "the Wi-Fi network name has at most 32 bytes" });
    assert.deepEqual(planSetup("ssid=Ward3&password=short"), { refused: "a WPA2 Wi-Fi password has 8 to 63 printable ASCII characters" });
    assert.deepEqual(planSetup("password=secret-pass"), { refused: "a Wi-Fi password was given without a network name" });
    assert.deepEqual(planSetup("ssid=%E0%A4"), { refused: "the form field(s) ssid are not valid URL encoding" });
    assert.deepEqual(planSetup("ssid=Open"), { key: null, wifi: { ssid: "Open", password: "" } });
    assert.equal((await t.handle(post("ssid=Ward3", true, "application/json"))).status, 415);
    assert.equal((await t.handle(post("x=" + "a".repeat(3000)))).status, 413);
    const put = await t.handle(request({ method: "PUT", authorized: true }));
    assert.equal(put.status, 405);
    assert.equal(put.headers!.Allow, "GET, HEAD, POST");
    assert.deepEqual(t.saved, { key: null, wifi: null, joins: 0 });
    assert.match(text(await t.handle(post(""))), /Nothing to change\./);
  });

  it("a store that fails is reported with its reason, and the old key stays", async () => {
    const t = rig({ keyFails: "flash full" });
    const r = await t.handle(post("api_key=new-key_2026"));
    assert.equal(r.status, 500);
    assert.match(text(r), /API key not saved \(flash full\); the old key stays/);
    const w = rig({ wifiFails: "write failed" });
    const rw = await w.handle(post("ssid=Ward3&password=secret-pass"));
    assert.equal(rw.status, 500);
    assert.equal(w.saved.joins, 0);
  });
});
