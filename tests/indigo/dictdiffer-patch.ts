// An independent applier of dictdiffer patches, written from dictdiffer's documented
// `patch(diff_result, destination)` semantics (dictdiffer/__init__.py, utils.dot_lookup):
//  - the destination is deep-copied first;
//  - a node is "" / [] (the root), a dotted string split on ".", or a list of keys;
//    walking it, a key into a list is converted with int();
//  - "add": for each (key, value): list.insert(key, value) on a list, dest[key] = value on a dict;
//  - "change": look up the parent of the node, take the node's last key (int() for a
//    list) and set it to the new value (changes = (old, new));
//  - "remove": for each (key, value): del dest[key].
// It shares no code with host-sim/bench/baseline/indigo-diff.ts on purpose.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function deepCopy(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

function pyInt(key: unknown): number {
  const n = typeof key === "number" ? key : Number(String(key).trim());
  if (!Number.isInteger(n)) throw new Error(`int(${JSON.stringify(key)}) fails`);
  return n;
}

function keysOf(node: unknown): unknown[] {
  if (node === null || node === undefined || node === "") return [];
  if (typeof node === "string") return node.split(".");
  if (Array.isArray(node)) return node;
  throw new TypeError("lookup must be string or list");
}

function lookup(source: Json, node: unknown, parent: boolean): Json {
  let keys = keysOf(node);
  if (keys.length === 0) return source;
  if (parent) keys = keys.slice(0, -1);
  let value: Json = source;
  for (const key of keys) {
    if (Array.isArray(value)) {
      const i = pyInt(key);
      if (i < 0 || i >= value.length) throw new Error(`IndexError: ${i}`);
      value = value[i];
    } else if (value !== null && typeof value === "object") {
      const k = String(key);
      if (!(k in value)) throw new Error(`KeyError: ${k}`);
      value = value[k];
    } else {
      throw new Error(`cannot index ${JSON.stringify(value)} with ${JSON.stringify(key)}`);
    }
  }
  return value;
}

export function applyDictdifferPatch(patch: unknown, destination: Json): Json {
  if (!Array.isArray(patch)) throw new Error("patch must be a list");
  const root = deepCopy(destination);
  for (const entry of patch) {
    if (!Array.isArray(entry) || entry.length !== 3) throw new Error(`bad entry ${JSON.stringify(entry)}`);
    const [action, node, changes] = entry as [unknown, unknown, unknown];
    if (action === "add") {
      for (const [key, value] of changes as Array<[unknown, Json]>) {
        const dest = lookup(root, node, false);
        if (Array.isArray(dest)) {
          const i = pyInt(key);
          dest.splice(Math.min(i, dest.length), 0, deepCopy(value));
        } else if (dest !== null && typeof dest === "object") {
          dest[String(key)] = deepCopy(value);
        } else throw new Error("add into a scalar");
      }
    } else if (action === "change") {
      const dest = lookup(root, node, true);
      const keys = keysOf(node);
      const last = typeof node === "string" ? node.split(".").slice(-1)[0] : keys[keys.length - 1];
      const [, value] = changes as [Json, Json];
      if (Array.isArray(dest)) {
        const i = pyInt(last);
        if (i < 0 || i >= dest.length) throw new Error(`IndexError: ${i}`);
        dest[i] = deepCopy(value);
      } else if (dest !== null && typeof dest === "object") {
        dest[String(last)] = deepCopy(value);
      } else throw new Error("change in a scalar");
    } else if (action === "remove") {
      for (const [key] of changes as Array<[unknown, Json]>) {
        const dest = lookup(root, node, false);
        if (Array.isArray(dest)) {
          const i = pyInt(key);
          if (i < 0 || i >= dest.length) throw new Error(`IndexError: ${i}`);
          dest.splice(i, 1);
        } else if (dest !== null && typeof dest === "object") {
          const k = String(key);
          if (!(k in dest)) throw new Error(`KeyError: ${k}`);
          delete dest[k];
        } else throw new Error("remove from a scalar");
      }
    } else {
      throw new Error(`unknown action ${JSON.stringify(action)}`);
    }
  }
  return root;
}
