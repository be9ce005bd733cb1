// Debian's mosquitto on free ports with a generated configuration: a password file, an
// MQTT listener, a WebSocket listener (the nurse-station page) and, when asked, a TLS
// listener with a freshly generated self-signed certificate. Used by the tests, the ward
// runner and the ward bench. Everything lives in one temporary folder, removed on stop.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MOSQUITTO = process.env.MOSQUITTO ?? "/usr/sbin/mosquitto";

export interface MosquittoOptions {
  /** user → password; empty: anonymous clients allowed. */
  readonly users?: Readonly<Record<string, string>>;
  readonly websockets?: boolean;
  readonly tls?: boolean;
  /** Keep sessions and retained messages across a restart (mosquitto's persistence file). */
  readonly persistence?: boolean;
  /** Fixed ports (0 or absent: free ones). */
  readonly port?: number;
  readonly wsPort?: number;
  readonly tlsPort?: number;
  /** Where mosquitto's log goes (default: dropped). */
  readonly log?: (line: string) => void;
}

export interface Mosquitto {
  readonly port: number;
  readonly wsPort: number | null;
  readonly tlsPort: number | null;
  /** PEM of the TLS listener's self-signed certificate (its own CA). */
  readonly caPem: string | null;
  readonly dir: string;
  /** mqtt://127.0.0.1:port */
  readonly url: string;
  readonly running: boolean;
  /** The broker's process id while it runs (for CPU figures). */
  readonly pid: number | null;
  /** Stops the broker (SIGTERM: it saves its persistence file) and waits for the exit. */
  halt(): Promise<void>;
  /** Starts it again on the same ports with the same configuration. */
  resume(): Promise<void>;
  /** Halts and removes the folder. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function generateCertificate(dir: string): string {
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "2",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ], { stdio: "ignore" });
  return readFileSync(join(dir, "cert.pem"), "utf8");
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), "incunest-mosquitto-"));
  const port = options.port || (await freePort());
  const wsPort = options.websockets ? options.wsPort || (await freePort()) : null;
  const tlsPort = options.tls ? options.tlsPort || (await freePort()) : null;
  const users = options.users ?? {};
  const names = Object.keys(users);
  const lines = [
    "per_listener_settings false",
    // As root, mosquitto would switch to its own user and lose access to this folder.
    ...(process.getuid?.() === 0 ? ["user root"] : []),
    "log_dest stderr",
    "log_type error",
    "log_type warning",
    "max_queued_messages 100000",
    `persistence ${options.persistence ? "true" : "false"}`,
    `persistence_location ${dir}/`,
  ];
  if (names.length > 0) {
    const passwd = join(dir, "passwd");
    writeFileSync(passwd, "");
    for (const name of names) execFileSync("mosquitto_passwd", ["-b", passwd, name, users[name]], { stdio: "ignore" });
    lines.push("allow_anonymous false", `password_file ${passwd}`);
  } else {
    lines.push("allow_anonymous true");
  }
  lines.push(`listener ${port} 127.0.0.1`);
  if (wsPort !== null) lines.push(`listener ${wsPort} 127.0.0.1`, "protocol websockets");
  let caPem: string | null = null;
  if (tlsPort !== null) {
    caPem = generateCertificate(dir);
    lines.push(`listener ${tlsPort} 127.0.0.1`, `certfile ${join(dir, "cert.pem")}`, `keyfile ${join(dir, "key.pem")}`);
  }
  const configFile = join(dir, "mosquitto.conf");
  writeFileSync(configFile, lines.join("\n") + "\n");

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const log = options.log;

  async function resume(): Promise<void> {
    if (child) return;
    const proc = spawn(MOSQUITTO, ["-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    // A test or bench that dies must not leave its broker behind.
    const reap = () => proc.kill("SIGKILL");
    process.once("exit", reap);
    proc.once("exit", () => process.off("exit", reap));
    let stderr = "";
    proc.stderr!.setEncoding("utf8");
    proc.stderr!.on("data", (text: string) => {
      if (stderr.length < 4000) stderr += text;
      if (log) for (const line of text.split("\n")) if (line) log(line);
    });
    exited = new Promise((resolve) => proc.once("exit", () => {
      if (child === proc) child = null;
      resolve();
    }));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child !== proc) throw new Error(`mosquitto exited at start: ${stderr.trim()}`);
      if ((await canConnect(port)) && (wsPort === null || (await canConnect(wsPort))) && (tlsPort === null || (await canConnect(tlsPort)))) return;
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen within 10 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function halt(): Promise<void> {
    const proc = child;
    if (!proc) return;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  await resume();
  return {
    port, wsPort, tlsPort, caPem, dir,
    url: `mqtt://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    get pid() {
      return child?.pid ?? null;
    },
    halt,
    resume,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
