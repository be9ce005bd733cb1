// Buses that answer at once with fixed valid data and do nothing else, for measuring the
// sensor drivers alone (the simulated chips of host-sim/chips excluded): a DS18B20 pair on
// 1-Wire (scratchpad with the driver's markers, 12 bits), an SHT31 on I2C (two alternating
// measurements so the stuck-value check does not trip), a tachometer counting up.
import type { I2cDevice, OneWireBus, PulseCounter } from "../../drivers/bus";
import { crc8Maxim, crc8Sensirion } from "../../drivers/crc8";
import { DS18B20 } from "../../drivers/ds18b20";

function scratchpad(raw: number): Uint8Array {
  const pad = new Uint8Array([raw & 0xff, raw >> 8, DS18B20.MARKER_TH, DS18B20.MARKER_TL, DS18B20.CONFIG_BYTE[12], 0xff, 0x0c, 0x10, 0]);
  pad[8] = crc8Maxim(pad, 8);
  return pad;
}

function measurement(tRaw: number, rhRaw: number): ArrayBuffer {
  const b = new Uint8Array([tRaw >> 8, tRaw & 0xff, 0, rhRaw >> 8, rhRaw & 0xff, 0]);
  b[2] = crc8Sensirion(b, 0);
  b[5] = crc8Sensirion(b, 3);
  return b.buffer;
}

export class StubOneWire implements OneWireBus {
  private readonly pad = scratchpad(36 * 16);
  reset(): boolean { return true; }
  writeByte(_byte: number): void {}
  readByte(): number { return 0xff; }
  readBytes(_count: number): Uint8Array { return this.pad; }
  nativeSearch(): Uint8Array[] { return []; }
}

export class StubSht31 implements I2cDevice {
  private readonly answers = [measurement(0x6600, 0x9000), measurement(0x6601, 0x9001)];
  private readonly status = (() => { const b = new Uint8Array([0, 0, 0]); b[2] = crc8Sensirion(b, 0); return b.buffer; })();
  private n = 0;
  read(byteLength: number): ArrayBuffer {
    return byteLength === 3 ? this.status : this.answers[this.n++ & 1];
  }
  write(_buffer: Uint8Array): void {}
}

export class StubCounter implements PulseCounter {
  private count = 0;
  read(): number { return (this.count += 40); }
}
