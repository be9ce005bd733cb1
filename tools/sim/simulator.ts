// Moddable's simulator (mcsim) running the firmware, as the checks in this folder drive it:
// started, its debug console read line by line, the XS instruments of a debug build read
// through Moddable's tools/xsbug-log, stopped and restarted. Run inside tools/sim/isolated.sh.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface SimulatorOptions {
  /** $MODDABLE */
  readonly moddable: string;
  /** The firmware: <output>/bin/lin/mc/{release,debug}/<project>/mc.so */
  readonly so: string;
  /** A debug build (`mcconfig -d`): run under xsbug-log, which connects to it and reads its instruments. */
  readonly debug: boolean;
  /** Where xsbug-log finds its one dependency (saxophone), e.g. a folder with node_modules. */
  readonly nodePath?: string;
  /** Every console line, as it comes. */
  readonly onLine?: (line: string) => void;
  /** A file that gets every console line (the check's report shows only some). */
  readonly consoleFile?: string;
}

export interface HeapSample {
  /** ms since the simulator started */
  readonly atMs: number;
  readonly slotsUsed: number;
  readonly slotsTotal: number;
  readonly chunksUsed: number;
  readonly chunksTotal: number;
  readonly collections: number;
  readonly sockets: number;
  readonly timers: number;
  /** XS keys (property names and symbols) in use; -1 when not reported */
  readonly keys: number;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export class Simulator {
  readonly lines: string[] = [];
  private child: ChildProcess | null = null;
  private startedAt = 0;
  private buffered = "";
  private pendingInstruments: ((sample: HeapSample | null) => void) | null = null;
  private instrumentLines: string[] = [];
  exitCode: number | null = null;

  constructor(private readonly options: SimulatorOptions) {}

  get running(): boolean {
    return this.child !== null && this.exitCode === null;
  }

  start(): void {
    const mcsim = process.env.INCUNEST_MCSIM ?? join(this.options.moddable, "build/bin/lin/release/mcsim");
    this.exitCode = null;
    this.startedAt = Date.now();
    let child: ChildProcess;
    if (this.options.debug) {
      const project = "/tmp/xsdb-project";
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, ".xsdb.json"), JSON.stringify({ exceptionsMode: "off", breakOnStart: false }));
      child = spawn("stdbuf", ["-oL", "node", "xsbug-log.js", mcsim, this.options.so], {
        cwd: join(this.options.moddable, "tools/xsbug-log"),
        env: { ...process.env, XSBUG_PROJECT: project, NODE_PATH: this.options.nodePath ?? "" },
        stdio: ["pipe", "pipe", "pipe"],
      });
    } else {
      child = spawn("stdbuf", ["-oL", "-eL", mcsim, this.options.so], { stdio: ["ignore", "pipe", "pipe"] });
    }
    this.child = child;
    const take = (chunk: Buffer) => {
      this.buffered += chunk.toString().replace(ANSI, "");
      let nl;
      while ((nl = this.buffered.indexOf("\n")) >= 0) {
        const line = this.buffered.slice(0, nl).replace(/^(\(xsdb\) )+/, "").replace(/^\[Thread \d+\] /, "");
        this.buffered = this.buffered.slice(nl + 1);
        this.line(line);
      }
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    child.on("exit", (code) => {
      this.exitCode = code ?? -1;
    });
  }

  private line(line: string): void {
    if (this.pendingInstruments) {
      this.instrumentLines.push(line);
      if (/^\s*\(Captured \d+ snapshots\)/.test(line) || /No instrument snapshots yet/.test(line)) {
        const done = this.pendingInstruments;
        this.pendingInstruments = null;
        done(this.parseInstruments(this.instrumentLines));
        this.instrumentLines = [];
      }
      if (/^\s{2}\S/.test(line)) return;
    }
    this.lines.push(line);
    if (this.options.consoleFile) appendFileSync(this.options.consoleFile, `${line}\n`);
    this.options.onLine?.(line);
  }

  private parseInstruments(lines: readonly string[]): HeapSample | null {
    const value = (name: string): [number, number] | null => {
      const line = lines.find((l) => l.trim().startsWith(name));
      if (!line) return null;
      const m = /(\d+)(?:\s*\/\s*(\d+))?/.exec(line.slice(line.indexOf(name) + name.length));
      return m ? [Number(m[1]), Number(m[2] ?? 0)] : null;
    };
    const slots = value("Slot used");
    const chunks = value("Chunk used");
    const gcs = value("Garbage collections");
    if (!slots || !chunks || !gcs) return null;
    return {
      atMs: Date.now() - this.startedAt,
      slotsUsed: slots[0],
      slotsTotal: slots[1],
      chunksUsed: chunks[0],
      chunksTotal: chunks[1],
      collections: gcs[0],
      sockets: value("Network sockets")?.[0] ?? -1,
      timers: value("Timers")?.[0] ?? -1,
      keys: value("Keys used")?.[0] ?? -1,
    };
  }

  /** The latest instrument sample xsbug-log holds (debug builds only). */
  instruments(timeoutMs = 5000): Promise<HeapSample | null> {
    if (!this.options.debug || !this.running || this.pendingInstruments) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingInstruments = null;
        this.instrumentLines = [];
        resolve(null);
      }, timeoutMs);
      this.pendingInstruments = (sample) => {
        clearTimeout(timer);
        resolve(sample);
      };
      this.child!.stdin!.write("info instruments\n");
    });
  }

  /** Resolves with the first line (from `from` on) matching `pattern`. */
  async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        const m = pattern.exec(this.lines[i]);
        if (m) return m;
      }
      if (Date.now() > deadline) throw new Error(`no console line matching ${pattern} within ${timeoutMs} ms (simulator ${this.running ? "running" : `exited ${this.exitCode}`}); last lines:\n${this.lines.slice(-15).join("\n")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops the simulator as a power cut would: no chance to save anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (this.options.debug) {
      // xsbug-log runs mcsim as its child: cut that one first, by its pid, then end xsbug-log.
      for (const pid of childrenOf(child.pid)) process.kill(pid, "SIGKILL");
      child.kill("SIGINT");
    } else child.kill("SIGKILL"); // stdbuf has exec'd mcsim: this is mcsim
    await exited;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
