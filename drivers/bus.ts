// Bus interfaces the chip drivers talk to. Each is the smallest slice of the matching
// ECMA-419 IO class (or Moddable module) the drivers need, so the device binds the real
// class almost directly and host-sim binds simulated chips. Bus methods may throw (an
// I2C NACK throws, as in ECMA-419); the drivers catch at their edge and turn every
// failure into a fault value - nothing below the drivers throws into the control tick.

/** One I2C target, as ECMA-419 `embedded:io/i2c` binds it (the address is fixed per instance).
 *  `read`/`write` throw when the target does not acknowledge. */
export interface I2cDevice {
  /** Reads `byteLength` bytes; ends with a stop condition unless `stop` is false. */
  read(byteLength: number, stop?: boolean): ArrayBuffer;
  write(buffer: Uint8Array, stop?: boolean): void;
}

/** A 1-Wire master at byte level: enough for Match ROM and every DS18B20 function command.
 *  Moddable's `onewire` module offers this much (and a native ROM search, no bit slots). */
export interface OneWireBus {
  /** Reset pulse; true when at least one device answered with a presence pulse. */
  reset(): boolean;
  writeByte(byte: number): void;
  readByte(): number;
  /** Several bytes in one call, where the bus can (one native call on Moddable instead of n). */
  readBytes?(count: number): Uint8Array;
  /** A ROM search done below us (Moddable's native `search()`), ROM bytes in wire order
   *  (family code first, CRC last). Used only when the bus has no bit slots. */
  nativeSearch?(): Uint8Array[];
}

/** A 1-Wire master with single time slots, which the ROM search of Maxim AN187 needs. */
export interface OneWireBitBus extends OneWireBus {
  writeBit(bit: 0 | 1): void;
  /** A read slot: 1 unless some device pulls the line low (wired-AND). */
  readBit(): 0 | 1;
}

export function hasBitSlots(bus: OneWireBus): bus is OneWireBitBus {
  const b = bus as Partial<OneWireBitBus>;
  return typeof b.readBit === "function" && typeof b.writeBit === "function";
}

/** ECMA-419 `embedded:io/pwm`: `write(value)` with 0 .. 2^resolution - 1. */
export interface PwmOutput {
  readonly resolution: number;
  write(value: number): void;
}

/** ECMA-419 `embedded:io/digital` in output mode. */
export interface DigitalOutput {
  write(value: 0 | 1): void;
}

/** ECMA-419 `embedded:io/pulsecount`: a running count of edges (Moddable's ESP32 PCNT
 *  binding accumulates across reads). */
export interface PulseCounter {
  read(): number;
}
