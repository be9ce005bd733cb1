// Alarm messages are a pure function of (code, subject, value, limit), so an occurrence
// restored from the persisted history reads exactly as it did when it was raised.
import type { AlarmCode } from "../core/api";
import { LIMITS } from "./catalog";
import { HEATER_RESPONSE } from "./heater-monitor";
import { CHANNELS } from "./sensor-health";

function n(v: number | null, digits = 1): string {
  return v === null ? "—" : v.toFixed(digits);
}

const CAUSE_TEXT: Readonly<Record<string, string>> = Object.freeze({
  stale: "no valid reading for 5 s",
  crc: "repeated CRC failures",
  implausible: "implausible readings",
});

/**
 * @param subject what exactly: for SENSOR_FAULT `<channel>:<cause>` or `mismatch`, for
 *   HEATER_FAULT `no_rise` / `rise_while_off`; empty where the code says it all.
 */
export function alarmMessage(code: AlarmCode, subject: string, value: number | null, limit: number | null): string {
  switch (code) {
    case "OVERTEMP":
      return `Over-temperature: air probe ${n(value, 2)} °C at or above the cut-out limit ${n(limit)} °C; heater off until reset`;
    case "TEMP_HIGH":
      return `Air temperature ${n(value, 2)} °C at or above ${n(limit)} °C (setpoint + ${LIMITS.airDeviationC.toFixed(1)} °C); heater off`;
    case "TEMP_LOW":
      return `Air temperature ${n(value, 2)} °C at or below ${n(limit)} °C (setpoint − ${LIMITS.airDeviationC.toFixed(1)} °C)`;
    case "SKIN_TEMP_HIGH":
      return `Skin temperature ${n(value, 2)} °C at or above ${n(limit)} °C (setpoint + ${LIMITS.skinDeviationC.toFixed(1)} °C); heater off`;
    case "SKIN_TEMP_LOW":
      return `Skin temperature ${n(value, 2)} °C at or below ${n(limit)} °C (setpoint − ${LIMITS.skinDeviationC.toFixed(1)} °C)`;
    case "HUMIDITY_HIGH":
      return `Humidity ${n(value)} %RH above ${n(limit)} %RH for 5 min`;
    case "HUMIDITY_LOW":
      return `Humidity ${n(value)} %RH below ${n(limit)} %RH for 5 min`;
    case "SENSOR_FAULT": {
      if (subject === "mismatch") {
        return `Air channels disagree: SHT31 and outlet probe differ by ${n(value, 2)} °C (limit ${n(limit)} °C); heater off`;
      }
      const [channel, cause] = subject.split(":");
      const spec = (CHANNELS as Record<string, { label: string } | undefined>)[channel];
      const what = spec ? spec.label : channel;
      const why = cause === "implausible" && value !== null ? `implausible value ${n(value, 2)}` : (CAUSE_TEXT[cause] ?? cause);
      const consequence = channel === "air" || channel === "probeAir"
        ? "; heater off"
        : channel === "skin" ? `; skin control fell back to air control at ${LIMITS.skinFallbackAirC.toFixed(1)} °C` : "";
      return `Sensor fault: ${what}: ${why}${consequence}`;
    }
    case "FAN_FAILURE":
      return value === null
        ? `Fan failure: no tachometer reading while the fan is driven; heater off`
        : `Fan failure: tachometer ${n(value, 0)} rpm below ${n(limit, 0)} rpm while the fan is driven; heater off`;
    case "HEATER_FAULT":
      return subject === "rise_while_off"
        ? `Heater fault: air rose ${n(value, 2)} °C in ${HEATER_RESPONSE.offRiseWindowMs / 60_000} min with the heater off (limit ${n(limit)} °C); heater off`
        : `Heater fault: air rose only ${n(value, 2)} °C at high heater duty (expected ${n(limit)} °C); heater off`;
    case "POWER_FAILURE":
      return "Power failure: restarted with therapy active; therapy resumed";
    case "STORAGE_FAULT":
      return `Storage fault: ${subject.replace(/_/g, " ") || "a store"} cannot be written (reason in the log); the previous value stays in force`;
    case "SETTINGS_LOST":
      return `Settings lost: the stored therapy settings were ${subject === "missing" ? "missing" : "unreadable"} at start; STANDBY with safe defaults, set them again`;
  }
}
