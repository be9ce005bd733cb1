// Compare-and-set of an object's primitive leaves, recording each change as a dictdiffer
// "change" entry, and the patch message those entries make, encoded by concatenation.
// The entries are kept in preallocated parallel arrays reused from object to object and
// tick to tick: a tick that changes nothing allocates nothing here, and one that changes
// a few leaves allocates only its message string.
//
// Entry order is the order of the `set` calls: the caller sets leaves in its object's key
// order (depth first), which is the order dictdiffer's diff lists them in. Paths follow
// diff.ts: "key" and "parent.key", or the list form ["parent", key] when a key holds a dot
// or is a list index. Only leaves of the root or of one of its direct children are set.
import type { JsonObject, JsonValue } from "./diff";

type Container = JsonObject | JsonValue[];

export class PatchWriter {
  /** Entries recorded since `begin`. */
  count = 0;
  /** How many entries precede the object's lastChanged / lastSuccessfulComm keys. */
  private stampAt = 0;
  private readonly parents: Array<string | null> = [];
  private readonly keys: Array<string | number> = [];
  private readonly olds: JsonValue[] = [];
  private readonly news: JsonValue[] = [];

  begin(): void {
    this.count = 0;
    this.stampAt = 0;
  }

  /**
   * Sets `container[key]` to `value`; records a change when it differs. `parent`: the key
   * of `container` in the root object, null for the root itself.
   */
  set(container: Container, parent: string | null, key: string | number, value: JsonValue): void {
    const old = (container as JsonObject)[key as string];
    // Two NaNs are no change (as in diff.ts); ±0 compare equal and print alike.
    if (old === value || (old !== old && value !== value)) return;
    (container as JsonObject)[key as string] = value;
    const i = this.count++;
    this.parents[i] = parent;
    this.keys[i] = key;
    this.olds[i] = old;
    this.news[i] = value;
  }

  /** Marks where, in key order, the object's stamps lie (after the entries so far). */
  markStamps(): void {
    this.stampAt = this.count;
  }

  /**
   * The patch message of the recorded entries for object `id`; with `stamp`, the
   * lastChanged / lastSuccessfulComm changes from `previousStamp` at their place.
   * `head`: the message up to the object id, e.g. {"message":"patch","objectType":"…","objectId":
   */
  encode(head: string, id: number, stamp: string | null, previousStamp: JsonValue): string {
    let text = head + id + ',"patch":[';
    for (let i = 0; i <= this.count; i++) {
      if (i === this.stampAt && stamp !== null) text += (i > 0 ? "," : "") + stampEntries(previousStamp, stamp);
      if (i === this.count) break;
      if (i > 0 || (this.stampAt === 0 && stamp !== null)) text += ",";
      text += '["change",' + pathJson(this.parents[i], this.keys[i]) + ",[" + jsonLeaf(this.olds[i]) + "," + jsonLeaf(this.news[i]) + "]]";
    }
    return text + "]}";
  }
}

function stampEntries(previous: JsonValue, stamp: string): string {
  const values = ",[" + jsonLeaf(previous) + "," + jsonString(stamp) + "]]";
  return '["change","lastChanged"' + values + ',["change","lastSuccessfulComm"' + values;
}

/** The dictdiffer path of `key` in the root's child `parent` (null: in the root), as JSON. */
export function pathJson(parent: string | null, key: string | number): string {
  const p = pattern().notPlain;
  // The usual case, one test per key: no dot (a dotted path) and nothing to escape.
  if (typeof key === "string" && !p.test(key) && (parent === null || !p.test(parent))) return parent === null ? '"' + key + '"' : '"' + parent + "." + key + '"';
  const dottable = typeof key === "string" && key.indexOf(".") < 0 && (parent === null || parent.indexOf(".") < 0);
  if (parent === null) return dottable ? jsonString(key as string) : "[" + jsonLeaf(key) + "]";
  return dottable ? jsonString(parent + "." + key) : "[" + jsonString(parent) + "," + jsonLeaf(key) + "]";
}

// JSON.stringify's own text for a primitive, without JSON.stringify: on XS every call of
// it, as every method call on a primitive (charCodeAt, indexOf, toFixed), makes a wrapper
// object (2 slots of garbage); a RegExp test makes none. The RegExps are made at first
// use: made when the module loads, they would be in flash on the device.
// (A test that matches allocates; these are written to fail on the usual text.)
let patterns: { readonly escape: RegExp; readonly notPlain: RegExp } | null = null;
function pattern(): { readonly escape: RegExp; readonly notPlain: RegExp } {
  return (patterns ??= { escape: /["\\\u0000-\u001f\ud800-\udfff]/, notPlain: /[^A-Za-z0-9_$]/ });
}

/** A primitive leaf as JSON.stringify writes it (containers are never leaves here). */
export function jsonLeaf(value: JsonValue): string {
  if (typeof value === "string") return jsonString(value);
  if (typeof value === "number") return isFinite(value) ? String(value) : "null";
  if (value === null || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** A string in JSON quotes; the rare one that needs escapes (or holds a surrogate) goes through JSON.stringify. */
export function jsonString(text: string): string {
  return pattern().escape.test(text) ? JSON.stringify(text) : '"' + text + '"';
}
