import type { AlarmSignal } from "../../drivers/buzzer";
import type { AlarmSignalOutput } from "../alarms/annunciator";

/** The annunciator drives the buzzer driver directly: both set both outputs at once. */
export function alarmOutputs(signal: AlarmSignal): AlarmSignalOutput {
  return signal;
}
