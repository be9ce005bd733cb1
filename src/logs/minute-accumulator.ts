// The only part of the trend log that runs inside the control tick: the tick's values are
// added to preallocated sums (no allocation); the minute is turned into a record after
// the tick.
import type { Snapshot } from "../core/api";
import type { ControlMode, IncubatorState } from "../core/types";
import { ALARM_BITS } from "./alarm-bits";
import type { TrendMinute } from "./trend-record";

export class MinuteAccumulator implements TrendMinute {
  /** Epoch minute number (epoch ms / 60 000) of the minute being summed; -1 when empty. */
  minute = -1;
  samples = 0;
  clockSet = true;
  state: IncubatorState = "STANDBY";
  mode: ControlMode = "air";
  effectiveMode: ControlMode = "air";
  override = false;
  setAir = 0;
  setSkin = 0;
  setHumidity = 0;
  alarms = 0;
  private airSum = 0;
  private airN = 0;
  private airLow = Infinity;
  private airHigh = -Infinity;
  private skinSum = 0;
  private skinN = 0;
  private probeSum = 0;
  private probeN = 0;
  private humiditySum = 0;
  private humidityN = 0;
  private heaterSum = 0;
  private fanSum = 0;
  private humidifierTicks = 0;

  /** Adds one tick. */
  add(s: Snapshot, minute: number): void {
    if (this.samples === 0) this.minute = minute;
    this.samples++;
    this.clockSet = s.clockSet;
    this.state = s.state;
    this.mode = s.mode;
    this.effectiveMode = s.effectiveMode;
    this.override = s.setpoints.override;
    this.setAir = s.setpoints.air;
    this.setSkin = s.setpoints.skin;
    this.setHumidity = s.setpoints.humidity;
    const air = s.air;
    if (air !== null) {
      this.airSum += air;
      this.airN++;
      if (air < this.airLow) this.airLow = air;
      if (air > this.airHigh) this.airHigh = air;
    }
    if (s.skin !== null) {
      this.skinSum += s.skin;
      this.skinN++;
    }
    if (s.probeAir !== null) {
      this.probeSum += s.probeAir;
      this.probeN++;
    }
    if (s.humidity !== null) {
      this.humiditySum += s.humidity;
      this.humidityN++;
    }
    this.heaterSum += s.heaterPercent;
    this.fanSum += s.fanPercent;
    if (s.humidifierOn) this.humidifierTicks++;
    const alarms = s.alarms;
    for (let i = 0; i < alarms.length; i++) this.alarms |= ALARM_BITS[alarms[i].code] ?? 0;
  }

  reset(): void {
    this.minute = -1;
    this.samples = 0;
    this.alarms = 0;
    this.airSum = 0;
    this.airN = 0;
    this.airLow = Infinity;
    this.airHigh = -Infinity;
    this.skinSum = 0;
    this.skinN = 0;
    this.probeSum = 0;
    this.probeN = 0;
    this.humiditySum = 0;
    this.humidityN = 0;
    this.heaterSum = 0;
    this.fanSum = 0;
    this.humidifierTicks = 0;
  }

  get minuteStartS(): number {
    return this.minute * 60;
  }
  get air(): number | null {
    return this.airN ? this.airSum / this.airN : null;
  }
  get airMin(): number | null {
    return this.airN ? this.airLow : null;
  }
  get airMax(): number | null {
    return this.airN ? this.airHigh : null;
  }
  get skin(): number | null {
    return this.skinN ? this.skinSum / this.skinN : null;
  }
  get probe(): number | null {
    return this.probeN ? this.probeSum / this.probeN : null;
  }
  get humidity(): number | null {
    return this.humidityN ? this.humiditySum / this.humidityN : null;
  }
  get heater(): number {
    return this.samples ? this.heaterSum / this.samples : 0;
  }
  get fan(): number {
    return this.samples ? this.fanSum / this.samples : 0;
  }
  get humidifier(): number {
    return this.samples ? (100 * this.humidifierTicks) / this.samples : 0;
  }
}
