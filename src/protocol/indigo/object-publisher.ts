// What the feeds need of one Indigo object type's published state: the objects as clients
// last saw them, and the add / patch / delete messages that bring clients from there to a
// new snapshot. Updated at most once per snapshot, so each object gets at most one patch
// per tick. Devices (device-publisher.ts) and variables (variable-publisher.ts) are kept
// and patched; action groups and the page never change (constant-publisher.ts).
import type { Snapshot } from "../../core/api";
import type { JsonValue } from "./json";

export interface ObjectPublisher {
  readonly objectType: string;
  /** Whether the published objects already reflect this snapshot. */
  isCurrent(snapshot: Snapshot): boolean;
  /** Moves to `snapshot`: the messages that bring clients there (valid until the next update). */
  update(snapshot: Snapshot): readonly string[];
  /** The refresh reply with every object; `id` (the client's tracking id) echoed unless undefined. */
  refreshMessage(id: JsonValue | undefined): string;
  /** The refresh reply with object `objectId`, null when there is none. */
  objectMessage(objectId: number, id: JsonValue | undefined): string | null;
}

/** A refresh reply as JSON.stringify writes {message: "refresh", objectType, list | objectDict, id?}. */
export function refreshReply(objectType: string, field: "list" | "objectDict", value: JsonValue, id: JsonValue | undefined): string {
  const reply: { [key: string]: JsonValue } = { message: "refresh", objectType };
  reply[field] = value;
  if (id !== undefined) reply.id = id;
  return JSON.stringify(reply);
}
