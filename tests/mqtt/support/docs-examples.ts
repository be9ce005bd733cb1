// The payloads of the IncuNest docs (EN/software/api/mqtt.md, as gathered in
// shared/INCUNEST-DOCS.md §2), verbatim, and a field-by-field comparison with what the
// firmware sends: every field of the docs' example is there, at the same place, of the
// same JSON type (a number may be null where PRODUCT.md says so: no valid reading).
import assert from "node:assert/strict";

export const DOCS = Object.freeze({
  status: { online: true, firmware: "1.0.0", state: "OPERATING", uptime: 3600, wifi_rssi: -65, heap_free: 180000 },
  sensors: { timestamp: "2026-01-15T10:30:00Z", temperature: { ambient: 36.5, skin: 36.8, setpoint: 36.5 }, humidity: { current: 65.2, setpoint: 60.0 }, actuators: { heater_power: 45, fan_speed: 50, humidifier: false } },
  alarms: { timestamp: "…", id: 1, code: "TEMP_HIGH", level: "WARNING", message: "Temperatura alta: 37.8°C", active: true },
  state: { timestamp: "…", state: "OPERATING", previous: "PREHEATING" },
  temperatureResponse: { success: true, setpoint: 36.5 },
  will: { online: false, timestamp: "…" },
  haSensor: {
    name: "IncuNest Temperatura", unique_id: "incunest_001_temp", state_topic: "incunest/INCUNEST_001/sensors",
    value_template: "{{ value_json.temperature.ambient }}", unit_of_measurement: "°C", device_class: "temperature",
    device: { identifiers: ["INCUNEST_001"], name: "IncuNest", model: "IncuNest v1.0", manufacturer: "Medical Open World" },
  },
});

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Paths where the contract allows null in place of the docs' number. */
export function matchesDocs(actual: unknown, docs: unknown, path = "$", nullable: readonly string[] = []): void {
  if (docs !== null && typeof docs === "object" && !Array.isArray(docs)) {
    assert.ok(actual !== null && typeof actual === "object" && !Array.isArray(actual), `${path} must be an object, got ${JSON.stringify(actual)}`);
    for (const key of Object.keys(docs)) {
      assert.ok(Object.prototype.hasOwnProperty.call(actual, key), `${path}.${key} is missing (the docs have it) in ${JSON.stringify(actual)}`);
      matchesDocs((actual as Record<string, unknown>)[key], (docs as Record<string, unknown>)[key], `${path}.${key}`, nullable);
    }
    return;
  }
  if (Array.isArray(docs)) {
    assert.ok(Array.isArray(actual), `${path} must be an array`);
    return;
  }
  if (actual === null && nullable.includes(path)) return;
  assert.equal(typeof actual, typeof docs, `${path}: ${JSON.stringify(actual)} is not a ${typeof docs} like the docs' ${JSON.stringify(docs)}`);
  if (path.endsWith(".timestamp")) assert.match(actual as string, ISO_MS, `${path} must be ISO 8601 UTC with milliseconds`);
}
