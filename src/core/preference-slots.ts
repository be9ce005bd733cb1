// Record slots in Moddable `preference` (ESP32 NVS; a JSON file in the simulator), for the
// A/B store (ab-record-store.ts). One string value per slot: keys "<name>.a" and "<name>.b"
// (at most 10 characters; NVS allows 15), values up to 3999 bytes (NVS strings hold 4000 with
// the NUL). On the ESP32 `Preference.set` erases the key and then writes it, committing each
// step: a cut between the two leaves the slot gone, a cut inside the write leaves it torn.
// Either way it is the slot being written, never the one holding the newest copy.
// The device binding (src/device/preference-store.ts) passes Moddable's Preference class;
// tests pass a simulated one that cuts the power between and within those steps.
import type { SlotMedium } from "./ab-record-store";

/** The part of Moddable's `Preference` class the slots use. */
export interface PreferenceLike {
  get(domain: string, key: string): unknown;
  set(domain: string, key: string, value: string): void;
  delete(domain: string, key: string): void;
  keys(domain: string): string[];
}

/** Corrupt copies kept per slot: NVS holds 20 kB in all (partition 0x5000), so not unbounded. */
export const MAX_KEPT_COPIES = 3;

export class PreferenceSlots implements SlotMedium {
  constructor(private readonly preference: PreferenceLike, readonly domain = "incunest-rec") {}

  read(key: string): string | null {
    const v = this.preference.get(this.domain, key);
    if (v === undefined || v === null) return null;
    // A number or a buffer where a slot belongs: unreadable, and said so by the decoder.
    return typeof v === "string" ? v : `(not a string: ${typeof v})`;
  }

  write(key: string, content: string): void {
    this.preference.set(this.domain, key, content);
  }

  erase(key: string): void {
    this.preference.delete(this.domain, key);
  }

  keepCorrupt(key: string, content: string): string {
    for (let n = 1; n <= MAX_KEPT_COPIES; n++) {
      const copy = `${key}~${n}`;
      if (this.preference.get(this.domain, copy) !== undefined) continue;
      this.preference.set(this.domain, copy, content);
      return `preference ${this.domain}/${copy}`;
    }
    throw new Error(`${MAX_KEPT_COPIES} copies of ${key} are kept already; delete them to keep more`);
  }

  keys(): readonly string[] {
    return this.preference.keys(this.domain);
  }

  describe(key: string): string {
    return `preference ${this.domain}/${key}`;
  }
}
