// Proof of airflow from the tachometer. In FAULT and STANDBY the fan is not driven, so a
// failed fan cannot show itself there: neither "the alarm went away" nor "no alarm yet" says
// anything about it. Heat therefore waits for a fresh proof after every start of therapy and
// every reset, and a reset out of FAULT drives the fan and reads the tachometer first.
import type { Reading } from "../core/types";
import { FAN_LIMITS } from "./fan-monitor";

export const AIRFLOW_PROOF = Object.freeze({
  /** Fan duty while a reset proves the fan turns. */
  resetFanDuty: 0.5,
  /** A reset that has not seen the fan turn (and every cause gone) by then is refused, ms. */
  resetTimeoutMs: 10_000,
});

/**
 * "The fan has been seen turning since `require`": a tachometer reading of at least
 * FAN_LIMITS.minRpm over a tick during which the fan was driven. Once proven it stays proven
 * until the next `require`; a fan that fails later is FAN_FAILURE's to judge.
 */
export class AirflowProof {
  private proven = false;
  private lastRpm: number | null = null;

  get isProven(): boolean {
    return this.proven;
  }

  /** The last tachometer reading seen (rpm; null: none), for messages. */
  get rpm(): number | null {
    return this.lastRpm;
  }

  /** Therapy starts or a reset begins: the fan must prove itself again. */
  require(): void {
    this.proven = false;
  }

  /**
   * One tick: `tach` is this tick's reading (counted since the previous tick) and
   * `drivenDuty` the fan duty applied since the previous tick. Returns whether airflow is proven.
   */
  observe(drivenDuty: number, tach: Reading): boolean {
    const rpm = tach.value !== null && Number.isFinite(tach.value) ? tach.value : null;
    this.lastRpm = rpm;
    if (!this.proven && drivenDuty >= FAN_LIMITS.drivenDuty && rpm !== null && rpm >= FAN_LIMITS.minRpm) this.proven = true;
    return this.proven;
  }
}
