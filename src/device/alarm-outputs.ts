import type { AlarmSignal } from "../../drivers/buzzer";
import type { AlarmSignalOutput } from "../alarms/annunciator";

/** The annunciator's two switches over the buzzer driver, which sets both at once. */
export function alarmOutputs(signal: AlarmSignal): AlarmSignalOutput {
  let buzzer = false;
  let led = false;
  return {
    setBuzzer(on: boolean): void {
      buzzer = on;
      signal.set(buzzer, led);
    },
    setLed(on: boolean): void {
      led = on;
      signal.set(buzzer, led);
    },
  };
}
