import { base64Decode } from "./base64";
import { decodeUtf8 } from "./utf8";

/** Where a request may carry the key: the Authorization header and the query. */
export interface KeyCarrier {
  readonly authorization?: string;
  readonly query: Readonly<Record<string, string>>;
}

/** The key a client presented: `Authorization: Bearer <key>`, Basic auth with the key as
 *  password (any user name), or `?api-key=<key>`; null when none. */
export function presentedKey(request: KeyCarrier): string | null {
  const header = request.authorization;
  if (header) {
    const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer) return bearer[1];
    const basic = /^\s*Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
    if (basic) {
      const bytes = base64Decode(basic[1]);
      if (bytes) {
        const text = decodeUtf8(bytes);
        const colon = text.indexOf(":");
        if (colon >= 0 && colon + 1 < text.length) return text.slice(colon + 1);
      }
    }
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
