// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection): the checksum of every
// trend and event log slot, so a torn or corrupt slot is found and skipped at boot.

const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[n] = c;
}

/** The CRC of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  const table = TABLE;
  let crc = 0xffff;
  // crc stays within 16 bits, so (crc >> 8) ^ byte is a table index as it is.
  for (let i = start; i < end; i++) crc = (table[(crc >> 8) ^ bytes[i]] ^ (crc << 8)) & 0xffff;
  return crc;
}
