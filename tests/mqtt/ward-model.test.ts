// The nurse station's ordering of the ward, from the messages the beds publish.
import assert from "node:assert/strict";
import { WardModel, wardOrder } from "../../web/ward/ward-model";

const active = (alarms: Array<{ id: number; priority: string; acknowledged?: boolean }>) =>
  JSON.stringify({ timestamp: "2026-01-15T08:00:00.000Z", count: alarms.length, alarms: alarms.map((a) => ({ code: "X", message: "m", acknowledged: false, ...a })) });

describe("nurse-station ward order", () => {
  it("puts active alarms first by priority (unacknowledged before acknowledged), then offline beds, then the rest by bed", () => {
    const m = new WardModel();
    for (let i = 1; i <= 8; i++) m.receive(`incunest/BED_${i}/status`, '{"online":true,"state":"OPERATING"}', 0);
    m.receive("incunest/BED_6/alarms/active", active([{ id: 1, priority: "low" }]), 0);
    m.receive("incunest/BED_3/alarms/active", active([{ id: 2, priority: "medium" }, { id: 3, priority: "low" }]), 0);
    m.receive("incunest/BED_8/alarms/active", active([{ id: 4, priority: "high", acknowledged: true }]), 0);
    m.receive("incunest/BED_5/alarms/active", active([{ id: 5, priority: "high" }]), 0);
    m.receive("incunest/BED_2/status", '{"online":false,"timestamp":"2026-01-15T08:00:01.000Z"}', 0);
    assert.deepEqual(wardOrder(m.beds.values()).map((b) => b.id), ["BED_5", "BED_8", "BED_3", "BED_6", "BED_2", "BED_1", "BED_4", "BED_7"]);
    assert.equal(m.beds.get("BED_2")!.offlineSince, Date.parse("2026-01-15T08:00:01.000Z"));
    // An alarm cleared (empty summary) and a bed back online return to bed order.
    m.receive("incunest/BED_5/alarms/active", active([]), 0);
    m.receive("incunest/BED_2/sensors", '{"timestamp":"x","temperature":{"ambient":36.1,"skin":null,"setpoint":36},"humidity":{"current":60,"setpoint":60},"state":"OPERATING"}', 5);
    assert.deepEqual(wardOrder(m.beds.values()).map((b) => b.id), ["BED_8", "BED_3", "BED_6", "BED_1", "BED_2", "BED_4", "BED_5", "BED_7"]);
    assert.deepEqual([m.beds.get("BED_2")!.air, m.beds.get("BED_2")!.skin, m.beds.get("BED_2")!.online], [36.1, null, true]);
    assert.equal(m.receive("incunest/BED_1/status", "not json", 0), false);
    assert.equal(m.receive("homeassistant/sensor/x/config", "{}", 0), false);
  });
});
