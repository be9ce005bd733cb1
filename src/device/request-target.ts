// Pure helpers of the device's HTTP front (no Moddable modules: tested on Node).

/** The request line split into a path and decoded query parameters. */
export function parseTarget(target: string): { path: string; query: Record<string, string> } {
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const pair of target.slice(q + 1).split("&")) {
      if (!pair) continue;
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? "" : pair.slice(eq + 1);
      try {
        query[decodeURIComponent(name.replace(/\+/g, " "))] = decodeURIComponent(value.replace(/\+/g, " "));
      } catch {
        // a malformed %-escape: the parameter is ignored (and a missing key is refused later)
      }
    }
  }
  return { path, query };
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
