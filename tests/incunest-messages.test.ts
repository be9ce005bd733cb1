// The /ws encoders: exact seed field names, PRODUCT.md additions, valid JSON, timestamps.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { AlarmInfo, Snapshot } from "../src/core/api";
import { isoUtc } from "../src/protocol/iso-time";
import { encodeAlarm, encodeCommandResponse, encodeError, encodePong, encodeSensorUpdate, encodeStateChange } from "../src/protocol/incunest/messages";

const T = Date.UTC(2026, 0, 15, 10, 30, 0, 7);

const snapshot: Snapshot = Object.freeze({
  seq: 12,
  epochMs: T,
  clockSet: true,
  state: "OPERATING",
  mode: "air",
  effectiveMode: "air",
  setpoints: { air: 36.5, skin: 36.5, humidity: 60, override: false },
  temperatureSetpoint: 36.5,
  air: 36.4987,
  skin: null,
  probeAir: 36.52,
  humidity: 65.24,
  fanRpm: 1500,
  heaterPercent: 45.4,
  fanPercent: 50,
  humidifierOn: false,
  alarms: [],
  overruns: 0,
  skippedTicks: 0,
});

describe("IncuNest /ws messages", () => {
  it("formats ISO 8601 UTC with milliseconds exactly like Date#toISOString", () => {
    fc.assert(
      // From 0000-01-01 to 9999-12-31.
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        assert.equal(isoUtc(ms), new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
    for (const ms of [0, T, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2000, 2, 1), -1]) assert.equal(isoUtc(ms), new Date(ms).toISOString());
  });

  it("encodes sensor_update with the seed's fields, the additions, and null for a missing skin reading", () => {
    const text = encodeSensorUpdate(snapshot);
    assert.deepEqual(JSON.parse(text), {
      type: "sensor_update",
      timestamp: "2026-01-15T10:30:00.007Z",
      data: {
        temperature: { ambient: 36.5, skin: null },
        humidity: 65.2,
        heater_power: 45,
        fan_speed: 50,
        humidifier: false,
        setpoint: { temperature: 36.5, humidity: 60 },
        mode: "air",
        effective_mode: "air",
        state: "OPERATING",
      },
    });
    const noAir = JSON.parse(encodeSensorUpdate({ ...snapshot, air: null, humidity: null, skin: 36.81, humidifierOn: true, mode: "skin", temperatureSetpoint: 37 }));
    assert.deepEqual(noAir.data.temperature, { ambient: null, skin: 36.81 });
    assert.equal(noAir.data.humidity, null);
    assert.equal(noAir.data.humidifier, true);
    assert.equal(noAir.data.mode, "skin");
    assert.equal(noAir.data.setpoint.temperature, 37);
    // Skin mode fallen back to air control on a skin probe fault says so.
    const fallback = JSON.parse(encodeSensorUpdate({ ...snapshot, skin: null, mode: "skin", effectiveMode: "air" }));
    assert.equal(fallback.data.mode, "skin");
    assert.equal(fallback.data.effective_mode, "air");
  });

  it("encodes alarm, state_change, command_response, pong and error as valid JSON with the seed's fields", () => {
    const alarm: AlarmInfo = {
      id: 3,
      code: "TEMP_HIGH",
      level: "WARNING",
      priority: "medium",
      message: 'Temperatura alta: 37.8°C "air"\n',
      active: true,
      acknowledged: false,
      latching: false,
      value: 37.8,
      limit: 37.5,
      raisedAtMs: T,
      acknowledgedAtMs: null,
      clearedAtMs: null,
    };
    assert.deepEqual(JSON.parse(encodeAlarm(alarm, T + 1)), {
      type: "alarm",
      timestamp: "2026-01-15T10:30:00.008Z",
      data: {
        id: 3, code: "TEMP_HIGH", level: "WARNING", message: alarm.message, active: true,
        priority: "medium", acknowledged: false, latching: false, value: 37.8, limit: 37.5,
        raised_at: "2026-01-15T10:30:00.007Z", acknowledged_at: null, cleared_at: null,
      },
    });
    assert.deepEqual(JSON.parse(encodeStateChange("PREHEATING", "OPERATING", "steady", T)).data, { previous_state: "PREHEATING", new_state: "OPERATING", reason: "steady" });
    assert.deepEqual(JSON.parse(encodeCommandResponse("cmd_12345", { success: true, message: "Setpoint actualizado" }, T)).data, { command_id: "cmd_12345", success: true, message: "Setpoint actualizado" });
    assert.deepEqual(JSON.parse(encodeCommandResponse(42, { success: false, message: "bad", code: 4002 }, T)).data, { command_id: 42, success: false, message: "bad", code: 4002 });
    assert.equal(JSON.parse(encodeCommandResponse({ evil: 1 }, { success: true, message: "x" }, T)).data.command_id, null);
    assert.deepEqual(JSON.parse(encodePong(T)), { type: "pong", timestamp: "2026-01-15T10:30:00.007Z", data: {} });
    assert.deepEqual(JSON.parse(encodeError(4001, 'unknown "x"', T)).data, { code: 4001, message: 'unknown "x"' });
  });
});
