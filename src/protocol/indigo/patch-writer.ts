// Compare-and-set of an object's primitive leaves, kept by index in a values array, each
// change written at once as a dictdiffer "change" entry, and the patch message those
// entries make. The entries are written into one text buffer (json-text.ts), the message
// into another: a tick that changes nothing allocates nothing here, one that changes a few
// leaves only the message's string.
//
// Entry order is the order of the `set` calls: the caller sets leaves in its object's key
// order (depth first), which is the order dictdiffer's diff lists them in. A leaf's path is
// its [parent, key] in the object's leaf table: parent null for the root's own keys, else
// the root's child holding it. Paths are written as dictdiffer does: "key" and
// "parent.key", or the list form ["parent", key] when a key holds a dot or is a list index.
import type { JsonObject, JsonValue } from "./json";
import { JsonText } from "../json-text";

/** Where a leaf lies in its object: [the root's child holding it or null for the root, key]. */
export type Leaf = readonly [string | null, string | number];

/** The writer's texts, read from a table: on XS a string literal in preloaded code is copied
 *  into a new chunk each time it is evaluated (docs/device.md, "Memory on XS"). */
const J = Object.freeze({
  comma: ",", dot: ".", listOpen: "[", listClose: "]",
  string: "string", number: "number", boolean: "boolean",
  changeOpen: '["change",', valuesOpen: ",[", close2: "]]", patchOpen: ',"patch":[', patchClose: "]}",
  lastChanged: '["change","lastChanged"', lastSuccessfulComm: '["change","lastSuccessfulComm"',
});

export class PatchWriter {
  /** Entries recorded since `begin`. */
  count = 0;
  private values: JsonValue[] = [];
  private opening: readonly string[] = [];
  /** The entries' text, comma-separated, written as they come (no string per entry). */
  private readonly entries = new JsonText(512);
  private readonly message = new JsonText(512);
  /** Where, in the entries' text, the object's lastChanged / lastSuccessfulComm keys lie
   *  (0 while `markStamps` is not called: first). */
  private stampsAt = 0;

  /** Starts an object: its leaf table's entry openings (`leafOpenings`) and its leaves'
   *  current values (changed by `set`). */
  begin(openings: readonly string[], values: JsonValue[]): void {
    this.count = 0;
    this.values = values;
    this.opening = openings;
    this.entries.start();
    this.stampsAt = 0;
  }

  /** Sets leaf `index` to `value`; records a change when it differs. */
  set(index: number, value: JsonValue): void {
    const old = this.values[index];
    // Two NaNs are no change (as dictdiffer); ±0 compare equal and print alike.
    if (old === value || (old !== old && value !== value)) return;
    this.values[index] = value;
    const e = this.entries;
    if (this.count > 0) e.raw(J.comma);
    this.count++;
    writeLeaf(e.raw(this.opening[index]), old);
    writeLeaf(e.raw(J.comma), value);
    e.raw(J.close2);
  }

  /** Marks where, in key order, the object's stamps lie (after the entries so far). */
  markStamps(): void {
    this.stampsAt = this.entries.length;
  }

  /**
   * The patch message of the recorded entries for object `id`; with `stamp`, the
   * lastChanged / lastSuccessfulComm changes from `previousStamp` at their place.
   * `head`: the message up to the object id, e.g. {"message":"patch","objectType":"…","objectId":
   */
  encode(head: string, id: number, stamp: string | null, previousStamp: JsonValue): string {
    const m = this.message.start().raw(head).number(id).raw(J.patchOpen);
    const e = this.entries;
    if (stamp === null) {
      m.copy(e, 0, e.length);
    } else {
      // The entries after the mark begin with their comma; those before end without one.
      const at = this.stampsAt;
      m.copy(e, 0, at);
      if (at > 0) m.raw(J.comma);
      writeStamp(m, J.lastChanged, previousStamp, stamp);
      writeStamp(m.raw(J.comma), J.lastSuccessfulComm, previousStamp, stamp);
      if (at === 0 && e.length > 0) m.raw(J.comma);
      m.copy(e, at, e.length);
    }
    return m.raw(J.patchClose).text();
  }
}

/** A primitive leaf as JSON.stringify writes it (containers are never leaves here). */
export function writeLeaf(t: JsonText, value: JsonValue): void {
  if (typeof value === J.string) t.string(value as string);
  else if (typeof value === J.number) t.number(value as number);
  else if (value === null) t.null();
  else if (typeof value === J.boolean) t.boolean(value as boolean);
  else t.raw(JSON.stringify(value));
}

function writeStamp(m: JsonText, opening: string, previous: JsonValue, stamp: string): void {
  writeLeaf(m.raw(opening).raw(J.valuesOpen), previous);
  m.raw(J.comma).string(stamp).raw(J.close2);
}

/** Puts each leaf's value in `obj` (the containers the table names must exist). */
export function fillLeaves(obj: JsonObject, leaves: readonly Leaf[], values: readonly JsonValue[]): void {
  for (let i = 0; i < leaves.length; i++) {
    const parent = leaves[i][0];
    const container = (parent === null ? obj : obj[parent]) as JsonObject;
    container[leaves[i][1] as string] = values[i];
  }
}

/** The index of each leaf by "key" or "parent_key", every "." made "_" (for the code that
 *  sets them: `T.states_humidityInput1` is read by its key, while on XS `T["states.x"]` would
 *  copy the literal into a new chunk at every evaluation in preloaded code). */
export function leafIndex(leaves: readonly Leaf[]): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < leaves.length; i++) out[(leaves[i][0] === null ? String(leaves[i][1]) : leaves[i][0] + "_" + leaves[i][1]).split(".").join("_")] = i;
  return Object.freeze(out);
}

/**
 * Each leaf's entry opening, '["change",<path>,[': made when the module holding the leaf
 * table loads (module constants: in flash on the device, where a table of them made at run
 * time took about 3 kB of the heap). A leaf's path never changes.
 */
export function leafOpenings(leaves: readonly Leaf[]): readonly string[] {
  return Object.freeze(leaves.map((leaf) => J.changeOpen + pathJson(leaf[0], leaf[1]) + J.valuesOpen));
}

/** The dictdiffer path of `key` in the root's child `parent` (null: in the root), as JSON.
 *  Used as modules load: no scratch text, no RegExp (they would be made in flash). */
export function pathJson(parent: string | null, key: string | number): string {
  const dottable = typeof key === J.string && (key as string).indexOf(J.dot) < 0 && (parent === null || parent.indexOf(J.dot) < 0);
  if (parent === null) return dottable ? JSON.stringify(key) : J.listOpen + JSON.stringify(key) + J.listClose;
  return dottable ? JSON.stringify(parent + J.dot + key) : J.listOpen + JSON.stringify(parent) + J.comma + JSON.stringify(key) + J.listClose;
}

// For texts made one at a time (variables): made at first use (made as the module loads, it
// would be in flash on the device, where it cannot be written).
let scratch: JsonText | null = null;

/** A string in JSON quotes, as JSON.stringify writes it. */
export function jsonString(text: string): string {
  return (scratch ??= new JsonText(64)).start().string(text).text();
}
