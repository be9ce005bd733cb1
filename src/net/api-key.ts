import type { UpgradeRequest } from "./endpoint";

/** The key a client presented: `Authorization: Bearer <key>` or `?api-key=<key>`. */
export function presentedKey(request: UpgradeRequest): string | null {
  const header = request.authorization;
  if (header) {
    const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const query = request.query["api-key"];
  return typeof query === "string" && query.length > 0 ? query : null;
}

/** Compares without an early exit, so the time taken does not reveal a matching prefix. */
export function keysEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i % (a.length || 1)) | 0) ^ (b.charCodeAt(i % (b.length || 1)) | 0);
  return diff === 0;
}
