// BASELINE, frozen for comparison: the dictdiffer diff the device and variable feeds used before they kept
// their leaves and wrote patches by concatenation (copied from src/protocol/indigo/diff.ts).
// Only the differential test and indigo-bench use it; do not change it.
// Our own diff in the format of Python's dictdiffer (inveniosoftware/dictdiffer `diff`,
// default arguments), which is what Indigo's WebSocket feeds send as `patch`:
//
//   ["change", path, [old, new]]          a value changed (or changed type)
//   ["add",    path, [[key, value], ...]] keys added to the dict / indices added to the list at `path`
//   ["remove", path, [[key, value], ...]] keys removed (lists: indices highest first)
//
// `path` is the dotted string of the keys leading to the node ("" for the root,
// "states.setpointHeat") unless one key holds a dot or is a list index; then it is the
// list of keys (["states", "sensorValue.ui"], ["temperatures", 1]).
// Entry order follows dictdiffer: for a dict, the keys of the old value in their order
// (recursing into each common key), then one "add" with all new keys in the new value's
// order, then one "remove" with all vanished keys in the old value's order.
// Numbers are compared exactly (dictdiffer's float tolerance is machine epsilon
// relative; exact comparison keeps patch(old) === new bit for bit).

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type PathKey = string | number;
export type DiffPath = string | PathKey[];

export type DiffEntry =
  | readonly ["change", DiffPath, readonly [JsonValue, JsonValue]]
  | readonly ["add", DiffPath, ReadonlyArray<readonly [PathKey, JsonValue]>]
  | readonly ["remove", DiffPath, ReadonlyArray<readonly [PathKey, JsonValue]>];

function isObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function leafDiffers(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return false;
  // Two NaNs are not different (dictdiffer issue #114); JSON never carries them, but stay faithful.
  if (typeof a === "number" && typeof b === "number" && a !== a && b !== b) return false;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return true;
  // Containers of different kinds (dict vs list) reach here: a whole-value change.
  return true;
}

/** Deep copy, so an entry never aliases the objects it was computed from. */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out: JsonValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: JsonObject = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = cloneJson((value as JsonObject)[keys[i]]);
  return out as T;
}

function isContainer(value: JsonValue): value is JsonObject | JsonValue[] {
  return value !== null && typeof value === "object";
}

/** The dotted path of `node` + `key`, given the dotted path of `node` (null: not dottable). */
function childPath(nodePath: string | null, depth: number, key: PathKey): string | null {
  if (nodePath === null || typeof key !== "string" || key.indexOf(".") >= 0) return null;
  return depth === 0 ? key : nodePath + "." + key;
}

/** Compares one pair of children; leaves are handled inline (the common, cheap case). */
function child(a: JsonValue, b: JsonValue, key: PathKey, node: PathKey[], nodePath: string | null, out: DiffEntry[]): void {
  if (a === b) return;
  const path = childPath(nodePath, node.length, key);
  node.push(key);
  if (isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b)) {
    walk(a, b, node, path, out);
  } else if (leafDiffers(a, b)) {
    out.push(["change", path ?? node.slice(), [cloneJson(a), cloneJson(b)]]);
  }
  node.pop();
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function walk(first: JsonValue, second: JsonValue, node: PathKey[], nodePath: string | null, out: DiffEntry[]): void {
  if (isObject(first) && isObject(second)) {
    const firstKeys = Object.keys(first);
    const secondKeys = Object.keys(second);
    if (sameKeys(firstKeys, secondKeys)) {
      // The usual case for our objects: the same keys in the same order, no add/remove.
      for (let i = 0; i < firstKeys.length; i++) {
        const key = firstKeys[i];
        const a = first[key];
        const b = second[key];
        if (a !== b) child(a, b, key, node, nodePath, out);
      }
      return;
    }
    for (let i = 0; i < firstKeys.length; i++) {
      const key = firstKeys[i];
      if (Object.prototype.hasOwnProperty.call(second, key)) child(first[key], second[key], key, node, nodePath, out);
    }
    let added: Array<readonly [PathKey, JsonValue]> | null = null;
    for (let i = 0; i < secondKeys.length; i++) {
      const key = secondKeys[i];
      if (!Object.prototype.hasOwnProperty.call(first, key)) (added ??= []).push([key, cloneJson(second[key])]);
    }
    if (added) out.push(["add", (nodePath ?? node.slice()), added]);
    let removed: Array<readonly [PathKey, JsonValue]> | null = null;
    for (let i = 0; i < firstKeys.length; i++) {
      const key = firstKeys[i];
      if (!Object.prototype.hasOwnProperty.call(second, key)) (removed ??= []).push([key, cloneJson(first[key])]);
    }
    if (removed) out.push(["remove", (nodePath ?? node.slice()), removed]);
    return;
  }
  if (Array.isArray(first) && Array.isArray(second)) {
    const common = Math.min(first.length, second.length);
    for (let i = 0; i < common; i++) child(first[i], second[i], i, node, nodePath, out);
    if (second.length > common) {
      const added: Array<readonly [PathKey, JsonValue]> = [];
      for (let i = common; i < second.length; i++) added.push([i, cloneJson(second[i])]);
      out.push(["add", (nodePath ?? node.slice()), added]);
    }
    if (first.length > common) {
      const removed: Array<readonly [PathKey, JsonValue]> = [];
      for (let i = first.length - 1; i >= common; i--) removed.push([i, cloneJson(first[i])]);
      out.push(["remove", (nodePath ?? node.slice()), removed]);
    }
    return;
  }
  if (leafDiffers(first, second)) {
    out.push(["change", (nodePath ?? node.slice()), [cloneJson(first), cloneJson(second)]]);
  }
}

/** The dictdiffer patch turning `first` into `second`; empty when they are equal. */
export function diff(first: JsonValue, second: JsonValue): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(first, second, [], "", out);
  return out;
}
