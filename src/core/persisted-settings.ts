import type { Setpoints } from "./api";
import { DEFAULT_SETTINGS } from "./control-config";
import type { ControlMode } from "./types";

/** What must survive a reboot (the store encodes it; see settings-codec). */
export interface PersistedSettings {
  readonly setpoints: Setpoints;
  readonly mode: ControlMode;
  readonly therapyActive: boolean;
}

export const DEFAULT_PERSISTED: PersistedSettings = Object.freeze({
  setpoints: Object.freeze({ air: DEFAULT_SETTINGS.air, skin: DEFAULT_SETTINGS.skin, humidity: DEFAULT_SETTINGS.humidity, override: false }),
  mode: DEFAULT_SETTINGS.mode,
  therapyActive: false,
});
