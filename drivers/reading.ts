import type { Reading, SensorFaultKind } from "../src/core/types";

/**
 * One sensor channel's latest Reading, built so that a failure can never leave an old
 * value looking fresh: a fault always clears the value, and `faultSinceMs` keeps the
 * start of the current run of faulty ticks (whatever their kind) until a good value ends it.
 */
export class ChannelReading {
  private current: Reading;
  private faultSince: number | null = null;

  constructor(initialDetail = "no measurement yet") {
    this.current = { value: null, atMs: null, fault: "stale", detail: initialDetail };
  }

  get reading(): Reading {
    return this.current;
  }

  /** Dates the initial "no measurement yet" fault to the first tick that sees it. */
  stampStart(nowMs: number): void {
    if (this.faultSince === null && this.current.value === null) {
      this.faultSince = nowMs;
      this.current = { ...this.current, faultSinceMs: nowMs };
    }
  }

  good(value: number, atMs: number): Reading {
    this.faultSince = null;
    this.current = { value, atMs };
    return this.current;
  }

  fail(fault: SensorFaultKind, detail: string, nowMs: number): Reading {
    if (this.faultSince === null) this.faultSince = nowMs;
    this.current = { value: null, atMs: null, fault, detail, faultSinceMs: this.faultSince };
    return this.current;
  }
}

/** Turns anything a bus threw into a short text for a fault detail. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
