import { base64Decode } from "./base64";
import { codeAt, isOws, startsWithIgnoringCase, trimOws } from "./text-scan";
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
    const bearer = credentials(header, "Bearer");
    if (bearer !== null) return bearer;
    const basic = credentials(header, "Basic");
    if (basic !== null && isBase64(basic)) {
      const bytes = base64Decode(basic);
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
  const na = a.length;
  const nb = b.length;
  let diff = na ^ nb;
  const n = Math.max(na, nb);
  for (let i = 0; i < n; i++) diff |= (codeAt(a, i % (na || 1)) | 0) ^ (codeAt(b, i % (nb || 1)) | 0);
  return diff === 0;
}

/** The credentials after `scheme` and white space in an Authorization value, or null when
 *  the value is of another scheme or its credentials are empty or hold white space. */
function credentials(header: string, scheme: string): string | null {
  const value = trimOws(header);
  if (!startsWithIgnoringCase(value, scheme) || !isOws(codeAt(value, scheme.length))) return null;
  const token = trimOws(value, scheme.length);
  const n = token.length;
  for (let i = 0; i < n; i++) if (isOws(codeAt(token, i))) return null;
  return n > 0 ? token : null;
}

/** [A-Za-z0-9+/]+ then any "=" padding. */
function isBase64(text: string): boolean {
  const n = text.length;
  let i = 0;
  for (; i < n; i++) {
    const c = codeAt(text, i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && c !== 0x2b && c !== 0x2f) break;
  }
  if (i === 0) return false;
  while (i < n && codeAt(text, i) === 0x3d) i++;
  return i === n;
}
