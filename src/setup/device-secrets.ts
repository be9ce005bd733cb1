// The device's two secrets: the API key every data path asks for, and the password of the
// set-up access point. Both are generated at first boot from the platform's random source
// (the ESP32's hardware RNG; the host's getentropy() in Moddable's simulator), kept in
// records of their own, and printed on the debug console at every boot (physical access is
// trusted). No secret is built into the firmware.
import { API_KEY_RECORD } from "../core/boot-records";
import type { RecordStore } from "../core/record-store";
import { apiKeyProblem } from "../core/settings-codec";

export { API_KEY_RECORD };
export const AP_PASSWORD_RECORD = "appasswd";

/** Fills `bytes` with random bytes fit for secrets. */
export type RandomFill = (bytes: Uint8Array) => void;

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Typed by hand on a phone: no 0/O, 1/l/I. */
const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** 16 random bytes (128 bits) as 22 base64url characters: valid in a header and a query. */
export function generateApiKey(fill: RandomFill): string {
  const bytes = new Uint8Array(16);
  fill(bytes);
  let out = "";
  let bits = 0;
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    value = (value << 8) | bytes[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += BASE64URL[(value >> bits) & 63];
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE64URL[(value << (6 - bits)) & 63];
  return out;
}

/** 12 characters of a 56-letter alphabet (about 70 bits), drawn without modulo bias. */
export function generateApPassword(fill: RandomFill, length = 12): string {
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  const byte = new Uint8Array(1);
  let out = "";
  for (let draws = 0; out.length < length; draws++) {
    if (draws > 64 * length) throw new Error("the random source keeps returning the same bytes");
    fill(byte);
    if (byte[0] < limit) out += PASSWORD_ALPHABET[byte[0] % PASSWORD_ALPHABET.length];
  }
  return out;
}

/** WPA2-PSK passphrases: 8 to 63 printable ASCII characters. */
export function apPasswordProblem(password: string): string | null {
  return /^[\x20-\x7e]{8,63}$/.test(password) ? null : "an access-point password must be 8 to 63 printable ASCII characters";
}

export interface SecretsOptions {
  readonly store: RecordStore;
  readonly random: RandomFill;
  /** A key stored by an earlier firmware outside its own record: adopted, not replaced. */
  readonly legacyApiKey?: string | null;
  readonly log?: (text: string, level?: "info" | "warning") => void;
}

/** One secret: loaded, or generated and saved when there is none or what is stored is unusable. */
function loadOrCreate(
  o: SecretsOptions,
  record: string,
  what: string,
  problem: (value: string) => string | null,
  generate: () => string,
  adopt: string | null,
): string {
  const log = o.log ?? (() => {});
  const stored = o.store.load(record);
  if (stored !== null && problem(stored) === null) return stored;
  if (stored !== null) log(`stored ${what} is unusable (${problem(stored)}); generating a new one`, "warning");
  const value = adopt !== null && problem(adopt) === null ? adopt : generate();
  log(adopt === value ? `${what}: kept the one stored by the previous firmware, now in its own record` : `${what}: none stored; generated a new one`);
  o.store.save(record, value).then(
    () => log(`${what} stored`),
    (e: unknown) => log(`${what} NOT stored (${e instanceof Error ? e.message : String(e)}): it changes at the next boot`, "warning"),
  );
  return value;
}

/** The API key and the access-point password of this device. */
export class DeviceSecrets {
  private key: string;
  readonly apPassword: string;

  constructor(private readonly options: SecretsOptions) {
    this.key = loadOrCreate(options, API_KEY_RECORD, "API key", apiKeyProblem, () => generateApiKey(options.random), options.legacyApiKey ?? null);
    this.apPassword = loadOrCreate(options, AP_PASSWORD_RECORD, "set-up access-point password", apPasswordProblem, () => generateApPassword(options.random), null);
  }

  get apiKey(): string {
    return this.key;
  }

  /** The lines printed on the debug console at every boot. */
  consoleLines(): readonly string[] {
    return [`API key: ${this.key}`, `Set-up access point password: ${this.apPassword}`];
  }

  /** Replaces the API key once the new one is stored; refuses (rejects) a key that is not
   *  valid, and keeps the old one when it cannot be stored. */
  async setApiKey(key: string): Promise<void> {
    const why = apiKeyProblem(key);
    if (why) throw new Error(why);
    await this.options.store.save(API_KEY_RECORD, key);
    this.key = key;
  }
}
