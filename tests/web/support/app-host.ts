// `npm start` (host-sim/main.ts) as a child process on an ephemeral port, with its own
// state file, for the browser tests; stopped and restarted like a user would.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const HOST_KEY = "web-test-key-7d2a";

export interface AppHost {
  /** http://127.0.0.1:port/ */
  readonly url: string;
  readonly port: number;
  /** Everything it printed. */
  output(): string;
  /** Resolves once it printed a line matching `pattern`; the match. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export interface HostOptions {
  readonly speed?: number;
  readonly faults?: readonly string[];
  readonly port?: number;
  /** State folder to reuse (a restart keeps settings, key and logs). */
  readonly stateDir?: string;
  readonly extra?: readonly string[];
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), "incunest-web-"));
}

export function removeStateDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function startHost(options: HostOptions = {}): Promise<AppHost> {
  const stateDir = options.stateDir ?? tempStateDir();
  const args = [
    "--import", "tsx", "host-sim/main.ts",
    "--port", String(options.port ?? 0),
    "--speed", String(options.speed ?? 1),
    "--state", join(stateDir, "state.json"),
    "--api-key", HOST_KEY,
    "--quiet",
    ...(options.faults ?? []).flatMap((f) => ["--fault", f]),
    ...(options.extra ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => {
    for (const w of waiters.splice(0)) w();
    resolve();
  }));

  const waitForLine = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host did not print ${pattern} within ${timeoutMs} ms; it printed:\n${text}`)), timeoutMs);
      const check = () => {
        const m = pattern.exec(text);
        if (m) {
          clearTimeout(timer);
          return resolve(m);
        }
        if (child.exitCode !== null) {
          clearTimeout(timer);
          return reject(new Error(`host exited (${child.exitCode}) before printing ${pattern}:\n${text}`));
        }
        waiters.push(check);
      };
      check();
    });

  const m = await waitForLine(/bedside app\s+(http:\/\/127\.0\.0\.1:(\d+)\/)/);
  return {
    url: m[1],
    port: Number(m[2]),
    output: () => text,
    waitForLine,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      if (options.stateDir === undefined) removeStateDir(stateDir);
    },
  };
}
