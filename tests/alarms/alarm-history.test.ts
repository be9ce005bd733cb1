import assert from "node:assert/strict";
import { AlarmHistory, decodeAlarmHistory, HISTORY_LENGTH } from "../../src/alarms/alarm-history";
import { AlarmSystem } from "../../src/alarms/alarm-system";
import { inputs, SETPOINTS } from "./frames";

function busySystem(occurrences: number): AlarmSystem {
  const sys = new AlarmSystem();
  const low = { setpoints: { ...SETPOINTS, air: 32 } };
  let t = 0;
  for (let k = 0; k < occurrences; k++) {
    for (let i = 0; i < 5; i++, t++) sys.evaluate(inputs(t * 1000, { air: 35.3 + k / 100, probeAir: 35.3 }, low));
    if (k % 3 === 0) sys.acknowledgeAll(t * 1000, 1_768_464_000_000 + t * 1000 + 17);
    for (let i = 0; i < 8; i++, t++) sys.evaluate(inputs(t * 1000, { air: 32, probeAir: 32 }, low));
  }
  sys.reportPowerFailure(t * 1000, 1_768_464_000_000 + t * 1000);
  return sys;
}

describe("AlarmHistory", () => {
  it("keeps the last 50 occurrences with value, limit and times, oldest first", () => {
    const sys = busySystem(60);
    const list = sys.history.entries();
    assert.equal(list.length, HISTORY_LENGTH);
    assert.equal(list.at(-1)!.code, "POWER_FAILURE");
    assert.ok(list.every((a, i) => i === 0 || a.id > list[i - 1].id));
    const th = list.find((a) => a.code === "TEMP_HIGH" && a.acknowledgedAtMs !== null)!;
    assert.equal(th.limit, 35);
    assert.ok(th.value !== null && th.value > 35);
    assert.ok(th.clearedAtMs! > th.acknowledgedAtMs! && th.acknowledgedAtMs! > th.raisedAtMs);
  });

  it("round-trips through its compact encoding, messages included, in under 2.5 kB", () => {
    const sys = busySystem(60);
    const text = sys.history.encode();
    assert.ok(text.length < 2500, `${text.length} characters`);
    const decoded = decodeAlarmHistory(text);
    assert.ok(decoded.ok, decoded.ok ? "" : decoded.error);
    if (decoded.ok) assert.deepEqual(new AlarmHistory(decoded.entries).entries(), sys.history.entries());
  });

  it("round-trips sensor and heater subjects and null values", () => {
    const sys = new AlarmSystem();
    for (let t = 0; t < 10; t++) sys.evaluate(inputs(t * 1000, { air: null, fanRpm: null }));
    const decoded = decodeAlarmHistory(sys.history.encode());
    assert.ok(decoded.ok);
    if (decoded.ok) {
      assert.deepEqual(decoded.entries.map((e) => e.info), [...sys.history.entries()]);
      assert.ok(decoded.entries.some((e) => /Sensor fault: air temperature \(SHT31\): no valid reading for 5 s/.test(e.info.message)));
      assert.ok(decoded.entries.some((e) => /no tachometer reading/.test(e.info.message)));
    }
  });

  it("refuses damaged text, naming what is wrong", () => {
    const cases: Array<[string, RegExp]> = [
      ["XX1;1", /unknown format "XX1"/],
      ["AH1;1,0,,1,,,abc", /entry 1: 7 fields, expected 9/],
      ["AH1;1,z,,1,,,abc,,", /unknown alarm code index 35/],
      ["AH1;1,0,,9,,,abc,,", /flags "9"/],
      ["AH1;1,0,a b,1,,,abc,,", /subject "a b"/],
      ["AH1;1,0,,1,,,ab.c,,", /raised time "ab.c" is not a base-36 integer/],
      ["AH1;,0,,1,,,abc,,", /id missing/],
    ];
    for (const [text, error] of cases) {
      const r = decodeAlarmHistory(text);
      assert.equal(r.ok, false, text);
      if (!r.ok) assert.match(r.error, error);
    }
    assert.deepEqual(decodeAlarmHistory("AH1"), { ok: true, entries: [] });
  });
});
