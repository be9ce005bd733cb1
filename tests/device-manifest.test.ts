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
  platforms: Record<string, { modules?: ModuleMap }>;
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
  return { missing, node, count: seen.size };
}

describe("device manifest", () => {
  for (const platform of ["esp32", "lin", "mac", "win"]) {
    it(`${platform}: every module the entry imports is in the manifest, none imports Node`, () => {
      const { missing, node, count } = reachable(platform);
      assert.deepEqual(missing, [], `modules missing from manifest.json for ${platform}`);
      assert.deepEqual(node, []);
      assert.ok(count > 40, `the walk reached the firmware (${count} modules)`);
    });
  }

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
