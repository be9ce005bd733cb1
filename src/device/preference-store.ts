import { AbRecordStore } from "../core/ab-record-store";
import { PreferenceSlots } from "../core/preference-slots";
import type { StorageFaultReporter } from "../core/storage-health";
import type { SettingsStore } from "../core/types";

/**
 * The device's RecordStore: the A/B record store over Moddable `preference` (every decision
 * is in src/core/ab-record-store.ts and preference-slots.ts, tested on Node and XS against a
 * simulated ESP32 `preference` that loses power between and within key writes).
 * `schedule` runs the writes after the control tick (Timers.after(0)).
 */
export function preferenceRecordStore(preference: ModdablePreference, schedule: (work: () => void) => void, health?: StorageFaultReporter, domain = "incunest-rec"): AbRecordStore {
  return new AbRecordStore({ medium: new PreferenceSlots(preference, domain), schedule, health });
}

/**
 * Moddable's `preference` module, given by the entry (src/device/main.ts, which is not
 * preloaded) rather than imported here: this module is preloaded, and a preloaded module's
 * imports are preloaded with it. The simulators' `preference` (modules/files/preference/lin)
 * keeps its values in a module-level object, which preloading freezes into flash: every
 * `set` then threw inside it ("read only value"), caught there, and left the records file
 * empty, so the simulator forgot its records and a restart came back in STANDBY.
 */
export interface ModdablePreference {
  get(domain: string, key: string): unknown;
  set(domain: string, key: string, value: number | string): void;
  delete(domain: string, key: string): void;
  keys(domain: string): string[];
}

/**
 * The key-value settings of earlier firmware (domain "incunest": air, skin, … as integers),
 * read once at boot to carry them into the settings record (src/core/boot-records.ts), and
 * the Wi-Fi keys set up by earlier firmware. NVS holds integers, strings and buffers, no
 * floats; a value of the wrong type reads as NaN so the legacy codec names it as corrupt.
 */
export class PreferenceStore implements SettingsStore {
  constructor(
    private readonly preference: ModdablePreference,
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
      this.preference.delete(this.domain, key);
    } catch (e) {
      this.onError(`preference ${key}: delete failed: ${String(e)}`);
    }
  }

  private read(key: string): unknown {
    try {
      return this.preference.get(this.domain, key);
    } catch (e) {
      this.onError(`preference ${key}: read failed: ${String(e)}`);
      return undefined;
    }
  }

  private write(key: string, value: number | string): void {
    try {
      this.preference.set(this.domain, key, value);
    } catch (e) {
      this.onError(`preference ${key}: write failed: ${String(e)}`);
    }
  }
}
