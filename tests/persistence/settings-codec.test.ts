import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { AlarmInfo } from "../../src/core/api";
import { encodeAlarmHistory, type HistoryEntry } from "../../src/alarms/alarm-history";
import {
  SAFE_DEFAULTS,
  SETTINGS_KEYS,
  loadSettings,
  saveAlarmHistory,
  saveApiKey,
  saveSettings,
} from "../../src/core/settings-codec";
import { MemorySettingsStore } from "../support/memory-settings-store";

function alarm(id: number, overrides: Partial<AlarmInfo> = {}): AlarmInfo {
  return {
    id,
    code: "TEMP_HIGH",
    level: "WARNING",
    priority: "medium",
    message: "Air temperature high: 39.2 (limit 39.0)",
    active: false,
    acknowledged: true,
    latching: false,
    value: 39.2,
    limit: 39.0,
    raisedAtMs: Date.UTC(2026, 0, 15, 8, 0, 0) + id * 1000,
    acknowledgedAtMs: Date.UTC(2026, 0, 15, 8, 0, 0) + id * 1000 + 4321,
    clearedAtMs: null,
    ...overrides,
  };
}

describe("settings codec", () => {
  it("stores setpoints as integer hundredths and reads back what was saved", () => {
    const store = new MemorySettingsStore();
    saveSettings(store, { setpoints: { air: 38.5, skin: 36.7, humidity: 62.5, override: true }, mode: "skin", therapyActive: true });
    assert.equal(store.values.get(SETTINGS_KEYS.air), 3850);
    assert.equal(store.values.get(SETTINGS_KEYS.skin), 3670);
    assert.equal(store.values.get(SETTINGS_KEYS.humidity), 6250);
    assert.equal(store.values.get(SETTINGS_KEYS.mode), 1);
    for (const v of store.values.values()) assert.ok(Number.isInteger(v), `only integers: ${String(v)}`);
    const { settings, problems } = loadSettings(store);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.setpoints, { air: 38.5, skin: 36.7, humidity: 62.5, override: true });
    assert.equal(settings.mode, "skin");
    assert.equal(settings.therapyActive, true);
  });

  it("round-trips any in-range setting through the store", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 3900 }),
        fc.integer({ min: 3500, max: 3750 }),
        fc.integer({ min: 3000, max: 8500 }),
        fc.constantFrom("air" as const, "skin" as const),
        fc.boolean(),
        (air, skin, humidity, mode, therapyActive) => {
          const store = new MemorySettingsStore();
          const setpoints = { air: air / 100, skin: skin / 100, humidity: humidity / 100, override: air > 3700 };
          saveSettings(store, { setpoints, mode, therapyActive });
          const loaded = loadSettings(store);
          assert.deepEqual(loaded.problems, []);
          assert.deepEqual(loaded.settings.setpoints, setpoints);
          assert.equal(loaded.settings.mode, mode);
          assert.equal(loaded.settings.therapyActive, therapyActive);
        },
      ),
    );
  });

  it("writes only what changed", () => {
    const store = new MemorySettingsStore();
    const s = { setpoints: { air: 36, skin: 36.5, humidity: 60, override: false }, mode: "air" as const, therapyActive: false };
    saveSettings(store, s);
    const first = store.writes;
    saveSettings(store, s);
    assert.equal(store.writes, first);
    saveSettings(store, { ...s, therapyActive: true });
    assert.equal(store.writes, first + 1);
  });

  it("falls back to safe defaults on a first boot, saying so for each value", () => {
    const { settings, problems } = loadSettings(new MemorySettingsStore());
    assert.deepEqual(settings, SAFE_DEFAULTS);
    assert.equal(settings.therapyActive, false);
    for (const what of ["air setpoint", "skin setpoint", "humidity setpoint", "control mode", "therapy state"]) {
      assert.ok(problems.some((p) => p.includes(`no stored ${what}`)), `reason for ${what} in ${problems.join(" | ")}`);
    }
  });

  it("replaces each corrupt value by its default and names what was wrong", () => {
    const store = new MemorySettingsStore();
    saveSettings(store, { setpoints: { air: 35, skin: 36, humidity: 55, override: false }, mode: "air", therapyActive: true });
    store.values.set(SETTINGS_KEYS.air, 3950); // 39.5 °C: beyond even the override's 39.0
    store.values.set(SETTINGS_KEYS.skin, "hot"); // wrong type
    store.values.set(SETTINGS_KEYS.humidity, 6050.5); // not an integer
    store.values.set(SETTINGS_KEYS.mode, 7);
    store.values.set(SETTINGS_KEYS.therapy, 2);
    store.values.set(SETTINGS_KEYS.apiKey, "has space");
    store.values.set(SETTINGS_KEYS.alarms, "1,0,0,,,zz");
    const { settings, problems } = loadSettings(store);
    assert.deepEqual(settings.setpoints, SAFE_DEFAULTS.setpoints);
    assert.equal(settings.mode, "air");
    assert.equal(settings.therapyActive, false, "a corrupt therapy flag never starts heating");
    assert.equal(settings.apiKey, null);
    assert.deepEqual(settings.alarmHistory, []);
    const text = problems.join("\n");
    assert.match(text, /out-of-range stored \(39\.50 °C, allowed 20\.0-39\.0\) air setpoint; using 36\.00 °C/);
    assert.match(text, /corrupt stored \(not an integer: NaN\) skin setpoint/);
    assert.match(text, /corrupt stored \(not an integer: 6050\.5\) humidity setpoint/);
    assert.match(text, /corrupt stored \(7\) control mode; using air/);
    assert.match(text, /corrupt stored \(2\) therapy state; using no/);
    assert.match(text, /corrupt stored API key/);
    assert.match(text, /corrupt stored alarm history \(alarm history: unknown format "1,0,0,,,"/);
  });

  it("keeps a valid API key and refuses to save one that could not be presented", () => {
    const store = new MemorySettingsStore();
    assert.equal(saveApiKey(store, "s3cret-Key_2026"), null);
    assert.match(saveApiKey(store, "bad key") ?? "", /without spaces/);
    assert.equal(loadSettings(store).settings.apiKey, "s3cret-Key_2026");
  });

  it("keeps the alarm system's history across a reboot, and refuses one too long for NVS", () => {
    const entries: HistoryEntry[] = [];
    for (let i = 1; i <= 50; i++) entries.push({ info: alarm(i, { code: i % 2 ? "TEMP_HIGH" : "FAN_FAILURE", active: i % 3 === 0 }), subject: "" });
    const encoded = encodeAlarmHistory(entries);
    const store = new MemorySettingsStore();
    assert.equal(saveAlarmHistory(store, encoded), null);
    const { settings, problems } = loadSettings(store);
    assert.ok(!problems.some((p) => p.includes("alarm")), problems.join("|"));
    assert.equal(settings.alarmHistory.length, 50);
    settings.alarmHistory.forEach((e, i) => {
      for (const k of ["id", "code", "active", "acknowledged", "raisedAtMs", "acknowledgedAtMs", "clearedAtMs"] as const) assert.equal(e.info[k], entries[i].info[k], `${k} of #${i + 1}`);
    });
    assert.match(saveAlarmHistory(store, "x".repeat(4001)) ?? "", /exceeds the 4000-byte stored value/);
    assert.equal(store.values.get(SETTINGS_KEYS.alarms), encoded, "the saved history was kept");
  });
});
