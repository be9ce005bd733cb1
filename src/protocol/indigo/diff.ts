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

function dotted(node: readonly PathKey[]): DiffPath {
  for (let i = 0; i < node.length; i++) {
    const key = node[i];
    if (typeof key !== "string" || key.indexOf(".") >= 0) return node.slice();
  }
  return node.join(".");
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
  for (const key of Object.keys(value)) out[key] = cloneJson((value as JsonObject)[key]);
  return out as T;
}

function walk(first: JsonValue, second: JsonValue, node: PathKey[], out: DiffEntry[]): void {
  if (isObject(first) && isObject(second)) {
    const firstKeys = Object.keys(first);
    const secondKeys = Object.keys(second);
    for (const key of firstKeys) {
      if (Object.prototype.hasOwnProperty.call(second, key)) {
        node.push(key);
        walk(first[key], second[key], node, out);
        node.pop();
      }
    }
    let added: Array<readonly [PathKey, JsonValue]> | null = null;
    for (const key of secondKeys) {
      if (!Object.prototype.hasOwnProperty.call(first, key)) {
        (added ??= []).push([key, cloneJson(second[key])]);
      }
    }
    if (added) out.push(["add", dotted(node), added]);
    let removed: Array<readonly [PathKey, JsonValue]> | null = null;
    for (const key of firstKeys) {
      if (!Object.prototype.hasOwnProperty.call(second, key)) {
        (removed ??= []).push([key, cloneJson(first[key])]);
      }
    }
    if (removed) out.push(["remove", dotted(node), removed]);
    return;
  }
  if (Array.isArray(first) && Array.isArray(second)) {
    const common = Math.min(first.length, second.length);
    for (let i = 0; i < common; i++) {
      node.push(i);
      walk(first[i], second[i], node, out);
      node.pop();
    }
    if (second.length > common) {
      const added: Array<readonly [PathKey, JsonValue]> = [];
      for (let i = common; i < second.length; i++) added.push([i, cloneJson(second[i])]);
      out.push(["add", dotted(node), added]);
    }
    if (first.length > common) {
      const removed: Array<readonly [PathKey, JsonValue]> = [];
      for (let i = first.length - 1; i >= common; i--) removed.push([i, cloneJson(first[i])]);
      out.push(["remove", dotted(node), removed]);
    }
    return;
  }
  if (leafDiffers(first, second)) {
    out.push(["change", dotted(node), [cloneJson(first), cloneJson(second)]]);
  }
}

/** The dictdiffer patch turning `first` into `second`; empty when they are equal. */
export function diff(first: JsonValue, second: JsonValue): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(first, second, [], out);
  return out;
}
