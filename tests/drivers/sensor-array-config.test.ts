import assert from "node:assert/strict";
import { SwitchedHeatPermit } from "../../drivers/heater";
import { romToHex } from "../../drivers/onewire-rom";
import { SensorArray } from "../../drivers/sensor-array";
import { SHT31 } from "../../drivers/sht31";
import { ds18b20Rom } from "../../host-sim/chips/ds18b20";
import { SIM_BOARD_ROMS, SimBoard } from "../../host-sim/sim-board";
import { SimTime } from "../../host-sim/sim-time";
import { fakePlant } from "./fake-plant";

function arrayOn(board: SimBoard, skinRom: string, probeAirRom: string): SensorArray {
  return new SensorArray({ i2cSht31: board.i2c.open(SHT31.ADDRESS), oneWire: board.oneWire, tachometer: board.tachometer }, { skinRom, probeAirRom, clock: board.options.clock });
}

describe("sensor array configuration", () => {
  const time = new SimTime();
  const board = new SimBoard({ plant: fakePlant(), clock: time, heatPermit: new SwitchedHeatPermit() });

  it("a malformed ROM code makes that probe absent every tick, naming the code", () => {
    const array = arrayOn(board, "28zz", SIM_BOARD_ROMS.probeAir);
    const f = array.sample(0);
    assert.equal(f.skin.fault, "absent");
    assert.match(f.skin.detail ?? "", /skin probe: ROM code "28zz"/);
    assert.equal(f.skin.faultSinceMs, 0);
    assert.equal(array.sample(1000).skin.faultSinceMs, 0);
  });

  it("the same ROM for both probes is refused for both", () => {
    const f = arrayOn(board, SIM_BOARD_ROMS.skin, SIM_BOARD_ROMS.skin).sample(0);
    assert.equal(f.skin.fault, "absent");
    assert.equal(f.probeAir.fault, "absent");
    assert.match(f.probeAir.detail ?? "", /same ROM code/);
  });

  it("a configured probe the search does not find is listed as a problem and reads absent", () => {
    const missing = romToHex(ds18b20Rom(0x999));
    const array = arrayOn(board, missing, SIM_BOARD_ROMS.probeAir);
    array.sample(time.now());
    time.advance(1000); // the conversion time passes on the clock the driver times it by
    const f = array.sample(time.now());
    assert.equal(f.skin.fault, "absent");
    assert.equal(array.inventory?.problems.length, 1);
    assert.match(array.inventory?.problems[0] ?? "", new RegExp(`skin probe ROM ${missing} not found`));
    assert.equal(f.probeAir.fault, undefined);
  });
});
