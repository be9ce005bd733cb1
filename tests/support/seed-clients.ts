// The seed's own clients (seeds/000), taken verbatim from the seed text at test time.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SEED_000 = fileURLToPath(new URL("../../../shared/seeds/000_166bdf311dd6e357.txt", import.meta.url));

function seedPath(): string {
  // Worktrees live at /work/wt/<name>, main at /work/main: both have ../shared next to them.
  for (const candidate of [SEED_000, "/work/shared/seeds/000_166bdf311dd6e357.txt"]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new Error(`seed 000 not found at ${SEED_000}`);
}

function codeBlocks(language: string): string[] {
  const text = readFileSync(seedPath(), "utf8");
  const blocks: string[] = [];
  const fence = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
  for (let m = fence.exec(text); m; m = fence.exec(text)) blocks.push(m[1]);
  return blocks;
}

/** The source of `class IncuNestWebSocket { ... }` exactly as the seed has it (the
 *  block's usage example after the class is left out). */
export function seedJsClientSource(): string {
  const block = codeBlocks("javascript").find((b) => b.includes("class IncuNestWebSocket"));
  if (!block) throw new Error("seed 000 has no javascript block with class IncuNestWebSocket");
  const start = block.indexOf("class IncuNestWebSocket");
  const end = block.indexOf("\n}\n", start);
  if (end < 0) throw new Error("cannot find the end of class IncuNestWebSocket in seed 000");
  return block.slice(start, end + 2);
}

/** The seed's Python client (the block that connects and subscribes). */
export function seedPythonClientSource(): string {
  const block = codeBlocks("python").find((b) => b.includes("websockets.connect"));
  if (!block) throw new Error("seed 000 has no python block with websockets.connect");
  return block;
}

export interface SeedGlobals {
  WebSocket: unknown;
  console: Pick<Console, "log" | "warn" | "error">;
  setTimeout: (f: () => void, ms: number) => unknown;
  clearTimeout: (h: any) => void;
  setInterval: (f: () => void, ms: number) => unknown;
  clearInterval: (h: any) => void;
}

/** Evaluates the seed's class with these globals (Node 20 has no WebSocket global). */
export function loadSeedJsClient(globals: SeedGlobals): new (ip: string) => any {
  const names = Object.keys(globals) as (keyof SeedGlobals)[];
  const factory = new Function(...names, `${seedJsClientSource()}\nreturn IncuNestWebSocket;`);
  return factory(...names.map((n) => globals[n]));
}
