// Calibration offsets, added where the drivers convert a chip's raw value into °C or %RH,
// so every consumer (control, alarms, logs, APIs) sees the corrected reading. The outlet
// air probe has none: the independent over-temperature channel never depends on a setting.
// The object is read at every conversion, so a change applies from the next reading on.

export interface SensorCalibration {
  /** Added to the SHT31 air temperature, °C. */
  readonly airOffsetC: number;
  /** Added to the skin DS18B20, °C. */
  readonly skinOffsetC: number;
  /** Added to the SHT31 relative humidity, %RH (the result stays within 0..100). */
  readonly humidityOffsetRh: number;
}

export const NO_CALIBRATION: SensorCalibration = Object.freeze({ airOffsetC: 0, skinOffsetC: 0, humidityOffsetRh: 0 });

/** A single channel's offset, as one DS18B20 driver reads it. */
export interface ChannelOffset {
  readonly offset: number;
}

export const NO_OFFSET: ChannelOffset = Object.freeze({ offset: 0 });
