// JSON pieces the push protocols (/ws and MQTT) share, built by concatenation so the
// per-second messages make no intermediate objects.
import type { AlarmInfo } from "../core/api";
import { isoUtc } from "./iso-time";

/** A measurement rounded to `scale` (100 = two decimals); null stays null. */
export function num(value: number | null, scale: number): string {
  if (value === null || !Number.isFinite(value)) return "null";
  return "" + Math.round(value * scale) / scale;
}

export function isoOrNull(epochMs: number | null): string {
  return epochMs === null ? "null" : '"' + isoUtc(epochMs) + '"';
}

/** `"id":…,"code":…,"level":…,"message":…,"active":…` (the seed's alarm fields). */
export function alarmIdentityFields(a: AlarmInfo): string {
  return '"id":' + a.id + ',"code":"' + a.code + '","level":"' + a.level + '","message":' + JSON.stringify(a.message) + ',"active":' + a.active;
}

/** `"priority":… … "cleared_at":…` (what PRODUCT.md adds to an alarm). */
export function alarmStatusFields(a: AlarmInfo): string {
  return (
    '"priority":"' + a.priority +
    '","acknowledged":' + a.acknowledged +
    ',"latching":' + a.latching +
    ',"value":' + num(a.value, 100) +
    ',"limit":' + num(a.limit, 100) +
    ',"raised_at":' + isoOrNull(a.raisedAtMs) +
    ',"acknowledged_at":' + isoOrNull(a.acknowledgedAtMs) +
    ',"cleared_at":' + isoOrNull(a.clearedAtMs)
  );
}
