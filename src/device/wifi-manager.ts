import Net from "net";
import WiFi from "wifi";
import type { TimerHandle, Timers } from "../core/types";

export interface WifiCredentials {
  readonly ssid: string;
  readonly password: string;
}

export interface WifiManagerOptions {
  readonly timers: Timers;
  readonly log: (text: string, level?: "info" | "warning") => void;
  /** The network to join; null: none configured yet (first set-up). */
  readonly credentials: () => WifiCredentials | null;
  /** The set-up access point, opened when there is no network to join or joining keeps failing. */
  readonly accessPoint: { readonly ssid: string; readonly password: string };
  /** Failed attempts before the access point opens beside the retries. */
  readonly attemptsBeforeAccessPoint: number;
  readonly onOnline: (ip: string) => void;
}

export type WifiState = "idle" | "joining" | "online" | "waiting" | "access-point";

/** Retry delays after failed attempts, ms (the last repeats). */
const BACKOFF_MS = Object.freeze([2_000, 5_000, 10_000, 30_000, 60_000]);
/** How long one join attempt may take before it counts as failed. */
const JOIN_TIMEOUT_MS = 20_000;

/**
 * Joins Wi-Fi from the application (not through `config.ssid`, which would hold `main`
 * until the network is up): the control loop runs meanwhile. A lost or failed connection
 * is retried with back-off for ever; after a few failures, or when no network is
 * configured, an access point opens (station kept up, on the ESP32) so a phone can reach
 * the set-up page at http://192.168.4.1/setup.
 */
export class WifiManager {
  private wifi: WiFi | null = null;
  private timer: TimerHandle | null = null;
  private failures = 0;
  private apOpen = false;
  state: WifiState = "idle";
  ip: string | null = null;

  constructor(private readonly options: WifiManagerOptions) {}

  start(): void {
    this.join();
  }

  /** New credentials saved from the set-up page: join them now. */
  restart(): void {
    this.failures = 0;
    this.drop();
    this.join();
  }

  get accessPointOpen(): boolean {
    return this.apOpen;
  }

  private join(): void {
    this.cancelTimer();
    const credentials = this.options.credentials();
    if (!credentials) {
      this.options.log("Wi-Fi: no network configured; opening the set-up access point");
      this.openAccessPoint();
      return;
    }
    this.state = "joining";
    this.options.log(`Wi-Fi: joining "${credentials.ssid}" (attempt ${this.failures + 1})`);
    try {
      WiFi.mode = WiFi.Mode.station;
      this.wifi = new WiFi({ ssid: credentials.ssid, password: credentials.password }, (message) => {
        // A native callback: nothing may escape it.
        try {
          this.onEvent(message);
        } catch (e) {
          this.options.log(`Wi-Fi: ${String(e)}`, "warning");
        }
      });
    } catch (e) {
      this.failed(`cannot start: ${String(e)}`);
      return;
    }
    this.timer = this.options.timers.after(JOIN_TIMEOUT_MS, () => {
      this.timer = null;
      if (this.state === "joining") this.failed(`no address after ${JOIN_TIMEOUT_MS / 1000} s`);
    });
  }

  private onEvent(message: string): void {
    if (message === WiFi.gotIP) {
      this.cancelTimer();
      this.failures = 0;
      this.state = "online";
      this.ip = Net.get("IP");
      this.options.log(`Wi-Fi: online at ${this.ip}`);
      this.options.onOnline(this.ip);
    } else if (message === WiFi.disconnected || message === WiFi.lostIP) {
      if (this.state === "online") this.options.log(`Wi-Fi: connection lost (${message}); rejoining`, "warning");
      this.ip = null;
      if (this.state === "online" || this.state === "joining") this.failed(message);
    }
  }

  private failed(why: string): void {
    this.drop();
    this.failures++;
    const delay = BACKOFF_MS[Math.min(this.failures - 1, BACKOFF_MS.length - 1)];
    this.state = "waiting";
    this.options.log(`Wi-Fi: attempt failed (${why}); retrying in ${delay / 1000} s`, "warning");
    if (this.failures >= this.options.attemptsBeforeAccessPoint && !this.apOpen) this.openAccessPoint();
    this.timer = this.options.timers.after(delay, () => {
      this.timer = null;
      this.join();
    });
  }

  private openAccessPoint(): void {
    if (this.apOpen) return;
    const ap = this.options.accessPoint;
    try {
      // `station: true` keeps joining attempts going beside the access point (ESP32); the
      // typings' AccessPointOptions lacks it.
      const options = { ssid: ap.ssid, password: ap.password.length >= 8 ? ap.password : undefined, station: true };
      WiFi.accessPoint(options as Parameters<typeof WiFi.accessPoint>[0]);
      this.apOpen = true;
      if (this.state !== "waiting") this.state = "access-point";
      this.options.log(`Wi-Fi: set-up access point "${ap.ssid}" open; browse to http://192.168.4.1/setup`);
    } catch (e) {
      this.options.log(`Wi-Fi: cannot open the set-up access point: ${String(e)}`, "warning");
    }
  }

  private drop(): void {
    this.cancelTimer();
    try {
      this.wifi?.close();
    } catch {
      // already closed
    }
    this.wifi = null;
    if (this.state !== "access-point") this.state = "idle";
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
