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
      text += '["change",' + pathJson(this.parents[i], this.keys[i]) + ",[" + JSON.stringify(this.olds[i]) + "," + JSON.stringify(this.news[i]) + "]]";
    }
    return text + "]}";
  }
}

function stampEntries(previous: JsonValue, stamp: string): string {
  const values = ",[" + JSON.stringify(previous) + "," + JSON.stringify(stamp) + "]]";
  return '["change","lastChanged"' + values + ',["change","lastSuccessfulComm"' + values;
}

function dottable(key: string | number): key is string {
  return typeof key === "string" && key.indexOf(".") < 0;
}

/** The dictdiffer path of `key` in the root's child `parent` (null: in the root), as JSON. */
export function pathJson(parent: string | null, key: string | number): string {
  if (parent === null) return dottable(key) ? JSON.stringify(key) : "[" + JSON.stringify(key) + "]";
  return dottable(key) ? JSON.stringify(parent + "." + key) : "[" + JSON.stringify(parent) + "," + JSON.stringify(key) + "]";
}
