// application/x-www-form-urlencoded, as a browser posts an HTML form.

/** The fields of a form body; a field whose escapes are malformed is left out and named. */
export function parseForm(body: string): { readonly fields: Readonly<Record<string, string>>; readonly malformed: readonly string[] } {
  const fields: Record<string, string> = {};
  const malformed: string[] = [];
  if (body === "") return { fields, malformed };
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    try {
      fields[decodeURIComponent(rawName.replace(/\+/g, " "))] = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      malformed.push(rawName);
    }
  }
  return { fields, malformed };
}
