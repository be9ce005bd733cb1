// CRC-32 (IEEE 802.3, the one of zip and PNG: reflected polynomial 0xEDB88320, init and
// final XOR 0xFFFFFFFF) over the UTF-8 bytes of a string, computed without encoding it, so
// the same text gives the same checksum on Node and on XS. Check value: "123456789" → cbf43926.
import { codeAt } from "./code-at";

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function add(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
}

/** CRC-32 of `text`'s UTF-8 encoding (a lone surrogate counts as U+FFFD, as TextEncoder does). */
export function crc32Utf8(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0, textLength = text.length; i < textLength; i++) {
    let c = codeAt(text, i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < textLength ? codeAt(text, i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    }
    if (c < 0x80) crc = add(crc, c);
    else if (c < 0x800) {
      crc = add(crc, 0xc0 | (c >> 6));
      crc = add(crc, 0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      crc = add(crc, 0xe0 | (c >> 12));
      crc = add(crc, 0x80 | ((c >> 6) & 0x3f));
      crc = add(crc, 0x80 | (c & 0x3f));
    } else {
      crc = add(crc, 0xf0 | (c >> 18));
      crc = add(crc, 0x80 | ((c >> 12) & 0x3f));
      crc = add(crc, 0x80 | ((c >> 6) & 0x3f));
      crc = add(crc, 0x80 | (c & 0x3f));
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}
