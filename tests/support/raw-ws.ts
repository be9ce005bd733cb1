// A raw TCP WebSocket peer for what real clients never send: hand-made frames, floods,
// peers that stop reading or vanish.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

export interface RawPeer {
  readonly socket: Socket;
  /** Everything received after the handshake. */
  received(): Buffer;
  /** Close frames the server sent: code and reason. */
  closeFrames(): { code: number; reason: string }[];
  readonly ended: Promise<void>;
}

/** Opens a TCP connection and performs the upgrade handshake on `path` (with query). */
export async function rawUpgrade(port: number, pathAndQuery: string): Promise<RawPeer> {
  const socket = connect(port, "127.0.0.1");
  let data = Buffer.alloc(0);
  let handshakeDone = false;
  const ended = new Promise<void>((resolve) => {
    socket.on("close", () => resolve());
  });
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => {
      socket.write(
        `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (!handshakeDone) {
        const end = data.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = data.subarray(0, end).toString();
        if (!head.startsWith("HTTP/1.1 101")) return reject(new Error(`upgrade refused: ${head.split("\r\n")[0]}`));
        handshakeDone = true;
        data = data.subarray(end + 4);
        resolve();
      }
    });
    socket.once("close", () => reject(new Error("closed during the handshake")));
  });
  return {
    socket,
    received: () => data,
    closeFrames: () => parseFrames(data).filter((f) => f.opcode === 8).map((f) => ({ code: f.payload.readUInt16BE(0), reason: f.payload.subarray(2).toString() })),
    ended,
  };
}

/** A client frame (masked, as RFC 6455 requires of clients). */
export function frame(opcode: number, payload: Buffer | string, options: { fin?: boolean; mask?: boolean; rsv?: number; declaredLength?: bigint } = {}): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload) : payload;
  const mask = options.mask ?? true;
  const length = options.declaredLength ?? BigInt(body.length);
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, (mask ? 0x80 : 0) | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (mask ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (mask ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!mask) return Buffer.concat([header, body]);
  const key = randomBytes(4);
  const masked = Buffer.from(body);
  for (let i = 0; i < masked.length; i++) masked[i] ^= key[i & 3];
  return Buffer.concat([header, key, masked]);
}

export const textFrame = (text: string) => frame(1, text);

/** Server frames (unmasked) in `data`, as far as complete. */
export function parseFrames(data: Buffer): { opcode: number; payload: Buffer }[] {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let i = 0;
  while (i + 2 <= data.length) {
    const opcode = data[i] & 0x0f;
    let length = data[i + 1] & 0x7f;
    let offset = i + 2;
    if (length === 126) {
      if (offset + 2 > data.length) break;
      length = data.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > data.length) break;
      length = Number(data.readBigUInt64BE(offset));
      offset += 8;
    }
    if (offset + length > data.length) break;
    frames.push({ opcode, payload: data.subarray(offset, offset + length) });
    i = offset + length;
  }
  return frames;
}

/** Text messages the server sent, parsed. */
export function textMessages(data: Buffer): any[] {
  return parseFrames(data).filter((f) => f.opcode === 1).map((f) => JSON.parse(f.payload.toString()));
}
