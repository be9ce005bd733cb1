import { hasBitSlots, type OneWireBus, type OneWireBitBus } from "./bus";
import { crc8Maxim } from "./crc8";

// ROM-level 1-Wire: ROM search (Maxim application note 187), Match ROM, and ROM codes as
// text. A ROM code is 8 bytes in wire order: family code, 48-bit serial (LSB first), CRC.

export const ONEWIRE_ROM_COMMAND = Object.freeze({
  SEARCH_ROM: 0xf0,
  READ_ROM: 0x33,
  MATCH_ROM: 0x55,
  SKIP_ROM: 0xcc,
});

/** More devices than this on one bus means the search is looping on a broken bus. */
const MAX_DEVICES = 32;

export type RomSearchResult =
  | { readonly ok: true; readonly roms: readonly Uint8Array[] }
  | { readonly ok: false; readonly roms: readonly Uint8Array[]; readonly error: string };

export function romToHex(rom: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < rom.length; i++) s += (rom[i] & 0xff).toString(16).padStart(2, "0");
  return s;
}

/** Parses 16 hex digits (wire order, family code first; ':' '-' and spaces allowed between bytes)
 *  and checks the ROM's CRC. */
export function parseRom(text: string): { rom: Uint8Array } | { error: string } {
  const digits = text.replace(/[\s:-]/g, "");
  if (!/^[0-9a-fA-F]{16}$/.test(digits)) {
    return { error: `ROM code "${text}" is not 16 hex digits (8 bytes, family code first)` };
  }
  const rom = new Uint8Array(8);
  for (let i = 0; i < 8; i++) rom[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  if (crc8Maxim(rom) !== 0) {
    return { error: `ROM code "${text}" fails its CRC (last byte should be 0x${crc8Maxim(rom, 7).toString(16).padStart(2, "0")})` };
  }
  return { rom };
}

export function romsEqual(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A ROM code from a search whose byte order is unknown (Moddable's ESP32 port returns it
 *  reversed, CRC first): the orientation whose CRC checks is the wire order. Where both check
 *  (about 1 in 256), the one starting with a DS18B20 family code wins. */
export function romInWireOrder(bytes: ArrayLike<number>): Uint8Array {
  const asIs = Uint8Array.from(bytes as ArrayLike<number>);
  const reversed = asIs.slice().reverse();
  const asIsOk = asIs.length === 8 && crc8Maxim(asIs) === 0;
  const reversedOk = reversed.length === 8 && crc8Maxim(reversed) === 0;
  if (reversedOk && (!asIsOk || (reversed[0] === 0x28 && asIs[0] !== 0x28))) return reversed;
  return asIs;
}

/** Reset, then Match ROM: afterwards only `rom` listens. False when nobody answered the reset. */
export function matchRom(bus: OneWireBus, rom: ArrayLike<number>): boolean {
  if (!bus.reset()) return false;
  bus.writeByte(ONEWIRE_ROM_COMMAND.MATCH_ROM);
  for (let i = 0; i < 8; i++) bus.writeByte(rom[i]);
  return true;
}

/** Finds every device on the bus. Uses bit slots (AN187) when the bus has them, else the
 *  bus's native search; either way each ROM's CRC is checked here. Never throws. */
export function searchRoms(bus: OneWireBus): RomSearchResult {
  let roms: Uint8Array[];
  try {
    if (hasBitSlots(bus)) return searchWithBitSlots(bus);
    if (!bus.nativeSearch) return { ok: false, roms: [], error: "bus offers neither bit slots nor a native ROM search" };
    roms = bus.nativeSearch().map((r) => new Uint8Array(r));
  } catch (error) {
    return { ok: false, roms: [], error: `ROM search failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const bad = roms.find((r) => r.length !== 8 || crc8Maxim(r) !== 0);
  if (bad) return { ok: false, roms: roms.filter((r) => r !== bad), error: `ROM ${romToHex(bad)} fails its CRC` };
  return { ok: true, roms };
}

/** Maxim AN187: each pass walks the 64 ROM bits; where devices disagree (both the bit and
 *  its complement read 0) it takes the 0 branch first and returns to the last such fork. */
function searchWithBitSlots(bus: OneWireBitBus): RomSearchResult {
  const roms: Uint8Array[] = [];
  const rom = new Uint8Array(8);
  let lastDiscrepancy = 0;
  for (;;) {
    if (!bus.reset()) {
      return roms.length === 0 ? { ok: true, roms } : { ok: false, roms, error: "presence lost during ROM search" };
    }
    bus.writeByte(ONEWIRE_ROM_COMMAND.SEARCH_ROM);
    let lastZero = 0;
    for (let bitNumber = 1; bitNumber <= 64; bitNumber++) {
      const byteIndex = (bitNumber - 1) >> 3;
      const mask = 1 << ((bitNumber - 1) & 7);
      const idBit = bus.readBit();
      const complement = bus.readBit();
      let direction: 0 | 1;
      if (idBit === 1 && complement === 1) {
        // Nobody is left answering: a device dropped off mid-search or the line is open.
        return roms.length === 0 && bitNumber === 1
          ? { ok: true, roms }
          : { ok: false, roms, error: `no device answered at ROM bit ${bitNumber}` };
      } else if (idBit !== complement) {
        direction = idBit;
      } else if (bitNumber < lastDiscrepancy) {
        direction = rom[byteIndex] & mask ? 1 : 0;
      } else {
        direction = bitNumber === lastDiscrepancy ? 1 : 0;
      }
      if (direction === 0 && idBit === 0 && complement === 0) lastZero = bitNumber;
      if (direction) rom[byteIndex] |= mask;
      else rom[byteIndex] &= ~mask;
      bus.writeBit(direction);
    }
    if (crc8Maxim(rom) !== 0) return { ok: false, roms, error: `ROM ${romToHex(rom)} fails its CRC` };
    roms.push(rom.slice());
    lastDiscrepancy = lastZero;
    if (lastDiscrepancy === 0) return { ok: true, roms };
    if (roms.length >= MAX_DEVICES) return { ok: false, roms, error: `more than ${MAX_DEVICES} devices found; search stopped` };
  }
}
