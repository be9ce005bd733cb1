// The command line of `npm start`, parsed and checked: every refusal names the flag and
// what was wrong with it. Pure (no process access), so tests call it directly.
import { parseArgs } from "node:util";
import { DEFAULT_LIMITS } from "../src/net/limits";
import { FAULT_HELP, parseFaultFlags, type FaultSpec } from "./faults";
import { MQTT_FLAGS, MQTT_HELP, type MqttFlagValues } from "./mqtt/mqtt-flags";

export const USAGE = `Usage: npm start -- [options]
  --speed <n>        run n times faster than real time (default 1)
  --plant <file>     incubator model parameters (JSON merged over host-sim/plant/params.ts)
  --host <addr>      listen address (default 127.0.0.1)
  --port <n>         listen port (default 8080)
  --state <file>     state file: the plant's state; the firmware's records sit beside it
                     (default .incunest-state.json; records .incunest-state.<name>.a|b)
  --cold             start the plant at room temperature instead of where the last run left it
  --start            begin therapy at launch (as set_state start from the console)
  --api-key <key>    use and store this API key (default: the stored one, else a new one)
  --no-auth          accept clients without a key
  --max-clients <n>  connection cap over all endpoints (default 4, as on the device)
  --seed <n>         sensor noise seed (an integer)
  --quiet            no live status line
${MQTT_HELP}
  ${FAULT_HELP}`;

export interface StartOptions {
  readonly speed: number;
  readonly plant: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly state: string;
  readonly cold: boolean;
  readonly start: boolean;
  readonly apiKey: string | undefined;
  readonly noAuth: boolean;
  readonly maxClients: number;
  readonly seed: number | undefined;
  readonly quiet: boolean;
  readonly faults: readonly FaultSpec[];
  /** The --mqtt… flags as given; host-sim/mqtt/mqtt-flags.ts checks them (it reads the CA file). */
  readonly mqtt: MqttFlagValues;
}

export type ParsedStart = { readonly ok: true; readonly options: StartOptions } | { readonly ok: false; readonly help: true } | { readonly ok: false; readonly help?: false; readonly error: string };

const VALUE_FLAGS = new Set(["--speed", "--plant", "--host", "--port", "--state", "--api-key", "--max-clients", "--seed"]);

/** `--speed -5` would read "-5" as an option: a value flag takes the next word whatever it is. */
function joinValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (VALUE_FLAGS.has(a) && i + 1 < argv.length && argv[i + 1].startsWith("-") && !argv[i + 1].startsWith("--")) {
      out.push(`${a}=${argv[++i]}`);
    } else out.push(a);
  }
  return out;
}

export function parseStartOptions(argv: readonly string[]): ParsedStart {
  const faults = parseFaultFlags(argv);
  if (faults.errors.length > 0) return { ok: false, error: faults.errors.join("\n") };
  let values;
  try {
    values = parseArgs({
      args: joinValues(faults.rest),
      options: {
        speed: { type: "string" },
        plant: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8080" },
        state: { type: "string", default: ".incunest-state.json" },
        cold: { type: "boolean", default: false },
        start: { type: "boolean", default: false },
        "api-key": { type: "string" },
        "no-auth": { type: "boolean", default: false },
        "max-clients": { type: "string" },
        seed: { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
        ...MQTT_FLAGS,
      },
      strict: true,
    }).values;
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (values.help) return { ok: false, help: true };
  const problems: string[] = [];
  const positive = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v) || v <= 0) problems.push(`--${name} must be a positive number, got "${text}"`);
    return v;
  };
  const speed = positive("speed", values.speed, 1);
  const port = Number(values.port);
  if (values.port.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port must be an integer 0..65535, got "${values.port}"`);
  const maxClients = positive("max-clients", values["max-clients"], DEFAULT_LIMITS.maxConnections);
  if (values["max-clients"] !== undefined && Number.isFinite(maxClients) && !Number.isInteger(maxClients)) problems.push(`--max-clients must be a whole number, got "${values["max-clients"]}"`);
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (values.seed.trim() === "" || !Number.isSafeInteger(seed)) problems.push(`--seed must be an integer, got "${values.seed}"`);
  }
  if (values.state.trim() === "") problems.push("--state needs a file name");
  if (problems.length > 0) return { ok: false, error: problems.join("\n") };
  return {
    ok: true,
    options: Object.freeze({
      speed, plant: values.plant, host: values.host, port, state: values.state, cold: values.cold, start: values.start,
      apiKey: values["api-key"], noAuth: values["no-auth"], maxClients, seed, quiet: values.quiet, faults: faults.specs,
      mqtt: Object.freeze({ mqtt: values.mqtt, "mqtt-device-id": values["mqtt-device-id"], "mqtt-client-id": values["mqtt-client-id"], "mqtt-ca": values["mqtt-ca"], "mqtt-insecure": values["mqtt-insecure"], "mqtt-ha-controls": values["mqtt-ha-controls"] }),
    }),
  };
}

/** One line for a listen failure, naming the flag to change. */
export function listenErrorLine(error: unknown, host: string, port: number): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === "EADDRINUSE") return `--port ${port}: ${host}:${port} is already in use (another npm start?); pick another with --port <n>, or --port 0 for any free one`;
  if (code === "EACCES") return `--port ${port}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges); pick another with --port <n>`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return `--host ${host}: no such address on this machine; use --host 127.0.0.1`;
  return `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
}
