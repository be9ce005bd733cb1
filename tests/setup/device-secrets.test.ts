import assert from "node:assert/strict";
import { randomFillSync } from "node:crypto";
import { apiKeyProblem } from "../../src/core/settings-codec";
import { API_KEY_RECORD, AP_PASSWORD_RECORD, apPasswordProblem, DeviceSecrets, generateApiKey, generateApPassword } from "../../src/setup/device-secrets";
import { MemoryRecordStore } from "../support/memory-record-store";

const random = (bytes: Uint8Array) => void randomFillSync(bytes);
const settle = () => new Promise((resolve) => setImmediate(resolve));

function logger() {
  const lines: string[] = [];
  return { lines, log: (text: string, level?: string) => void lines.push(`${level ?? "info"}: ${text}`) };
}

describe("device secrets: API key and set-up access-point password", () => {
  it("first boot: generates both from the random source, stores each in its own record, prints both", async () => {
    const store = new MemoryRecordStore();
    const { lines, log } = logger();
    const secrets = new DeviceSecrets({ store, random, log });
    await settle();
    assert.equal(apiKeyProblem(secrets.apiKey), null);
    assert.match(secrets.apiKey, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(apPasswordProblem(secrets.apPassword), null);
    assert.match(secrets.apPassword, /^[A-HJ-NP-Za-km-z2-9]{12}$/);
    assert.equal(store.records.get(API_KEY_RECORD), secrets.apiKey);
    assert.equal(store.records.get(AP_PASSWORD_RECORD), secrets.apPassword);
    assert.deepEqual(secrets.consoleLines(), [`API key: ${secrets.apiKey}`, `Set-up access point password: ${secrets.apPassword}`]);
    assert.ok(lines.includes("info: API key stored"), lines.join("\n"));
  });

  it("later boots: loads the stored ones and writes nothing", async () => {
    const store = new MemoryRecordStore();
    const first = new DeviceSecrets({ store, random });
    await settle();
    const saves = store.saves;
    const again = new DeviceSecrets({ store, random: () => assert.fail("no random bytes needed") });
    assert.equal(again.apiKey, first.apiKey);
    assert.equal(again.apPassword, first.apPassword);
    assert.equal(store.saves, saves);
  });

  it("two devices get different secrets", () => {
    const a = new DeviceSecrets({ store: new MemoryRecordStore(), random });
    const b = new DeviceSecrets({ store: new MemoryRecordStore(), random });
    assert.notEqual(a.apiKey, b.apiKey);
    assert.notEqual(a.apPassword, b.apPassword);
  });

  it("keeps a key stored by the previous firmware (a ward's clients keep working after the update)", async () => {
    const store = new MemoryRecordStore();
    const secrets = new DeviceSecrets({ store, random, legacyApiKey: "ward3-old-key" });
    await settle();
    assert.equal(secrets.apiKey, "ward3-old-key");
    assert.equal(store.records.get(API_KEY_RECORD), "ward3-old-key");
  });

  it("replaces an unusable stored key, and says so", () => {
    const store = new MemoryRecordStore();
    store.records.set(API_KEY_RECORD, "has space");
    const { lines, log } = logger();
    const secrets = new DeviceSecrets({ store, random, log });
    assert.notEqual(secrets.apiKey, "has space");
    assert.equal(apiKeyProblem(secrets.apiKey), null);
    assert.match(lines.join("\n"), /warning: stored API key is unusable \(an API key must be 8 to 128/);
  });

  it("a key that cannot be stored is still used for this boot, with a warning that it will change", async () => {
    const store = new MemoryRecordStore();
    store.failWith = "flash full";
    const { lines, log } = logger();
    const secrets = new DeviceSecrets({ store, random, log });
    await settle();
    assert.equal(apiKeyProblem(secrets.apiKey), null);
    assert.match(lines.join("\n"), /warning: API key NOT stored \(flash full\): it changes at the next boot/);
  });

  it("setApiKey: stores a valid key, then uses it; refuses an invalid one; keeps the old one if storing fails", async () => {
    const store = new MemoryRecordStore();
    const secrets = new DeviceSecrets({ store, random });
    const old = secrets.apiKey;
    await assert.rejects(secrets.setApiKey("no/slash"), /an API key must be 8 to 128 printable characters/);
    assert.equal(secrets.apiKey, old);
    store.failWith = "write failed";
    await assert.rejects(secrets.setApiKey("new-key-123"), /write failed/);
    assert.equal(secrets.apiKey, old);
    store.failWith = null;
    await secrets.setApiKey("new-key-123");
    assert.equal(secrets.apiKey, "new-key-123");
    assert.equal(store.records.get(API_KEY_RECORD), "new-key-123");
  });

  it("encodes 16 random bytes as 22 base64url characters and draws the password without modulo bias", () => {
    const ones = (b: Uint8Array) => b.fill(0xff);
    assert.equal(generateApiKey(ones), "_____________________w");
    assert.equal(generateApiKey((b) => b.fill(0)), "A".repeat(22));
    // 0xff is above the largest multiple of 56 below 256, so it is drawn again, never used.
    let calls = 0;
    const mostlyHigh = (b: Uint8Array) => void (b[0] = calls++ % 2 === 0 ? 0xff : 0x00);
    assert.equal(generateApPassword(mostlyHigh), "A".repeat(12));
    assert.throws(() => generateApPassword(ones), /the random source keeps returning the same bytes/);
  });
});
