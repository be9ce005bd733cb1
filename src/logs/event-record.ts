// One event log entry in a 128-byte slot, little-endian:
//
//   0 u8 tag 'E'   1 u8 kind   2 u8 level (2 bits) | interface (3 bits)   3 u8 client bytes
//   4 u32 epoch seconds   8 u16 milliseconds   10 u8 message bytes   11 u8 0
//  12.. the client (UTF-8), then the message (UTF-8), together at most 114 bytes
// 126 u16 CRC-16 of bytes 0..125
import type { CommandInterface, CommandOrigin } from "../core/api";
import { decodeUtf8, encodeUtf8Into } from "./utf8-bytes";

export const EVENT_RECORD_BYTES = 128;
export const EVENT_TAG = 0x45;
const TEXT_AT = 12;
const TEXT_BYTES = EVENT_RECORD_BYTES - 2 - TEXT_AT;
/** The client is cut to this many bytes so the message keeps most of the room. */
const CLIENT_MAX = 40;

export const EVENT_KINDS = Object.freeze([
  "alarm_raised",
  "alarm_acknowledged",
  "alarm_cleared",
  "state_change",
  "setpoint",
  "mode",
  "calibration",
  "config",
  "boot",
  "power_failure",
  "shutdown",
  "reboot",
  "factory_reset",
  "storage",
] as const);
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_LEVELS = Object.freeze(["INFO", "WARNING", "ERROR"] as const);
export type EventLevel = (typeof EVENT_LEVELS)[number];

const INTERFACES: readonly CommandInterface[] = Object.freeze(["ws", "indigo", "rest", "mqtt", "local"]);

export interface LoggedEvent {
  /** Grows with every entry, across reboots. */
  readonly id: number;
  readonly epochMs: number;
  readonly kind: EventKind;
  readonly level: EventLevel;
  /** The interface and client a command came through; null for the firmware's own. */
  readonly origin: CommandOrigin | null;
  readonly message: string;
}

export type NewEvent = Omit<LoggedEvent, "id">;

/** Writes `e` into the slot (tag and CRC are the ring's); a text too long is cut. */
export function encodeEvent(slot: Uint8Array, view: DataView, e: NewEvent): void {
  slot.fill(0, 1, EVENT_RECORD_BYTES - 2);
  slot[1] = Math.max(0, EVENT_KINDS.indexOf(e.kind));
  const via = e.origin ? INTERFACES.indexOf(e.origin.via) + 1 : 0;
  slot[2] = Math.max(0, EVENT_LEVELS.indexOf(e.level)) | (via << 2);
  const ms = Math.max(0, Math.floor(e.epochMs));
  view.setUint32(4, Math.floor(ms / 1000), true);
  view.setUint16(8, ms % 1000, true);
  const clientBytes = e.origin ? encodeUtf8Into(e.origin.client, slot, TEXT_AT, CLIENT_MAX) : 0;
  slot[3] = clientBytes;
  slot[10] = encodeUtf8Into(e.message, slot, TEXT_AT + clientBytes, TEXT_BYTES - clientBytes);
}

/** Reads the slot at `offset` (already checked by the ring). */
export function decodeEvent(bytes: Uint8Array, offset: number, id: number): LoggedEvent {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, EVENT_RECORD_BYTES);
  const kind = EVENT_KINDS[bytes[offset + 1]] ?? "config";
  const level = EVENT_LEVELS[bytes[offset + 2] & 3] ?? "INFO";
  const via = (bytes[offset + 2] >> 2) & 7;
  const clientBytes = Math.min(bytes[offset + 3], TEXT_BYTES);
  const messageBytes = Math.min(bytes[offset + 10], TEXT_BYTES - clientBytes);
  const origin = via > 0 && via <= INTERFACES.length
    ? Object.freeze({ via: INTERFACES[via - 1], client: decodeUtf8(bytes, offset + TEXT_AT, clientBytes) })
    : null;
  return Object.freeze({
    id,
    epochMs: view.getUint32(4, true) * 1000 + view.getUint16(8, true),
    kind,
    level,
    origin,
    message: decodeUtf8(bytes, offset + TEXT_AT + clientBytes, messageBytes),
  });
}
