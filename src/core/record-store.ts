// Named records that must survive a reboot (settings, the API key, the alarm history,
// calibration, what the controller learned, the MQTT configuration, ...). Each record is
// written whole or not at all: the implementation (ab-record-store.ts, on the host's files
// and the device's `preference`) keeps two slots per record with a checksum and a
// generation number and always writes the older slot, so a power cut at any byte of any
// write leaves the previous copy or the new one.

export interface RecordStore {
  /** The newest intact copy of record `name`, or null when none was ever saved or none
   *  is readable (the caller then uses its defaults and says so). Synchronous: boot only. */
  load(name: string): string | null;
  /** Stores `text` as record `name`. Resolves once it is stored durably; rejects with an
   *  Error saying why not, and the previous copy stays the one `load` returns. Writes run
   *  after the control tick, never inside it, one at a time in the order asked; a save
   *  queued behind another of the same record is merged into it (both resolve together).
   *  Names: 1 to 8 characters of [a-z0-9]. Text: at most 3978 UTF-8 bytes (one ESP32 NVS
   *  string with its header), no NUL. A failed save is reported to the store's
   *  StorageFaultReporter under the record's name (STORAGE_FAULT until a save succeeds). */
  save(name: string, text: string): Promise<void>;
}
