// Which PWM frequency/resolution pairs the ESP32 accepts, so a bad pair is refused by name
// (and caught by a test of the manifest) instead of by the native at boot.
//
// Two rules apply, both for the original ESP32 (LEDC low-speed timers, LEDC_AUTO_CLK):
// - Moddable's ECMA-419 PWM (`$MODDABLE/modules/io/pwm/esp32/_pwm.c`, SDK 8.2.3) refuses a
//   frequency below a measured minimum per resolution ("invalid combination of hz and
//   resolution"); its table covers 8 to 14 bits only (it indexes MIN_HZ[resolution - 8]
//   unchecked, so other resolutions read outside the table).
// - ESP-IDF's `ledc_timer_config` needs a clock divider of at least 1: hz · 2^resolution
//   may not exceed the fastest source clock, APB at 80 MHz ("configure ledc timer failed").

/** Moddable's MIN_HZ table for the ESP32 (and S2, C6, H2), indexed by resolution - 8. */
const MIN_HZ_ESP32 = Object.freeze([65, 33, 17, 9, 5, 3, 2]);
const LOW_RESOLUTION = 8;
const HIGH_RESOLUTION = 14;
const APB_CLOCK_HZ = 80_000_000;

/** Why the ESP32 refuses `hz` at `resolution` bits, or null when it accepts the pair. */
export function esp32PwmProblem(hz: number, resolution: number): string | null {
  if (!Number.isInteger(hz) || hz <= 0) return `frequency ${hz} Hz is not a positive integer`;
  if (!Number.isInteger(resolution) || resolution < LOW_RESOLUTION || resolution > HIGH_RESOLUTION) {
    return `resolution ${resolution} bits is outside the ${LOW_RESOLUTION}-${HIGH_RESOLUTION} bits Moddable's ESP32 PWM checks`;
  }
  const min = MIN_HZ_ESP32[resolution - LOW_RESOLUTION];
  if (hz < min) return `${hz} Hz is below the ${min} Hz Moddable's ESP32 PWM allows at ${resolution} bits (fewer bits allow only higher frequencies)`;
  const max = Math.floor(APB_CLOCK_HZ / 2 ** resolution);
  if (hz > max) return `${hz} Hz is above the ${max} Hz the 80 MHz LEDC clock reaches at ${resolution} bits`;
  return null;
}

/** The lowest and highest frequency the ESP32 accepts at `resolution` bits (8..14). */
export function esp32PwmRange(resolution: number): { readonly minHz: number; readonly maxHz: number } {
  return { minHz: MIN_HZ_ESP32[resolution - LOW_RESOLUTION], maxHz: Math.floor(APB_CLOCK_HZ / 2 ** resolution) };
}
