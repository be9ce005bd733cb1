// What every Indigo device of ours shares: the interface the device publisher drives, the
// fields of its object common to all devices, and the leaf-table helpers. An object is
// written key by key when a client asks for it (no temporary objects to copy from).
import type { Snapshot } from "../../core/api";
import type { JsonObject, JsonValue } from "./json";
import { emptyProps, type DeviceSpec } from "./model";
import type { Leaf, PatchWriter } from "./patch-writer";

export const PLUGIN_ID = "org.incunest.firmware";
export const PROTOCOL = "indigo.kProtocol.Plugin";

export interface IndigoDevice {
  readonly id: number;
  /** Its object with the leaves as last updated, made anew; lastChanged / lastSuccessfulComm
   *  are "" (the publisher keeps the stamps). */
  object(): JsonObject;
  /** Sets the dynamic leaves from `s`; each change becomes an entry of `w` (begun here),
   *  which marks where the stamps (lastChanged, lastSuccessfulComm) lie among them. */
  update(s: Snapshot, w: PatchWriter): void;
}

/** The fields every Indigo device carries; the dynamic ones are placeholders until the first update. */
export function deviceBase(spec: DeviceSpec, cls: string, folderId: number, address: string, description: string, model: string, displayStateId: string): JsonObject {
  return {
    class: cls,
    address,
    batteryLevel: null,
    configured: true,
    description,
    deviceTypeId: spec.role,
    displayStateId,
    displayStateImageSel: "",
    displayStateValRaw: null,
    displayStateValUi: "",
    enabled: true,
    energyAccumBaseTime: null,
    energyAccumTimeDelta: null,
    energyAccumTotal: null,
    energyCurLevel: null,
    errorState: "",
    folderId,
    globalProps: emptyProps(),
    id: spec.id,
    lastChanged: "",
    lastSuccessfulComm: "",
    model,
    name: spec.name,
  };
}

/** The plugin fields after a plugin device's own leading fields, up to `remoteDisplay`. */
export function pluginFields(obj: JsonObject): void {
  obj.ownerProps = emptyProps();
  obj.pluginId = PLUGIN_ID;
  obj.pluginProps = emptyProps();
  obj.protocol = PROTOCOL;
  obj.remoteDisplay = true;
}

/** From `sharedProps` to `subType`, common to sensors, dimmers and relays. */
export function tailFields(obj: JsonObject, states: JsonObject): void {
  obj.sharedProps = emptyProps();
  obj.states = states;
  obj.subModel = "";
  obj.subType = "";
}

export const rootLeaf = (key: string): Leaf => Object.freeze([null, key] as const);
export const stateLeaf = (key: string): Leaf => Object.freeze(["states", key] as const);

/** What a leaf holds before the first update: the object's placeholders. */
export function placeholders(leaves: readonly Leaf[], strings: readonly string[]): JsonValue[] {
  const values: JsonValue[] = new Array(leaves.length);
  for (let i = 0; i < leaves.length; i++) values[i] = leaves[i][0] === null && strings.indexOf(leaves[i][1] as string) >= 0 ? "" : null;
  return values;
}

/** The fields whose placeholder is "" (deviceBase's; sensorValue.ui is the sensors' own). */
export const STRING_PLACEHOLDERS: readonly string[] = Object.freeze(["displayStateId", "displayStateImageSel", "displayStateValUi", "errorState"]);
