// Indigo object ids: positive 31-bit integers that stay the same across reboots and
// firmware builds, derived from a fixed name per object (FNV-1a, 32 bit).
import { codeAt } from "../../core/code-at";

const ID_FLOOR = 100_000_000;
const ID_SPAN = 2_147_483_647 - ID_FLOOR;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0, textLength = text.length; i < textLength; i++) {
    hash ^= codeAt(text, i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The id of the object named `key` (e.g. "device:incubator"); nine or ten digits like Indigo's. */
export function stableId(key: string): number {
  return ID_FLOOR + (fnv1a("incunest:" + key) % ID_SPAN);
}
