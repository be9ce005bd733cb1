// One Indigo object type's published state: the objects as clients last saw them, and
// the add / patch / delete messages that bring clients from there to a new snapshot.
// Updated at most once per snapshot, so each object gets at most one patch per tick.
// This one rebuilds the objects and diffs them (variables, whose alarm variables come and
// go); objects that never change are built once; devices have their own (device-publisher.ts).
import type { Snapshot } from "../../core/api";
import { diff, type DiffEntry, type JsonObject } from "./diff";
import { indigoDateTime } from "./format";

/** What the feeds need of one object type's published state. */
export interface ObjectPublisher {
  readonly objectType: string;
  /** Whether the published objects already reflect this snapshot. */
  isCurrent(snapshot: Snapshot): boolean;
  list(): JsonObject[];
  get(id: number): JsonObject | undefined;
  /** Moves to `snapshot`: the messages that bring clients there (valid until the next update). */
  update(snapshot: Snapshot): readonly string[];
}

export interface PublisherSpec {
  readonly objectType: string;
  readonly build: (snapshot: Snapshot) => JsonObject[];
  /** Devices carry lastChanged / lastSuccessfulComm, set to the tick time when anything else changed. */
  readonly stampChanges: boolean;
  /** The objects never change: built at the first update, never rebuilt nor diffed. */
  readonly constant?: boolean;
}

const NO_MESSAGES: readonly string[] = Object.freeze([]);

export class Publisher implements ObjectPublisher {
  private objects: JsonObject[] = [];
  private byId = new Map<number, JsonObject>();
  private seq: number | null = null;

  constructor(readonly spec: PublisherSpec) {}

  get objectType(): string {
    return this.spec.objectType;
  }

  /** Whether the published objects already reflect this snapshot. */
  isCurrent(snapshot: Snapshot): boolean {
    return this.seq === snapshot.seq;
  }

  list(): JsonObject[] {
    return this.objects;
  }

  get(id: number): JsonObject | undefined {
    return this.byId.get(id);
  }

  /**
   * Moves to `snapshot` and returns the JSON messages (one per changed object, in object
   * order, then deletions) that bring a client holding the previous objects up to date.
   */
  update(snapshot: Snapshot): readonly string[] {
    if (this.seq === snapshot.seq) return NO_MESSAGES;
    // The first build is nobody's update: clients get it through refresh.
    const initial = this.seq === null;
    this.seq = snapshot.seq;
    if (this.spec.constant && !initial) return NO_MESSAGES;
    const next = this.spec.build(snapshot);
    const nextById = new Map<number, JsonObject>();
    const messages: string[] = [];
    const stamp = indigoDateTime(snapshot.epochMs);
    for (let i = 0; i < next.length; i++) {
      const obj = next[i];
      const id = obj.id as number;
      nextById.set(id, obj);
      const prev = this.byId.get(id);
      if (prev === undefined) {
        if (this.spec.stampChanges) stampObject(obj, stamp);
        if (!initial) messages.push(JSON.stringify({ message: "add", objectType: this.spec.objectType, objectDict: obj }));
        continue;
      }
      let patch: DiffEntry[];
      if (this.spec.stampChanges) {
        // One diff with the new stamps in place: if the stamps are all that differ,
        // nothing changed and the object keeps its old stamps.
        stampObject(obj, stamp);
        patch = diff(prev, obj);
        if (onlyStamps(patch)) {
          obj.lastChanged = prev.lastChanged;
          obj.lastSuccessfulComm = prev.lastSuccessfulComm;
          patch = [];
        }
      } else {
        patch = diff(prev, obj);
      }
      if (patch.length > 0) {
        messages.push(JSON.stringify({ message: "patch", objectType: this.spec.objectType, objectId: id, patch }));
      }
    }
    for (const prev of this.objects) {
      const id = prev.id as number;
      if (!nextById.has(id)) messages.push(JSON.stringify({ message: "delete", objectType: this.spec.objectType, objectId: id }));
    }
    this.objects = next;
    this.byId = nextById;
    return messages;
  }
}

function onlyStamps(patch: readonly DiffEntry[]): boolean {
  for (let i = 0; i < patch.length; i++) {
    const path = patch[i][1];
    if (path !== "lastChanged" && path !== "lastSuccessfulComm") return false;
  }
  return true;
}

function stampObject(obj: JsonObject, stamp: string): void {
  obj.lastChanged = stamp;
  obj.lastSuccessfulComm = stamp;
}
