// Builds the bedside app into one gzip-compressed asset set: web/src (TypeScript + CSS,
// with uPlot) bundled and minified by esbuild, index.html, each gzipped at level 9, and
// an index (assets.json: path, file, type, ETag, length) that host-sim and the device
// serve from. `npm start` and `npm test` run it first; `mcconfig` needs it run once.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, existsSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, constants } from "node:zlib";
import { build } from "esbuild";

const WEB = dirname(fileURLToPath(import.meta.url));
export const WEB_OUT_DIR = resolve(WEB, "../build/web");
/** The issue's budget for all files together, gzip-compressed. */
export const BUDGET_GZIP_BYTES = 60 * 1024;

export interface BuiltAsset {
  readonly path: string;
  readonly file: string;
  readonly type: string;
  readonly etag: string;
  readonly length: number;
  readonly rawLength: number;
}

function gzip(bytes: Uint8Array): Buffer {
  return gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
}

function etag(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`;
}

/** Writes only what changed, so a build with nothing new leaves mcconfig nothing to redo. */
function writeIfChanged(path: string, bytes: Uint8Array | string): void {
  const data = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes);
  if (existsSync(path) && readFileSync(path).equals(data)) return;
  writeFileSync(path, data);
}

/** uPlot's MIT notice, which its minified source does not mark as a legal comment. */
function uplotNotice(): string {
  const pkg = JSON.parse(readFileSync(resolve(WEB, "../node_modules/uplot/package.json"), "utf8")) as { version: string };
  return `/*! uPlot ${pkg.version} (c) 2025 Leon Sorokin, MIT License, https://github.com/leeoniya/uPlot */`;
}

export async function buildWeb(outDir = WEB_OUT_DIR): Promise<BuiltAsset[]> {
  const result = await build({
    banner: { js: uplotNotice() },
    entryPoints: { app: join(WEB, "src/main.ts") },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["chrome109", "safari15.4", "firefox115"],
    legalComments: "eof",
    write: false,
    outdir: "out",
    logLevel: "silent",
    tsconfig: join(WEB, "tsconfig.json"),
  });
  const out = (suffix: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(suffix));
    if (!file) throw new Error(`esbuild wrote no ${suffix}`);
    return file.contents;
  };
  const html = readFileSync(join(WEB, "index.html"), "utf8").replace(/>\s*\n\s*</g, "><").trim() + "\n";
  const sources: Array<[path: string, file: string, type: string, raw: Uint8Array]> = [
    ["/", "index.html.gz", "text/html; charset=utf-8", Buffer.from(html)],
    ["/app.js", "app.js.gz", "text/javascript; charset=utf-8", out("app.js")],
    ["/app.css", "app.css.gz", "text/css; charset=utf-8", out("app.css")],
  ];
  mkdirSync(outDir, { recursive: true });
  const built: BuiltAsset[] = sources.map(([path, file, type, raw]) => {
    const compressed = gzip(raw);
    writeIfChanged(join(outDir, file), compressed);
    return { path, file, type, etag: etag(compressed), length: compressed.length, rawLength: raw.length };
  });
  const keep = new Set([...built.map((a) => a.file), "assets.json"]);
  for (const name of readdirSync(outDir)) if (!keep.has(name)) rmSync(join(outDir, name), { recursive: true });
  const index = { assets: built.map(({ path, file, type, etag, length }) => ({ path, file, type, etag, length, encoding: "gzip" })) };
  writeIfChanged(join(outDir, "assets.json"), JSON.stringify(index, null, 1) + "\n");
  const total = built.reduce((n, a) => n + a.length, 0);
  if (total > BUDGET_GZIP_BYTES) throw new Error(`web assets are ${total} bytes gzip, over the ${BUDGET_GZIP_BYTES}-byte budget`);
  return built;
}

export function sizeTable(assets: readonly BuiltAsset[]): string {
  const rows = assets.map((a) => `${a.path.padEnd(10)} ${String(a.rawLength).padStart(8)} ${String(a.length).padStart(8)}`);
  const raw = assets.reduce((n, a) => n + a.rawLength, 0), gz = assets.reduce((n, a) => n + a.length, 0);
  return [`${"file".padEnd(10)} ${"bytes".padStart(8)} ${"gzip".padStart(8)}`, ...rows, `${"total".padEnd(10)} ${String(raw).padStart(8)} ${String(gz).padStart(8)}  (budget ${BUDGET_GZIP_BYTES} gzip)`].join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const assets = await buildWeb();
    if (!process.argv.includes("--quiet")) process.stdout.write(`web app built into ${WEB_OUT_DIR}\n${sizeTable(assets)}\n`);
  } catch (error) {
    process.stderr.write(`web build failed: ${(error as Error).message}\n`);
    for (const e of (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors ?? []) {
      process.stderr.write(`  ${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}\n`);
    }
    process.exit(1);
  }
}
