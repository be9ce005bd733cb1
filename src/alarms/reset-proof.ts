// An operator reset out of FAULT as a proof: every cause must be gone, and the fan - not
// driven in FAULT, so its failure cannot show there - is driven and must be seen turning on
// the tachometer. The reply waits for the proof (a few seconds) or says why it failed.
import type { CommandOrigin, CommandResult } from "../core/api";
import { AIRFLOW_PROOF, type AirflowProof } from "./airflow-proof";
import { FAN_LIMITS } from "./fan-monitor";

interface Pending {
  readonly startedMs: number;
  readonly origin: CommandOrigin;
  readonly done: Promise<CommandResult>;
  resolve(result: CommandResult): void;
}

export class ResetProof {
  private pending: Pending | null = null;

  constructor(private readonly airflow: AirflowProof) {}

  /** A proof is running: the fan must be driven (at least AIRFLOW_PROOF.resetFanDuty). */
  get active(): boolean {
    return this.pending !== null;
  }

  /**
   * Starts the proof (or joins the one running). `blockers` are the causes still present
   * that spinning the fan cannot settle: with any, the reset is refused at once.
   */
  request(nowMs: number, origin: CommandOrigin, blockers: readonly string[]): CommandResult | Promise<CommandResult> {
    if (this.pending) return this.pending.done;
    if (blockers.length > 0) return { success: false, message: `cannot reset: ${blockers.join("; ")}`, code: 4002 };
    let resolve: (result: CommandResult) => void = () => {};
    const done = new Promise<CommandResult>((r) => { resolve = r; });
    this.pending = { startedMs: nowMs, origin, done, resolve: (result) => { this.pending = null; resolve(result); } };
    this.airflow.require();
    return done;
  }

  /**
   * One control tick, after the alarms were judged with the fan driven: once the fan is
   * proven and `blockers()` is empty, `leave` takes the incubator out of FAULT and its
   * result is the reply; after AIRFLOW_PROOF.resetTimeoutMs the reset is refused with why.
   */
  advance(nowMs: number, blockers: () => readonly string[], leave: (origin: CommandOrigin) => CommandResult): void {
    const p = this.pending;
    if (!p) return;
    const proven = this.airflow.isProven;
    const still = blockers();
    if (proven && still.length === 0) {
      p.resolve(leave(p.origin));
      return;
    }
    if (nowMs - p.startedMs < AIRFLOW_PROOF.resetTimeoutMs) return;
    const why = [...still];
    if (!proven) {
      const rpm = this.airflow.rpm;
      why.unshift(`the fan did not turn: tachometer ${rpm === null ? "gave no reading" : `${rpm.toFixed(0)} rpm`} after ${AIRFLOW_PROOF.resetTimeoutMs / 1000} s driven at ${AIRFLOW_PROOF.resetFanDuty * 100} % (needs ≥ ${FAN_LIMITS.minRpm} rpm)`);
    }
    p.resolve({ success: false, message: `cannot reset: ${why.join("; ")}`, code: 4002 });
  }

  /** The firmware stops: a pending reset is answered. */
  abandon(): void {
    this.pending?.resolve({ success: false, message: "reset abandoned: the firmware is stopping", code: 4002 });
  }
}
