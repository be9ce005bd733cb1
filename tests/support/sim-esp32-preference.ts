// Moddable `preference` as the ESP32 port implements it, with power cuts, for the device
// store's tests on Node and on XS (no Node imports here).
import type { PreferenceLike } from "../../src/core/preference-slots";

export class PowerCutError extends Error {}

/** Counts the steps that change a medium and cuts the power at step `cutAt` (null: never);
 *  `partial` runs first, to land part of the write that the cut interrupts. */
export class PowerCutSteps {
  steps = 0;
  dead = false;

  constructor(protected readonly cutAt: number | null = null) {}

  protected step(partial?: () => void): void {
    if (this.dead) throw new PowerCutError("no power");
    if (++this.steps === this.cutAt) {
      partial?.();
      this.dead = true;
      throw new PowerCutError("power cut");
    }
  }
}

function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

/**
 * Moddable `preference` as on the ESP32 (modPreference.c): `set` erases the key, then writes
 * the value, each step committed to NVS on its own. The power can fail between the two (the
 * key is gone) or within the write (`tear`: half the value lands). `flash` is what survives.
 */
export class SimEsp32Preference extends PowerCutSteps implements PreferenceLike {
  readonly flash = new Map<string, Map<string, unknown>>();
  /** Makes every write fail from now on (a full or worn-out flash), without cutting power. */
  failWrites: string | null = null;

  constructor(cutAt: number | null = null, private readonly tear = false) {
    super(cutAt);
  }

  /** A new preference on the same flash (the next boot), powered. */
  reboot(): SimEsp32Preference {
    const next = new SimEsp32Preference();
    for (const [d, m] of this.flash) next.flash.set(d, new Map(m));
    return next;
  }

  private domain(d: string): Map<string, unknown> {
    let m = this.flash.get(d);
    if (!m) this.flash.set(d, (m = new Map()));
    return m;
  }

  get(domain: string, key: string): unknown {
    if (this.dead) throw new PowerCutError("no power");
    return this.flash.get(domain)?.get(key);
  }

  set(domain: string, key: string, value: string): void {
    if (key.length > 15) throw new Error(`nvs set fail (key ${key} longer than 15)`);
    if (utf8Bytes(value) >= 4000) throw new Error("nvs set fail (a string of 4000 bytes or more with its NUL)");
    if (this.failWrites) throw new Error(this.failWrites);
    const m = this.domain(domain);
    this.step();
    m.delete(key);
    this.step(this.tear ? () => m.set(key, value.slice(0, value.length >> 1)) : undefined);
    m.set(key, value);
  }

  delete(domain: string, key: string): void {
    this.step();
    this.flash.get(domain)?.delete(key);
  }

  keys(domain: string): string[] {
    return [...(this.flash.get(domain)?.keys() ?? [])];
  }
}
