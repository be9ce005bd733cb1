// The manifest must name, for every platform, each module the device entry reaches through
// its imports (Moddable resolves imports by module name; a missing one aborts XS at boot),
// and no module that imports Node. Checked here without the Moddable SDK.
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

type ModuleMap = Record<string, string | string[]>;
interface Manifest {
  creation: { main: string };
  modules: ModuleMap;
  preload: string[];
  platforms: Record<string, { modules?: ModuleMap; preload?: string[] }>;
}

const manifest = JSON.parse(readFileSync("manifest.json", "utf8")) as Manifest;

/** Module name -> source file, for the common modules plus one platform's. */
function moduleTable(platform: string): Map<string, string> {
  const table = new Map<string, string>();
  const add = (map: ModuleMap | undefined) => {
    for (const [key, value] of Object.entries(map ?? {})) {
      for (const source of Array.isArray(value) ? value : [value]) {
        if (!source.startsWith("./")) continue; // SDK modules ($(MODULES)/...)
        if (key.endsWith("/*")) {
          const dir = source.slice(0, -2);
          for (const f of readdirSync(dir)) if (f.endsWith(".ts") && !f.endsWith(".d.ts")) table.set(`${key.slice(0, -1)}${f.slice(0, -3)}`, path.join(dir, f));
        } else table.set(key, existsSync(`${source}.ts`) ? `${source}.ts` : `${source}.js`); // a .js module: one with a native
      }
    }
  };
  add(manifest.modules);
  add(manifest.platforms[platform]?.modules);
  return table;
}

const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^"']*?\sfrom\s+)?["']([^"']+)["']/gm;

function reachable(platform: string) {
  const table = moduleTable(platform);
  const missing: string[] = [];
  const node: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const file = table.get(name);
    if (!file) {
      missing.push(`${name} (imported by ${from})`);
      return;
    }
    assert.ok(existsSync(file), `${file} exists`);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1];
      if (spec.startsWith("node:")) node.push(`${name} imports ${spec}`);
      else if (spec.startsWith(".")) visit(path.posix.normalize(path.posix.join(path.posix.dirname(name), spec)), name);
      // bare specifiers are SDK modules (http, websocket, timer, embedded:io/..., onewire)
    }
  };
  visit(manifest.creation.main, "creation.main");
  return { missing, node, count: seen.size, seen, table };
}

/** Module-level typed arrays, Maps and Sets: a preloaded module's live in flash, read-only
 *  (a write throws). Those listed here are only ever read. */
const READ_ONLY_AT_MODULE_LEVEL = new Set(["src/net/http-response FRAMING", "src/protocol/incunest/commands WS_ACTIONS", "src/logs/crc16 TABLE"]);
const MUTABLE_BUILT_IN = /^(?:export )?(?:const|let|var) (\w+)[^=]*= *new (?:Map|Set|WeakMap|WeakSet|ArrayBuffer|DataView|(?:Ui|I)nt(?:8|16|32)(?:Clamped)?Array|Float(?:32|64)Array|BigU?Int64Array)\b/gm;

describe("device manifest", () => {
  for (const platform of ["esp32", "lin", "mac", "win"]) {
    it(`${platform}: every module the entry imports is in the manifest, none imports Node`, () => {
      const { missing, node, count } = reachable(platform);
      assert.deepEqual(missing, [], `modules missing from manifest.json for ${platform}`);
      assert.deepEqual(node, []);
      assert.ok(count > 40, `the walk reached the firmware (${count} modules)`);
    });
  }

  for (const platform of ["esp32", "lin"]) {
    it(`${platform}: every module of ours the entry reaches, the entry itself aside, is preloaded, each by name`, () => {
      const { seen } = reachable(platform);
      const preload = new Set([...manifest.preload, ...(manifest.platforms[platform]?.preload ?? [])]);
      // mcconfig (SDK 8.2.3) matches a wildcard in `preload` against JavaScript modules only.
      assert.deepEqual([...preload].filter((p) => p.includes("*")), [], "no wildcards in preload: mcconfig ignores them for TypeScript modules");
      // The device bindings too: a module that is not preloaded is instantiated in RAM at boot
      // (its functions and classes: 20 kB of XS slots in the simulator for src/device's).
      const wanted = [...seen].filter((name) => name !== manifest.creation.main && /^(src\/(core|alarms|net|firmware|setup|protocol|logs|config|webapp|device)|drivers|host-sim)\//.test(name));
      assert.deepEqual(wanted.filter((name) => !preload.has(name)), [], "modules not preloaded");
      assert.ok(wanted.length > 60, `${wanted.length} modules checked`);
    });
  }

  it("no preloaded module writes a typed array, Map or Set it made when it loaded (in flash they are read-only)", () => {
    const { table } = reachable("lin");
    const found: string[] = [];
    for (const name of new Set([...manifest.preload, ...(manifest.platforms.lin.preload ?? [])])) {
      const text = readFileSync(table.get(name)!, "utf8");
      for (const m of text.matchAll(MUTABLE_BUILT_IN)) if (!READ_ONLY_AT_MODULE_LEVEL.has(`${name} ${m[1]}`)) found.push(`${name} ${m[1]}`);
    }
    assert.deepEqual(found, [], "allocate these at first use (see src/net/utf8.ts), or list them as read-only here");
  });

  it("a module left out is found missing", () => {
    const saved = manifest.platforms.lin.modules!["host-sim/seeded-random"];
    delete manifest.platforms.lin.modules!["host-sim/seeded-random"];
    try {
      assert.match(reachable("lin").missing.join(), /host-sim\/seeded-random \(imported by host-sim\/sim-board\)/);
    } finally {
      manifest.platforms.lin.modules!["host-sim/seeded-random"] = saved;
    }
  });
});
