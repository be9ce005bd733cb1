// Named records that must survive a reboot (settings, the API key, calibration, what the
// controller learned, the MQTT configuration, ...). Each record is written whole or not
// at all: the implementation (issue 11) keeps two slots per record with a checksum and a
// generation number, on the host's file store and on the device's `preference`.

export interface RecordStore {
  /** The newest intact copy of record `name`, or null when none was ever saved or none
   *  is readable (the caller then uses its defaults and says so). Synchronous: boot only. */
  load(name: string): string | null;
  /** Stores `text` as record `name`. Resolves once it is stored; rejects with an Error
   *  saying why not, and the previous copy stays the one `load` returns. Writes run after
   *  the control tick, never inside it. Names: at most 8 characters of [a-z0-9]. */
  save(name: string, text: string): Promise<void>;
}
