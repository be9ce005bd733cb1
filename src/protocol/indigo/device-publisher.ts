// The device feed's published state: the 11 device objects, built at the first update and
// from then on patched in place, and per tick the patch messages of the devices that
// changed. The bytes are those of building every object afresh and diffing it against the
// previous one (tests/indigo/device-publisher.test.ts holds that implementation as the
// reference); the work and the garbage follow what changed, not the objects' size.
// The device set is fixed (no device comes or goes), so after the first build there is
// no add or delete message and nothing structural to diff.
import type { Snapshot } from "../../core/api";
import type { JsonObject } from "./diff";
import { makeDevices, type IndigoDevice } from "./devices";
import { indigoDateTime } from "./format";
import { OBJECT_TYPES } from "./model";
import { PatchWriter } from "./patch-writer";
import type { ObjectPublisher } from "./publisher";

export class DevicePublisher implements ObjectPublisher {
  readonly objectType = OBJECT_TYPES.device;
  private devices: IndigoDevice[] | null = null;
  private objects: JsonObject[] = [];
  private readonly writer = new PatchWriter();
  private readonly messages: string[] = [];
  private readonly head = '{"message":"patch","objectType":' + JSON.stringify(OBJECT_TYPES.device) + ',"objectId":';
  private seq: number | null = null;

  isCurrent(snapshot: Snapshot): boolean {
    return this.seq === snapshot.seq;
  }

  list(): JsonObject[] {
    return this.objects;
  }

  get(id: number): JsonObject | undefined {
    const objects = this.objects;
    for (let i = 0; i < objects.length; i++) if (objects[i].id === id) return objects[i];
    return undefined;
  }

  /**
   * Moves to `snapshot` and returns the patch messages (one per changed device, in device
   * order) that bring a client holding the previous objects up to date. The array is
   * reused: it holds this update's messages until the next update.
   */
  update(snapshot: Snapshot): readonly string[] {
    const messages = this.messages;
    if (this.seq === snapshot.seq) {
      messages.length = 0;
      return messages;
    }
    this.seq = snapshot.seq;
    messages.length = 0;
    const w = this.writer;
    if (this.devices === null) {
      // The first build is nobody's update: clients get it through refresh.
      const devices = makeDevices();
      const objects: JsonObject[] = [];
      const stamp = indigoDateTime(snapshot.epochMs);
      for (let i = 0; i < devices.length; i++) {
        w.begin();
        devices[i].update(snapshot, w);
        const obj = devices[i].obj;
        obj.lastChanged = stamp;
        obj.lastSuccessfulComm = stamp;
        objects.push(obj);
      }
      this.devices = devices;
      this.objects = objects;
      return messages;
    }
    // Devices carry lastChanged / lastSuccessfulComm: the tick time, moved only when
    // something else in the device changed.
    let stamp: string | null = null;
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      w.begin();
      device.update(snapshot, w);
      if (w.count === 0) continue;
      stamp ??= indigoDateTime(snapshot.epochMs);
      const obj = device.obj;
      const previous = obj.lastChanged;
      messages.push(w.encode(this.head, obj.id as number, previous === stamp ? null : stamp, previous));
      obj.lastChanged = stamp;
      obj.lastSuccessfulComm = stamp;
    }
    return messages;
  }
}
