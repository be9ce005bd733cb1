// BASELINE, frozen for comparison: the build-every-tick + diff publisher of the device and variable feeds (copied from
// src/protocol/indigo/publisher.ts). Only the differential test and indigo-bench use it.
// One Indigo object type's published state: the objects as clients last saw them, and
// the add / patch / delete messages that bring clients from there to a new snapshot.
// Updated at most once per snapshot, so each object gets at most one patch per tick.
import type { Snapshot } from "../../../src/core/api";
import { diff, type DiffEntry, type JsonObject } from "./indigo-diff";
import { indigoDateTime } from "../../../src/protocol/indigo/format";

export interface PublisherSpec {
  readonly objectType: string;
  readonly build: (snapshot: Snapshot) => JsonObject[];
  /** Devices carry lastChanged / lastSuccessfulComm, set to the tick time when anything else changed. */
  readonly stampChanges: boolean;
}

export class BaselinePublisher {
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
  update(snapshot: Snapshot): string[] {
    if (this.seq === snapshot.seq) return [];
    // The first build is nobody's update: clients get it through refresh.
    const initial = this.seq === null;
    this.seq = snapshot.seq;
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
