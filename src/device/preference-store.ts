import Preference from "preference";
import type { SettingsStore } from "../core/types";

/**
 * The SettingsStore of the device: Moddable `preference` (ESP32 NVS; a JSON file in the
 * simulator). NVS holds integers, strings and buffers, no floats, keys of at most 15
 * characters. Each `set` is one NVS write, atomic on its own; a value of the wrong type
 * reads as NaN so the settings codec names it as corrupt.
 */
export class PreferenceStore implements SettingsStore {
  constructor(
    private readonly domain = "incunest",
    /** Hears of a failed write (flash full); the write never throws into the caller. */
    private readonly onError: (message: string) => void = () => {},
  ) {}

  getInt(key: string): number | undefined {
    const v = this.read(key);
    if (v === undefined) return undefined;
    return typeof v === "number" ? v : NaN;
  }

  getString(key: string): string | undefined {
    const v = this.read(key);
    if (v === undefined) return undefined;
    return typeof v === "string" ? v : String(v);
  }

  setInt(key: string, value: number): void {
    if (!Number.isSafeInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      this.onError(`preference ${key}: ${value} is not a 32-bit integer; not saved`);
      return;
    }
    this.write(key, value);
  }

  setString(key: string, value: string): void {
    this.write(key, value);
  }

  delete(key: string): void {
    try {
      Preference.delete(this.domain, key);
    } catch (e) {
      this.onError(`preference ${key}: delete failed: ${String(e)}`);
    }
  }

  private read(key: string): unknown {
    try {
      return Preference.get(this.domain, key);
    } catch (e) {
      this.onError(`preference ${key}: read failed: ${String(e)}`);
      return undefined;
    }
  }

  private write(key: string, value: number | string): void {
    try {
      Preference.set(this.domain, key, value);
    } catch (e) {
      this.onError(`preference ${key}: write failed: ${String(e)}`);
    }
  }
}
