// A child process whose stdout is collected line by line (the seed clients print one
// message a line), for tests that drive real clients.
import { spawn, type ChildProcess } from "node:child_process";

export interface LineProcess<T> {
  readonly child: ChildProcess;
  readonly lines: T[];
  stderr: string;
  readonly exited: Promise<number | null>;
}

export function spawnLines<T = string>(command: string, args: string[], parse: (line: string) => T, env: NodeJS.ProcessEnv = process.env): LineProcess<T> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env });
  const running: LineProcess<T> = {
    child,
    lines: [],
    stderr: "",
    exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
  };
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      running.lines.push(parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (running.stderr += chunk.toString()));
  return running;
}
