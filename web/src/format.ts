// Number and time formatting for the bedside: fixed decimals, local wall time.

export function fixed(value: number | null | undefined, digits: number, empty = "--"): string {
  return value === null || value === undefined || !Number.isFinite(value) ? empty : value.toFixed(digits);
}

const pad = (n: number) => (n < 10 ? "0" : "") + n;

/** hh:mm:ss in the browser's time zone. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** yyyy-mm-dd hh:mm:ss in the browser's time zone. */
export function dateTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(epochMs)}`;
}

/** m:ss of a duration. */
export function minutesSeconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** Epoch ms of an ISO 8601 text, or null. */
export function isoMs(text: string | null | undefined): number | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
