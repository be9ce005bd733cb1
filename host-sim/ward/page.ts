// The ward runner's HTTP server: the nurse-station page (web/ward/, bundled in memory by
// esbuild at start), and config.json telling the page where the broker's WebSocket
// listener is, with which credentials, and where each bed's own page is.
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const WARD_DIR = fileURLToPath(new URL("../../web/ward/", import.meta.url));

export interface StationPageConfig {
  readonly wsUrl: string;
  readonly username: string;
  readonly password: string;
  readonly beds: ReadonlyArray<{ readonly deviceId: string; readonly url: string | null }>;
}

export async function bundleStation(): Promise<string> {
  const out = await build({
    entryPoints: [`${WARD_DIR}station.ts`],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0].text;
}

export async function startStationServer(config: StationPageConfig, host: string, port: number): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const script = await bundleStation();
  const html = readFileSync(`${WARD_DIR}index.html`, "utf8");
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    if (path === "/" || path === "/index.html") send(200, "text/html; charset=utf-8", html);
    else if (path === "/station.js") send(200, "text/javascript; charset=utf-8", script);
    else if (path === "/config.json") send(200, "application/json", JSON.stringify(config));
    else send(404, "text/plain", `nothing at ${path}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${bound}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
