// The Indigo seed's own example clients (seeds/003), taken verbatim from the seed text at
// test time, with only the server address and the API key put in.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CANDIDATES = [
  // Worktrees live at /work/wt/<name>, main at /work/main: both have ../shared next to them.
  fileURLToPath(new URL("../../../../shared/seeds/003_dfe643e9d9e827ae.txt", import.meta.url)),
  fileURLToPath(new URL("../../../../../shared/seeds/003_dfe643e9d9e827ae.txt", import.meta.url)),
  "/work/shared/seeds/003_dfe643e9d9e827ae.txt",
];

function seedText(): string {
  for (const candidate of CANDIDATES) {
    try {
      return readFileSync(candidate, "utf8");
    } catch {
      // try the next
    }
  }
  throw new Error(`seed 003 not found at ${CANDIDATES.join(", ")}`);
}

function codeBlock(language: string, marker: string): string {
  const fence = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
  const text = seedText();
  for (let m = fence.exec(text); m; m = fence.exec(text)) if (m[1].includes(marker)) return m[1];
  throw new Error(`seed 003 has no ${language} block containing ${JSON.stringify(marker)}`);
}

function replaceOnce(source: string, from: string, to: string): string {
  const at = source.indexOf(from);
  if (at < 0 || source.indexOf(from, at + 1) >= 0) throw new Error(`expected ${JSON.stringify(from)} exactly once in the seed's client`);
  return source.slice(0, at) + to + source.slice(at + from.length);
}

/** "Complete Example (Python)": monitor_devices() with websockets.connect(uri, extra_headers=headers). */
export function seedPythonClient(baseUrl: string, apiKey: string): string {
  let source = codeBlock("python", "async def monitor_devices");
  source = replaceOnce(source, 'API_KEY = "your_api_key"', `API_KEY = ${JSON.stringify(apiKey)}`);
  source = replaceOnce(source, 'f"wss://{REFLECTOR}.indigodomo.net/v2/api/ws/device-feed"', JSON.stringify(`${baseUrl}/v2/api/ws/device-feed`));
  return source;
}

/** "Complete Example (JavaScript/Node.js)": require('ws') with an Authorization header. */
export function seedNodeClient(baseUrl: string, apiKey: string): string {
  let source = codeBlock("javascript", "require('ws')");
  source = replaceOnce(source, "const API_KEY = 'your_api_key';", `const API_KEY = ${JSON.stringify(apiKey)};`);
  source = replaceOnce(source, "`wss://${REFLECTOR}.indigodomo.net/v2/api/ws/device-feed`", JSON.stringify(`${baseUrl}/v2/api/ws/device-feed`));
  return source;
}
