import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BOARD_DEFAULTS, boardPinsFromConfig, pinsWithOverrides } from "../../drivers/board-pins";
import { esp32PwmProblem, esp32PwmRange } from "../../drivers/esp32-pwm";

const manifest = JSON.parse(readFileSync("manifest.json", "utf8")) as { config: { pins: Record<string, unknown> } };

describe("ESP32 board pins and PWM pairs", () => {
  it("the manifest's pins with the defaults make a board the ESP32 accepts", () => {
    const read = boardPinsFromConfig(manifest.config.pins);
    assert.ok(read.ok, read.ok ? "" : read.problems.join("\n"));
    assert.deepEqual(read.pins.heater, { pin: 25, hz: BOARD_DEFAULTS.heaterHz, resolution: BOARD_DEFAULTS.heaterBits });
    assert.deepEqual(read.pins.fan, { pin: 26, hz: BOARD_DEFAULTS.fanHz, resolution: BOARD_DEFAULTS.fanBits });
  });

  it("refuses the old heater pair, 10 Hz at the default 10 bits, as Moddable's ESP32 PWM does", () => {
    assert.match(esp32PwmProblem(10, 10) ?? "", /10 Hz is below the 17 Hz Moddable's ESP32 PWM allows at 10 bits/);
    const read = boardPinsFromConfig({ ...manifest.config.pins, heaterBits: 10 });
    assert.ok(!read.ok);
    assert.match(read.problems.join(), /heater PWM \(pins.heaterHz=10, pins.heaterBits=10\)/);
  });

  it("follows Moddable's measured minimum per resolution, 8 to 14 bits, and the 80 MHz clock above", () => {
    const minima = [65, 33, 17, 9, 5, 3, 2];
    for (let bits = 8; bits <= 14; bits++) {
      const { minHz, maxHz } = esp32PwmRange(bits);
      assert.equal(minHz, minima[bits - 8]);
      assert.equal(esp32PwmProblem(minHz, bits), null, `${minHz} Hz at ${bits} bits`);
      assert.notEqual(esp32PwmProblem(minHz - 1, bits), null, `${minHz - 1} Hz at ${bits} bits`);
      assert.equal(esp32PwmProblem(maxHz, bits), null);
      assert.match(esp32PwmProblem(maxHz + 1, bits) ?? "", /80 MHz LEDC clock/);
    }
    assert.match(esp32PwmProblem(25_000, 12) ?? "", /above the 19531 Hz/);
    assert.match(esp32PwmProblem(1000, 7) ?? "", /outside the 8-14 bits/);
    assert.match(esp32PwmProblem(1000, 16) ?? "", /outside the 8-14 bits/);
  });

  it("takes mcconfig's command-line overrides (pins.heater=18 arrives as a top-level string)", () => {
    const config = { ...manifest.config, "pins.heater": "18", "pins.heaterHz": "20", "pins.heaterBits": "11" };
    const read = boardPinsFromConfig(pinsWithOverrides(config));
    assert.ok(read.ok, read.ok ? "" : read.problems.join());
    assert.deepEqual(read.pins.heater, { pin: 18, hz: 20, resolution: 11 });
  });

  it("names every missing or malformed entry", () => {
    const { fanTach: _fanTach, ...rest } = manifest.config.pins;
    const read = boardPinsFromConfig({ ...rest, buzzer: "x", tachPulses: 0 });
    assert.ok(!read.ok);
    assert.deepEqual(read.problems, [
      "pins.fanTach: missing",
      'pins.tachPulses: 0 is not an integer of at least 1',
      'pins.buzzer: "x" is not an integer of at least 0',
    ]);
  });
});
