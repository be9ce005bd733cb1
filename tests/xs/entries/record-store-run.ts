// XS entry for tests/xs/records-on-xs.test.ts: the record codec (CRC-32, slots) and the A/B
// record store over a simulated ESP32 `preference`, power cut at every step of a series of
// saves, between and within key writes - the very code of src/device/preference-store.ts
// but for Moddable's Preference class. Synchronous: writes run at once (no timers on XS),
// a save's outcome is what the store reports to its StorageFaultReporter.
import { AbRecordStore } from "../../../src/core/ab-record-store";
import { crc32Utf8 } from "../../../src/core/crc32";
import { PreferenceSlots } from "../../../src/core/preference-slots";
import { decodeSlot, encodeSlot } from "../../../src/core/record-slot";
import { decodeSettingsRecord, encodeSettingsRecord } from "../../../src/core/settings-record";
import { SimEsp32Preference } from "../../support/sim-esp32-preference";

export interface RecordRunInput {
  readonly texts: readonly string[];
}

export interface CutOutcome {
  readonly tear: boolean;
  readonly cutAt: number;
  readonly acknowledged: string | null;
  readonly inFlight: string | null;
  readonly loaded: string | null;
}

export function run(input: RecordRunInput) {
  const codec = input.texts.map((t, i) => {
    const slot = encodeSlot("settings", i * 0x10001, t);
    const back = decodeSlot("settings", slot);
    return { crc: crc32Utf8(t), slot, ok: back.ok, same: back.ok && back.text === t, torn: decodeSlot("settings", slot.slice(0, slot.length - 1)).ok };
  });
  const settings = encodeSettingsRecord({ setpoints: { air: 38.25, skin: 36.5, humidity: 61.5, override: true }, mode: "skin", therapyActive: true });
  const decoded = decodeSettingsRecord(settings);
  const cuts: CutOutcome[] = [];
  for (const tear of [false, true]) {
    for (let cutAt = 1; cutAt < 200; cutAt++) {
      const pref = new SimEsp32Preference(cutAt, tear);
      let failed = false;
      const store = new AbRecordStore({ medium: new PreferenceSlots(pref), schedule: (w) => w(), health: { failed: () => { failed = true; }, recovered: () => {} } });
      let acknowledged: string | null = null;
      let inFlight: string | null = null;
      for (const text of input.texts) {
        inFlight = text;
        store.save("settings", text).catch(() => {});
        if (failed) break;
        acknowledged = text;
        inFlight = null;
      }
      const loaded = new AbRecordStore({ medium: new PreferenceSlots(pref.reboot()), schedule: (w) => w() }).load("settings");
      if (inFlight === null) break;
      cuts.push({ tear, cutAt, acknowledged, inFlight, loaded });
    }
  }
  return { codec, settings, decoded, cuts };
}
