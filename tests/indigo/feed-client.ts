import assert from "node:assert/strict";
import { applyDictdifferPatch } from "./dictdiffer-patch";

/** What an Indigo client keeps: objects by id, maintained from refresh / add / patch / delete. */
export class FeedClientModel {
  readonly objects = new Map<number, any>();
  patchedThisRound = new Map<number, number>();

  apply(msg: any): void {
    switch (msg.message) {
      case "refresh":
        if (Array.isArray(msg.list)) {
          this.objects.clear();
          for (const o of msg.list) this.objects.set(o.id, o);
        } else {
          this.objects.set(msg.objectDict.id, msg.objectDict);
        }
        break;
      case "add":
        assert.ok(!this.objects.has(msg.objectDict.id), `add of an object the client already has: ${msg.objectDict.id}`);
        this.objects.set(msg.objectDict.id, msg.objectDict);
        break;
      case "patch": {
        const prev = this.objects.get(msg.objectId);
        assert.ok(prev !== undefined, `patch for unknown object ${msg.objectId}`);
        this.objects.set(msg.objectId, applyDictdifferPatch(msg.patch, prev));
        this.patchedThisRound.set(msg.objectId, (this.patchedThisRound.get(msg.objectId) ?? 0) + 1);
        break;
      }
      case "delete":
        assert.ok(this.objects.delete(msg.objectId), `delete of unknown object ${msg.objectId}`);
        break;
      default:
        assert.fail(`unexpected message ${JSON.stringify(msg)}`);
    }
  }

  list(): any[] {
    return [...this.objects.values()].sort((a, b) => a.id - b.id);
  }
}

export function sortedById(list: any[]): any[] {
  return [...list].sort((a, b) => a.id - b.id);
}
