// The Wi-Fi the device joins, as saved on the set-up page: record "wifi".
import type { WifiCredentials } from "./setup-route";

export const WIFI_RECORD = "wifi";

export function encodeWifiRecord(c: WifiCredentials): string {
  return JSON.stringify({ ssid: c.ssid, password: c.password });
}

/** The stored credentials, or why the record cannot be used. */
export function decodeWifiRecord(text: string): { readonly ok: true; readonly credentials: WifiCredentials } | { readonly ok: false; readonly error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const d = data as Record<string, unknown> | null;
  if (typeof d !== "object" || d === null || typeof d.ssid !== "string" || d.ssid === "" || typeof d.password !== "string") {
    return { ok: false, error: 'expected {"ssid": "<name>", "password": "<password>"}' };
  }
  return { ok: true, credentials: { ssid: d.ssid, password: d.password } };
}
