// Moddable's `onewire` module as the drivers' OneWireBus. Platform-free, so it is tested on
// Node against a double that behaves like the SDK's ESP32 native (src/device/buses.ts hands
// it the real module).
import type { OneWireBus } from "./bus";
import { romInWireOrder } from "./onewire-rom";

/**
 * The part of Moddable's `onewire` the drivers use, as the SDK declares it
 * (`$MODDABLE/modules/drivers/onewire/onewire.d.ts`: `read(count): number | Uint8Array`,
 * `search(): Uint8Array[]`) and as its ESP32 native (`esp32/modonewire.c`) behaves:
 * `read(count)` and `search()` hand out ArrayBuffers, `write` takes one byte, and the ROM
 * codes of `search()` come byte-reversed (CRC first).
 */
export interface ModdableOneWire {
  read(count: number): number | Uint8Array | ArrayBuffer;
  write(data: number): void;
  search(): ReadonlyArray<Uint8Array | ArrayBuffer>;
  reset(): boolean;
}

/** Whatever `read(count)` returned, as bytes (a view, not a copy, of a returned buffer). */
export function oneWireBytes(value: number | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof value === "number") return Uint8Array.of(value & 0xff);
  if (value instanceof Uint8Array) return value;
  return new Uint8Array(value);
}

/** The module bound to OneWireBus: byte access, a native ROM search (no bit slots), ROMs in
 *  wire order whatever order the port returns them in. */
export function moddableOneWireBus(ow: ModdableOneWire): OneWireBus {
  return {
    reset: () => ow.reset(),
    writeByte: (byte: number) => ow.write(byte & 0xff),
    // read() without a count returns a number on the ESP32, but the SDK declares `count` as
    // required: ask for one byte.
    readByte: () => oneWireBytes(ow.read(1))[0] ?? 0xff,
    readBytes: (count: number) => {
      const bytes = oneWireBytes(ow.read(count));
      if (bytes.length !== count) throw new Error(`1-Wire read returned ${bytes.length} bytes, ${count} asked for`);
      return bytes;
    },
    nativeSearch: () => ow.search().map((rom) => romInWireOrder(oneWireBytes(rom))),
  };
}
