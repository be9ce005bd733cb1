// The two CRC-8 flavours on the board's sensors, bitwise (a few bytes per tick; no table needed).

/** Dallas/Maxim 1-Wire CRC-8: polynomial x^8 + x^5 + x^4 + 1 (0x31, processed reflected as 0x8C),
 *  init 0, LSB first. A ROM code or scratchpad including its CRC byte checks to 0. */
export function crc8Maxim(bytes: ArrayLike<number>, length: number = bytes.length): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    let b = bytes[i] & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      const mix = (crc ^ b) & 1;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      b >>= 1;
    }
  }
  return crc;
}

/** Sensirion CRC-8: polynomial 0x31, init 0xFF, MSB first, no final XOR (SHT3x datasheet 4.12). */
export function crc8Sensirion(bytes: ArrayLike<number>, start = 0, length = 2): number {
  let crc = 0xff;
  for (let i = start; i < start + length; i++) {
    crc ^= bytes[i] & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
    }
  }
  return crc;
}
