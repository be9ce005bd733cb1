import type { I2cDevice } from "../../drivers/bus";

/** A target on the simulated I2C bus. False / null = the target did not acknowledge. */
export interface SimI2cTarget {
  /** A write transaction: address + bytes. */
  write(bytes: Uint8Array): boolean;
  /** A read transaction of `byteLength` bytes. */
  read(byteLength: number): Uint8Array | null;
}

/** Error thrown on a NACK, as the ECMA-419 I2C class throws. */
export class I2cNackError extends Error {
  constructor(address: number, what: string) {
    super(`I2C ${what} to 0x${address.toString(16)} not acknowledged`);
    this.name = "I2cNackError";
  }
}

/** I2C bus with targets by 7-bit address; `open` gives the per-address handle ECMA-419 gives. */
export class SimI2cBus {
  private readonly targets = new Map<number, SimI2cTarget>();
  transactions = 0;

  attach(address: number, target: SimI2cTarget): void {
    this.targets.set(address, target);
  }

  open(address: number): I2cDevice {
    return {
      read: (byteLength: number): ArrayBuffer => {
        this.transactions++;
        const data = this.targets.get(address)?.read(byteLength) ?? null;
        if (!data) throw new I2cNackError(address, "read");
        const out = new Uint8Array(byteLength);
        out.set(data.subarray(0, byteLength));
        return out.buffer;
      },
      write: (buffer: Uint8Array): void => {
        this.transactions++;
        const target = this.targets.get(address);
        if (!target || !target.write(new Uint8Array(buffer))) throw new I2cNackError(address, "write");
      },
    };
  }
}
