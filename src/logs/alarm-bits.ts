// The bit of each alarm code in a trend record's alarm set. Append-only: a stored record
// keeps its meaning, so a new code takes the next free bit and none is ever reused.

export const ALARM_BITS: Readonly<Record<string, number>> = Object.freeze({
  OVERTEMP: 1 << 0,
  TEMP_HIGH: 1 << 1,
  TEMP_LOW: 1 << 2,
  SKIN_TEMP_HIGH: 1 << 3,
  SKIN_TEMP_LOW: 1 << 4,
  HUMIDITY_HIGH: 1 << 5,
  HUMIDITY_LOW: 1 << 6,
  SENSOR_FAULT: 1 << 7,
  FAN_FAILURE: 1 << 8,
  HEATER_FAULT: 1 << 9,
  POWER_FAILURE: 1 << 10,
  STORAGE_FAULT: 1 << 11,
  SETTINGS_LOST: 1 << 12,
});

/** The codes of a bit set, in bit order. */
export function alarmCodes(bits: number): string[] {
  const codes: string[] = [];
  for (const code of Object.keys(ALARM_BITS)) if (bits & ALARM_BITS[code]) codes.push(code);
  return codes;
}
