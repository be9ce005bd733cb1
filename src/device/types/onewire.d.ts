// Moddable's `onewire` module (modules/drivers/onewire) as its ESP32 implementation
// actually behaves; @moddable/typings has no declaration for it. Differences to the SDK's
// own onewire.d.ts: `read(count)` returns an ArrayBuffer (not a Uint8Array), `write`
// takes one byte (the ESP32 native ignores anything but an integer), and `search()`
// returns ArrayBuffers whose byte order depends on the port (ESP32: CRC first).
declare module "onewire" {
  export default class OneWire {
    constructor(options: { pin: number });
    close(): void;
    /** One byte, or `count` bytes. */
    read(): number;
    read(count: number): ArrayBuffer;
    write(byte: number): void;
    /** Reset, Match ROM, the 8 ROM bytes (in the order `search` returned them). */
    select(rom: ArrayBuffer | Uint8Array): void;
    /** A ROM search done natively (no bit slots are exposed). */
    search(): ArrayBuffer[];
    isPresent(rom: ArrayBuffer | Uint8Array): boolean;
    /** Reset pulse; true when a presence pulse was seen. */
    reset(): boolean;
    static crc(buffer: ArrayBuffer | Uint8Array, length?: number): number;
    static hex(buffer: ArrayBuffer | Uint8Array): string;
  }
}
