// INTERIM (issue 10, until issue 11's RecordStore on `preference` lands): each record as one
// `preference` string under its name, written synchronously. No A/B slots, no checksum: a
// write cut by a power loss can leave the record unreadable (then the caller's default is
// used). Replace by the persist engineer's device RecordStore at merge.
import Preference from "preference";
import type { RecordStore } from "../core/record-store";

const NAME = /^[a-z0-9]{1,8}$/;
const MAX_TEXT = 4000; // bytes in one NVS string

export class PreferenceRecordStore implements RecordStore {
  constructor(private readonly domain = "incunest-rec") {}

  load(name: string): string | null {
    try {
      const value = Preference.get(this.domain, name);
      return typeof value === "string" ? value : null;
    } catch {
      return null;
    }
  }

  save(name: string, text: string): Promise<void> {
    if (!NAME.test(name)) return Promise.reject(new Error(`record name ${JSON.stringify(name)}: at most 8 characters of [a-z0-9]`));
    if (text.length > MAX_TEXT) return Promise.reject(new Error(`record ${name}: ${text.length} characters, at most ${MAX_TEXT}`));
    try {
      Preference.set(this.domain, name, text);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(new Error(`record ${name}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
}
