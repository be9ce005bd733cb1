// Reads back what the server wrote on a scripted socket: HTTP responses (head and
// Content-Length body), and after a 101 the WebSocket frames.
import { serverFrames, type ServerFrame } from "./client-frames";

export interface ParsedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ParsedOutput {
  readonly responses: ParsedResponse[];
  readonly frames: ServerFrame[];
  /** Bytes after the last complete response or frame. */
  readonly rest: number;
}

export function readOutput(hex: string): ParsedOutput {
  const bytes = Buffer.from(hex, "hex");
  const responses: ParsedResponse[] = [];
  let at = 0;
  for (;;) {
    const end = bytes.indexOf("\r\n\r\n", at);
    if (end < 0) break;
    const lines = bytes.subarray(at, end).toString("latin1").split("\r\n");
    const status = Number(lines[0].split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    responses.push({ status, headers, body: bytes.subarray(end + 4, end + 4 + length).toString("utf8") });
    at = end + 4 + length;
    if (status === 101) break;
  }
  const after = responses.length > 0 && responses[responses.length - 1].status === 101 ? bytes.subarray(at) : Buffer.alloc(0);
  const { frames, rest } = serverFrames(after);
  return { responses, frames, rest: responses.length && responses[responses.length - 1].status === 101 ? rest : bytes.length - at };
}

export const text = (f: ServerFrame) => Buffer.from(f.payload).toString("utf8");
export const closeOf = (f: ServerFrame) => ({ code: (f.payload[0] << 8) | f.payload[1], reason: Buffer.from(f.payload.subarray(2)).toString("utf8") });
