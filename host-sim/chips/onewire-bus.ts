import type { OneWireBitBus } from "../../drivers/bus";

/** A device on the simulated 1-Wire bus, at the level of time slots. */
export interface SimOneWireDevice {
  /** Reset pulse; returns whether the device answers with a presence pulse. */
  reset(): boolean;
  /** The master's write slot. */
  writeBit(bit: 0 | 1): void;
  /** The master's read slot: 0 when the device pulls the line low, else 1. */
  readBit(): 0 | 1;
}

/** Open-drain 1-Wire bus: every device sees every slot; a read slot is the wired AND.
 *  Indexed loops, not for...of: this runs per bit slot, hundreds of times a tick, and on
 *  XS every for...of allocates an iterator and a result per step (the simulator's heap). */
export class SimOneWireBus implements OneWireBitBus {
  private readonly devices: SimOneWireDevice[] = [];
  /** Slots seen, for tests and the bench (bus time per tick). */
  slots = 0;
  resets = 0;

  attach(device: SimOneWireDevice): void {
    this.devices.push(device);
  }

  detach(device: SimOneWireDevice): void {
    const i = this.devices.indexOf(device);
    if (i >= 0) this.devices.splice(i, 1);
  }

  reset(): boolean {
    this.resets++;
    let presence = false;
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) if (devices[i].reset()) presence = true;
    return presence;
  }

  writeBit(bit: 0 | 1): void {
    this.slots++;
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) devices[i].writeBit(bit);
  }

  readBit(): 0 | 1 {
    this.slots++;
    let line: 0 | 1 = 1;
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) if (devices[i].readBit() === 0) line = 0;
    return line;
  }

  writeByte(byte: number): void {
    for (let i = 0; i < 8; i++) this.writeBit(((byte >> i) & 1) as 0 | 1);
  }

  readByte(): number {
    let byte = 0;
    for (let i = 0; i < 8; i++) byte |= this.readBit() << i;
    return byte;
  }
}
