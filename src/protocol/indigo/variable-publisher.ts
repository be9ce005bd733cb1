// The variable feed's published state without the objects: the fixed variables' values and
// one small record per active alarm's variable; the JSON of an object is written from
// them by concatenation when a client needs it (refresh, add). Per tick: a fixed
// variable's value string is made only when its input moved, an alarm's only when the
// alarm did, and a patch message per variable whose value (or description) changed.
// Alarm variables come and go: an "add" for a newly active alarm, a "delete" for one
// that cleared. The bytes are those of building every variable object afresh and diffing
// it against the previous one (tests/indigo/variable-publisher.test.ts holds that
// implementation as the reference, host-sim/bench/baseline/): object order is the
// fixed variables, then the active alarms in the snapshot's order; messages are the
// adds and patches in object order, then the deletes in the previous order.
// An alarm variable's id is its code's, and a code may be active more than once (one per
// subject: two sensors' SENSOR_FAULT); those ticks take a general path that allocates.
import type { AlarmInfo, Snapshot } from "../../core/api";
import type { JsonValue } from "./json";
import { alarmVariableId, FOLDER_IDS, OBJECT_TYPES, VARIABLES, type VariableInput } from "./model";
import type { ObjectPublisher } from "./object-publisher";
import { jsonString } from "./patch-writer";

/** One active alarm's read-only variable. */
class AlarmVariable {
  readonly id: number;
  readonly name: string;
  description = "";
  value = "";
  private alarmId = -1;
  private level = "";
  private priority = "";
  private acknowledged = false;

  constructor(readonly code: string) {
    this.id = alarmVariableId(code);
    this.name = "alarm_" + code;
  }

  /** Takes `alarm`'s fields; the patch of what changed ("" when nothing did). */
  take(alarm: AlarmInfo): string {
    let patch = "";
    if (alarm.id !== this.alarmId || alarm.level !== this.level || alarm.priority !== this.priority || alarm.acknowledged !== this.acknowledged) {
      this.alarmId = alarm.id;
      this.level = alarm.level;
      this.priority = alarm.priority;
      this.acknowledged = alarm.acknowledged;
      const description = `${alarm.level} (${alarm.priority} priority) alarm #${alarm.id}, ${alarm.acknowledged ? "acknowledged" : "unacknowledged"}`;
      if (description !== this.description) {
        patch = changeEntry("description", this.description, description);
        this.description = description;
      }
    }
    if (alarm.message !== this.value) {
      patch += (patch === "" ? "" : ",") + changeEntry("value", this.value, alarm.message);
      this.value = alarm.message;
    }
    return patch;
  }

  json(): string {
    return variableJson(this.id, this.name, this.description, this.value, true);
  }
}

const OBJECT_TYPE = OBJECT_TYPES.variable;
const PATCH_HEAD = '{"message":"patch","objectType":"indigo.Variable","objectId":';

export class VariablePublisher implements ObjectPublisher {
  readonly objectType = OBJECT_TYPE;
  /** The fixed variables' values and the inputs they were made from, in VARIABLES order. */
  private readonly values: string[] = [];
  private readonly inputs: VariableInput[] = [];
  /** The active alarms' variables, in list order. */
  private alarms: AlarmVariable[] = [];
  /** No code appears twice among them (else every tick takes the general path). */
  private distinct = true;
  private readonly messages: string[] = [];
  private seq: number | null = null;

  isCurrent(snapshot: Snapshot): boolean {
    return this.seq === snapshot.seq;
  }

  /**
   * Moves to `snapshot` and returns the messages that bring a client holding the previous
   * objects up to date. The array is reused: it holds this update's messages until the next.
   */
  update(snapshot: Snapshot): readonly string[] {
    const messages = this.messages;
    messages.length = 0;
    if (this.seq === snapshot.seq) return messages;
    // The first build is nobody's update: clients get it through refresh.
    const initial = this.seq === null;
    this.seq = snapshot.seq;
    const values = this.values;
    const inputs = this.inputs;
    for (let i = 0; i < VARIABLES.length; i++) {
      const spec = VARIABLES[i];
      const input = spec.read(snapshot);
      if (!initial && (input === inputs[i] || (input !== input && inputs[i] !== inputs[i]))) continue;
      inputs[i] = input;
      const value = spec.text(input);
      if (value === values[i]) continue;
      if (!initial) messages.push(PATCH_HEAD + spec.id + ',"patch":[' + changeEntry("value", values[i], value) + "]}");
      values[i] = value;
    }
    this.updateAlarms(snapshot.alarms, initial);
    return messages;
  }

  private updateAlarms(alarms: readonly AlarmInfo[], initial: boolean): void {
    const kept = this.alarms;
    // The usual tick: the same active codes in the same order, each patched in place.
    let n = 0;
    let same = this.distinct;
    for (let i = 0; i < alarms.length && same; i++) {
      if (!alarms[i].active) continue;
      same = n < kept.length && kept[n].code === alarms[i].code;
      n++;
    }
    if (same && n === kept.length) {
      n = 0;
      for (let i = 0; i < alarms.length; i++) if (alarms[i].active) this.patch(kept[n++], alarms[i]);
      return;
    }
    const next: AlarmVariable[] = [];
    let distinct = true;
    for (let i = 0; i < alarms.length; i++) {
      const alarm = alarms[i];
      if (!alarm.active) continue;
      // Each object is compared with the last previous object of its id (what a client
      // holding the previous list by id has).
      const old = findLast(kept, alarm.code);
      if (old !== null && countCodes(kept, alarm.code) === 1 && countActive(alarms, alarm.code) === 1) {
        this.patch(old, alarm);
        next.push(old);
        continue;
      }
      const made = new AlarmVariable(alarm.code);
      made.take(alarm);
      if (find(next, alarm.code) !== null) distinct = false;
      next.push(made);
      if (old === null) {
        if (!initial) this.messages.push('{"message":"add","objectType":"indigo.Variable","objectDict":' + made.json() + "}");
        continue;
      }
      // A code raised more than once (one per subject, e.g. two sensors' SENSOR_FAULT) is
      // one id: its objects are compared with the previous one, as the build-and-diff did.
      let patch = made.description === old.description ? "" : changeEntry("description", old.description, made.description);
      if (made.value !== old.value) patch += (patch === "" ? "" : ",") + changeEntry("value", old.value, made.value);
      if (patch !== "") this.messages.push(PATCH_HEAD + made.id + ',"patch":[' + patch + "]}");
    }
    for (let i = 0; i < kept.length; i++) {
      if (find(next, kept[i].code) === null) this.messages.push('{"message":"delete","objectType":"indigo.Variable","objectId":' + kept[i].id + "}");
    }
    this.alarms = next;
    this.distinct = distinct;
  }

  private patch(variable: AlarmVariable, alarm: AlarmInfo): void {
    const patch = variable.take(alarm);
    if (patch !== "") this.messages.push(PATCH_HEAD + variable.id + ',"patch":[' + patch + "]}");
  }

  /** Written as one join of the objects' texts (no copy of the list is held). */
  refreshMessage(id: JsonValue | undefined): string {
    const count = VARIABLES.length + this.alarms.length;
    const parts: string[] = new Array(count);
    for (let i = 0; i < count; i++) parts[i] = this.objectJson(i);
    parts[0] = '{"message":"refresh","objectType":"indigo.Variable","list":[' + parts[0];
    parts[count - 1] += "]" + idTail(id);
    return parts.join(",");
  }

  objectMessage(objectId: number, id: JsonValue | undefined): string | null {
    const count = VARIABLES.length + this.alarms.length;
    for (let i = 0; i < count; i++) {
      const objId = i < VARIABLES.length ? VARIABLES[i].id : this.alarms[i - VARIABLES.length].id;
      if (objId === objectId) return '{"message":"refresh","objectType":"indigo.Variable","objectDict":' + this.objectJson(i) + idTail(id);
    }
    return null;
  }

  /** The JSON of the `index`th object of the list. */
  private objectJson(index: number): string {
    if (index >= VARIABLES.length) return this.alarms[index - VARIABLES.length].json();
    const spec = VARIABLES[index];
    return variableJson(spec.id, spec.name, spec.description, this.values[index], spec.write === undefined);
  }
}

function findLast(list: readonly AlarmVariable[], code: string): AlarmVariable | null {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].code === code) return list[i];
  return null;
}

function countCodes(list: readonly AlarmVariable[], code: string): number {
  let n = 0;
  for (let i = 0; i < list.length; i++) if (list[i].code === code) n++;
  return n;
}

function countActive(alarms: readonly AlarmInfo[], code: string): number {
  let n = 0;
  for (let i = 0; i < alarms.length; i++) if (alarms[i].active && alarms[i].code === code) n++;
  return n;
}

function find(list: readonly AlarmVariable[], code: string): AlarmVariable | null {
  for (let i = 0; i < list.length; i++) if (list[i].code === code) return list[i];
  return null;
}

/** The end of a refresh reply: the client's tracking id when it sent one. */
function idTail(id: JsonValue | undefined): string {
  return id === undefined ? "}" : ',"id":' + JSON.stringify(id) + "}";
}

function changeEntry(key: string, old: string, value: string): string {
  return '["change","' + key + '",[' + jsonString(old) + "," + jsonString(value) + "]]";
}

/** An indigo.Variable object as JSON.stringify writes it (Indigo's key order). */
function variableJson(id: number, name: string, description: string, value: string, readOnly: boolean): string {
  return (
    '{"class":"indigo.Variable","description":' + jsonString(description) +
    ',"folderId":' + FOLDER_IDS.variables +
    ',"globalProps":{},"id":' + id +
    ',"name":' + jsonString(name) +
    ',"pluginProps":{},"readOnly":' + (readOnly ? "true" : "false") +
    ',"remoteDisplay":true,"sharedProps":{},"value":' + jsonString(value) +
    "}"
  );
}
