// BASELINE, frozen for comparison: the Indigo variable objects built afresh from a snapshot,
// as the variable feed did every tick before it kept its values (copied from
// src/protocol/indigo/model.ts). Only the differential test and indigo-bench use it;
// do not change it. Names, ids, descriptions and writability come from the current specs.
import type { Snapshot } from "../../../src/core/api";
import type { JsonObject } from "./indigo-diff";
import { activeAlarmCount } from "../../../src/protocol/indigo/active-alarms";
import { round } from "../../../src/protocol/indigo/format";
import { alarmVariableId, FOLDER_IDS, VARIABLES } from "../../../src/protocol/indigo/model";

/** A number as an Indigo variable value: fixed decimals, "" when there is no value. */
export function variableNumber(value: number | null, decimals: number): string {
  const rounded = round(value, decimals);
  return rounded === null ? "" : rounded.toFixed(decimals);
}

/** A number as the shortest decimal after rounding ("36.5", "37"), "" when there is none. */
export function plainNumber(value: number | null, decimals: number): string {
  const rounded = round(value, decimals);
  return rounded === null ? "" : String(rounded);
}

let empty: JsonObject | null = null;

/** The old value functions, in VARIABLES order. */
const VALUES: ReadonlyArray<(s: Snapshot) => string> = [
  (s) => s.state,
  (s) => s.mode,
  (s) => s.effectiveMode,
  (s) => plainNumber(s.temperatureSetpoint, 2),
  (s) => plainNumber(s.setpoints.air, 2),
  (s) => plainNumber(s.setpoints.skin, 2),
  (s) => variableNumber(s.setpoints.humidity, 1),
  (s) => (s.setpoints.override ? "true" : "false"),
  (s) => variableNumber(s.air, 2),
  (s) => variableNumber(s.skin, 2),
  (s) => variableNumber(s.probeAir, 2),
  (s) => variableNumber(s.humidity, 1),
  (s) => String(activeAlarmCount(s.alarms)),
];

function variableObject(id: number, name: string, description: string, value: string, readOnly: boolean): JsonObject {
  empty ??= Object.freeze({}) as JsonObject;
  return {
    class: "indigo.Variable",
    description,
    folderId: FOLDER_IDS.variables,
    globalProps: empty,
    id,
    name,
    pluginProps: empty,
    readOnly,
    remoteDisplay: true,
    sharedProps: empty,
    value,
  };
}

export function buildBaselineVariables(s: Snapshot): JsonObject[] {
  if (VALUES.length !== VARIABLES.length) throw new Error("baseline variables: VALUES out of step with VARIABLES");
  const out: JsonObject[] = [];
  for (let i = 0; i < VARIABLES.length; i++) {
    const spec = VARIABLES[i];
    out.push(variableObject(spec.id, spec.name, spec.description, VALUES[i](s), spec.write === undefined));
  }
  for (const alarm of s.alarms) {
    if (!alarm.active) continue;
    const state = alarm.acknowledged ? "acknowledged" : "unacknowledged";
    out.push(
      variableObject(
        alarmVariableId(alarm.code),
        "alarm_" + alarm.code,
        `${alarm.level} (${alarm.priority} priority) alarm #${alarm.id}, ${state}`,
        alarm.message,
        true,
      ),
    );
  }
  return out;
}
