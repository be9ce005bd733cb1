import type { IncubatorState } from "./types";

export interface Transition {
  readonly previous: IncubatorState;
  readonly next: IncubatorState;
  readonly reason: string;
}

export type StateRequest = "start" | "stop" | "standby" | "reset";

/** A refused request names why. */
export type RequestOutcome = { readonly ok: true; readonly transition: Transition | null } | { readonly ok: false; readonly reason: string };

/**
 * STANDBY → PREHEATING on start; PREHEATING → OPERATING once the controlled temperature
 * has stayed in the steady band for the hold time; any → STANDBY on stop/standby (except
 * FAULT); any → FAULT when the safety layer demands it; FAULT → STANDBY only by an
 * operator reset once the cause is gone.
 */
export class StateMachine {
  private current: IncubatorState;
  private inBandSinceS: number | null = null;

  constructor(initial: IncubatorState = "STANDBY", private readonly holdS = 60, private readonly bandC = 0.5) {
    this.current = initial;
  }

  get state(): IncubatorState {
    return this.current;
  }

  /** True once the controlled temperature has been steady since therapy (re)started or the target rose:
   *  the cold-side deviation alarms are armed only then. */
  get steadyReached(): boolean {
    return this.current === "OPERATING";
  }

  get therapyActive(): boolean {
    return this.current === "PREHEATING" || this.current === "OPERATING";
  }

  request(request: StateRequest, faultCauseGone: boolean): RequestOutcome {
    switch (request) {
      case "start":
        if (this.current === "FAULT") return { ok: false, reason: "incubator is in FAULT: reset it first" };
        if (this.current !== "STANDBY") return { ok: true, transition: null };
        return { ok: true, transition: this.go("PREHEATING", "start requested") };
      case "stop":
      case "standby":
        if (this.current === "FAULT") return { ok: false, reason: "incubator is in FAULT: reset it first" };
        if (this.current === "STANDBY") return { ok: true, transition: null };
        return { ok: true, transition: this.go("STANDBY", `${request} requested`) };
      case "reset":
        if (this.current !== "FAULT") return { ok: true, transition: null };
        if (!faultCauseGone) return { ok: false, reason: "the cause of the FAULT is still present" };
        return { ok: true, transition: this.go("STANDBY", "operator reset") };
    }
  }

  /** Resumes therapy after a reboot that found it active. */
  resume(): Transition | null {
    if (this.current !== "STANDBY") return null;
    return this.go("PREHEATING", "therapy resumed after reboot");
  }

  fault(reason: string): Transition | null {
    if (this.current === "FAULT") return null;
    return this.go("FAULT", reason);
  }

  /** The target moved away (setpoint raised, mode changed): re-arm the warm-up hold-offs. */
  retarget(error: number | null): Transition | null {
    if (!this.therapyActive) return null;
    this.inBandSinceS = null;
    if (this.current === "OPERATING" && error !== null && error > this.bandC) {
      return this.go("PREHEATING", "target raised above the current temperature");
    }
    return null;
  }

  /** Called every tick with the controlled temperature's error (setpoint − value), or null. */
  observe(nowS: number, error: number | null): Transition | null {
    if (this.current !== "PREHEATING" && this.current !== "OPERATING") return null;
    const inBand = error !== null && Math.abs(error) <= this.bandC;
    if (!inBand) {
      this.inBandSinceS = null;
      return null;
    }
    if (this.inBandSinceS === null) this.inBandSinceS = nowS;
    if (this.current === "PREHEATING" && nowS - this.inBandSinceS >= this.holdS) {
      return this.go("OPERATING", `temperature within ±${this.bandC} °C of the setpoint for ${this.holdS} s`);
    }
    return null;
  }

  private go(next: IncubatorState, reason: string): Transition {
    const previous = this.current;
    this.current = next;
    this.inBandSinceS = null;
    return { previous, next, reason };
  }
}
