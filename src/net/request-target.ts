// The request target of an HTTP request line (RFC 9112 §3.2): origin form
// ("/path?query"), absolute form ("http://host/path?query", as proxies send), or "*".
import { startsWithIgnoringCase } from "./text-scan";

export interface RequestTarget {
  /** Percent-decoded path, e.g. "/ws". */
  readonly path: string;
  /** Decoded query parameters; of repeated names the last wins. */
  readonly query: Record<string, string>;
}

function decodeComponent(text: string, plusIsSpace: boolean): string | null {
  try {
    return decodeURIComponent(plusIsSpace && text.indexOf("+") >= 0 ? text.split("+").join(" ") : text);
  } catch {
    return null;
  }
}

/** Splits and decodes a query string ("a=1&b=x%20y"); a malformed pair is left out. */
export function parseQuery(text: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq), true);
    const value = decodeComponent(eq < 0 ? "" : pair.slice(eq + 1), true);
    // A malformed %-escape: the parameter is ignored (a missing key is refused later).
    if (name !== null && value !== null) query[name] = value;
  }
  return query;
}

/** The path and query of `target`, or a sentence saying what is wrong with it. */
export function parseRequestTarget(target: string): RequestTarget | string {
  let rest = target;
  if (rest === "*") return { path: "*", query: {} };
  if (!rest.startsWith("/")) {
    const authority = startsWithIgnoringCase(rest, "http://") ? 7 : startsWithIgnoringCase(rest, "https://") ? 8 : -1;
    if (authority < 0) return `request target "${target.slice(0, 40)}" is neither a path nor an http URL`;
    let end = authority;
    while (end < rest.length && "/?#".indexOf(rest.charAt(end)) < 0) end++;
    rest = rest.slice(end) || "/";
    if (!rest.startsWith("/")) rest = `/${rest}`;
  }
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  const path = decodeComponent(q < 0 ? rest : rest.slice(0, q), false);
  if (path === null) return `request path "${rest.slice(0, 40)}" has a malformed %-escape`;
  return { path, query: q < 0 ? {} : parseQuery(rest.slice(q + 1)) };
}
