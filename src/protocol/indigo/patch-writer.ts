// Compare-and-set of an object's primitive leaves, kept by index in a values array, each
// change written at once as a dictdiffer "change" entry, and the patch message those
// entries make. Nothing is held between objects but the text of the entries so far: a
// tick that changes nothing allocates nothing here, one that changes a few leaves only
// their text and the message.
//
// Entry order is the order of the `set` calls: the caller sets leaves in its object's key
// order (depth first), which is the order dictdiffer's diff lists them in. A leaf's path is
// its [parent, key] in the object's leaf table: parent null for the root's own keys, else
// the root's child holding it. Paths are written as dictdiffer does: "key" and
// "parent.key", or the list form ["parent", key] when a key holds a dot or is a list index.
import type { JsonObject, JsonValue } from "./json";

/** Where a leaf lies in its object: [the root's child holding it or null for the root, key]. */
export type Leaf = readonly [string | null, string | number];

export class PatchWriter {
  /** Entries recorded since `begin`. */
  count = 0;
  private leaves: readonly Leaf[] = [];
  private values: JsonValue[] = [];
  /** The entries before the object's lastChanged / lastSuccessfulComm keys (those before
   *  `markStamps`), and after (all of them while it is not called). */
  private before = "";
  private after = "";

  /** Starts an object: its leaf table and its leaves' current values (changed by `set`). */
  begin(leaves: readonly Leaf[], values: JsonValue[]): void {
    this.count = 0;
    this.leaves = leaves;
    this.values = values;
    this.before = "";
    this.after = "";
  }

  /** Sets leaf `index` to `value`; records a change when it differs. */
  set(index: number, value: JsonValue): void {
    const old = this.values[index];
    // Two NaNs are no change (as dictdiffer); ±0 compare equal and print alike.
    if (old === value || (old !== old && value !== value)) return;
    this.values[index] = value;
    this.count++;
    const leaf = this.leaves[index];
    const entry = '["change",' + pathJson(leaf[0], leaf[1]) + ",[" + jsonLeaf(old) + "," + jsonLeaf(value) + "]]";
    this.after = this.after === "" ? entry : this.after + "," + entry;
  }

  /** Marks where, in key order, the object's stamps lie (after the entries so far). */
  markStamps(): void {
    this.before = this.after;
    this.after = "";
  }

  /**
   * The patch message of the recorded entries for object `id`; with `stamp`, the
   * lastChanged / lastSuccessfulComm changes from `previousStamp` at their place.
   * `head`: the message up to the object id, e.g. {"message":"patch","objectType":"…","objectId":
   */
  encode(head: string, id: number, stamp: string | null, previousStamp: JsonValue): string {
    let text = head + id + ',"patch":[' + this.before;
    if (stamp !== null) text += (this.before === "" ? "" : ",") + stampEntries(previousStamp, stamp);
    if (this.after !== "") text += (this.before !== "" || stamp !== null ? "," : "") + this.after;
    return text + "]}";
  }
}

/** Puts each leaf's value in `obj` (the containers the table names must exist). */
export function fillLeaves(obj: JsonObject, leaves: readonly Leaf[], values: readonly JsonValue[]): void {
  for (let i = 0; i < leaves.length; i++) {
    const parent = leaves[i][0];
    const container = (parent === null ? obj : obj[parent]) as JsonObject;
    container[leaves[i][1] as string] = values[i];
  }
}

/** The index of each leaf by "key" or "parent.key" (for the code that sets them). */
export function leafIndex(leaves: readonly Leaf[]): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < leaves.length; i++) out[leaves[i][0] === null ? String(leaves[i][1]) : leaves[i][0] + "." + leaves[i][1]] = i;
  return Object.freeze(out);
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
