// Objects that never change (action groups, the control page): built at the first update,
// never rebuilt, never patched.
import type { Snapshot } from "../../core/api";
import type { JsonObject, JsonValue } from "./json";
import { refreshReply, type ObjectPublisher } from "./object-publisher";

const NO_MESSAGES: readonly string[] = Object.freeze([]);

export class ConstantPublisher implements ObjectPublisher {
  private objects: JsonObject[] | null = null;
  private seq: number | null = null;

  constructor(
    readonly objectType: string,
    private readonly build: () => JsonObject[],
  ) {}

  isCurrent(snapshot: Snapshot): boolean {
    return this.seq === snapshot.seq;
  }

  update(snapshot: Snapshot): readonly string[] {
    this.seq = snapshot.seq;
    // The first build is nobody's update: clients get it through refresh.
    this.objects ??= this.build();
    return NO_MESSAGES;
  }

  refreshMessage(id: JsonValue | undefined): string {
    return refreshReply(this.objectType, "list", this.objects ?? (this.objects = this.build()), id);
  }

  objectMessage(objectId: number, id: JsonValue | undefined): string | null {
    const objects = this.objects ?? (this.objects = this.build());
    for (let i = 0; i < objects.length; i++) if (objects[i].id === objectId) return refreshReply(this.objectType, "objectDict", objects[i], id);
    return null;
  }
}
