// Number and time formats of Indigo's JSON objects.

/** Rounds to `decimals` places; null stays null (no sentinel for a missing reading). */
export function round(value: number | null, decimals: number): number | null {
  if (value === null || !isFinite(value)) return null;
  const scale = Math.pow(10, decimals);
  return Math.round(value * scale) / scale;
}

/** "2023-02-16T15:43:53": Indigo's lastChanged form (seconds, no zone; ours is UTC). */
export function indigoDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

/** "2022-12-01T12:03:27.759000": Indigo's log timeStamp form (microseconds, no zone; ours is UTC). */
export function indigoTimeStamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 23) + "000";
}
