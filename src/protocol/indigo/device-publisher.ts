// The device feed's published state: the 11 devices' dynamic leaves and stamps (their
// objects are made only when a client asks for them), and per tick the patch messages of
// the devices that changed. The bytes are those of building every object afresh and
// diffing it against the previous one (tests/indigo/device-publisher.test.ts holds that
// implementation as the reference); the work and the garbage follow what changed, not the
// objects' size. The device set is fixed (no device comes or goes), so after the first
// build there is no add or delete message and nothing structural to diff.
import type { Snapshot } from "../../core/api";
import type { JsonObject, JsonValue } from "./json";
import { makeDevices, type IndigoDevice } from "./devices";
import { indigoDateTime } from "./format";
import { OBJECT_TYPES } from "./model";
import { PatchWriter } from "./patch-writer";
import type { ObjectPublisher } from "./object-publisher";

const PATCH_HEAD = '{"message":"patch","objectType":"indigo.Device","objectId":';

export class DevicePublisher implements ObjectPublisher {
  readonly objectType = OBJECT_TYPES.device;
  private readonly devices: IndigoDevice[] = makeDevices();
  /** Each device's lastChanged (= lastSuccessfulComm): the tick time of its last change. */
  private readonly stamps: string[] = [];
  private readonly writer = new PatchWriter();
  private readonly messages: string[] = [];
  private seq: number | null = null;

  isCurrent(snapshot: Snapshot): boolean {
    return this.seq === snapshot.seq;
  }

  /** The objects as a refresh sends them, made anew. */
  list(): JsonObject[] {
    const out: JsonObject[] = [];
    for (let i = 0; i < this.devices.length; i++) out.push(this.object(i));
    return out;
  }

  get(id: number): JsonObject | undefined {
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) if (devices[i].id === id) return this.object(i);
    return undefined;
  }

  /** Each object made and written in turn, then joined: no list of objects is held. */
  refreshMessage(id: JsonValue | undefined): string {
    const count = this.devices.length;
    const parts: string[] = new Array(count);
    for (let i = 0; i < count; i++) parts[i] = JSON.stringify(this.object(i));
    parts[0] = '{"message":"refresh","objectType":"indigo.Device","list":[' + parts[0];
    parts[count - 1] += id === undefined ? "]}" : '],"id":' + JSON.stringify(id) + "}";
    return parts.join(",");
  }

  objectMessage(objectId: number, id: JsonValue | undefined): string | null {
    const obj = this.get(objectId);
    if (obj === undefined) return null;
    const reply: JsonObject = { message: "refresh", objectType: this.objectType, objectDict: obj };
    if (id !== undefined) reply.id = id;
    return JSON.stringify(reply);
  }

  private object(index: number): JsonObject {
    const obj = this.devices[index].object();
    const stamp = this.stamps[index] ?? "";
    obj.lastChanged = stamp;
    obj.lastSuccessfulComm = stamp;
    return obj;
  }

  /**
   * Moves to `snapshot` and returns the patch messages (one per changed device, in device
   * order) that bring a client holding the previous objects up to date. The array is
   * reused: it holds this update's messages until the next update.
   */
  update(snapshot: Snapshot): readonly string[] {
    const messages = this.messages;
    messages.length = 0;
    if (this.seq === snapshot.seq) return messages;
    // The first build is nobody's update: clients get it through refresh.
    const initial = this.seq === null;
    this.seq = snapshot.seq;
    const w = this.writer;
    const devices = this.devices;
    const stamps = this.stamps;
    // Devices carry lastChanged / lastSuccessfulComm: the tick time, moved only when
    // something else in the device changed.
    let stamp: string | null = null;
    for (let i = 0; i < devices.length; i++) {
      devices[i].update(snapshot, w);
      if (w.count === 0 && !initial) continue;
      stamp ??= indigoDateTime(snapshot.epochMs);
      const previous = stamps[i];
      if (!initial) messages.push(w.encode(PATCH_HEAD, devices[i].id, previous === stamp ? null : stamp, previous));
      stamps[i] = stamp;
    }
    return messages;
  }
}
