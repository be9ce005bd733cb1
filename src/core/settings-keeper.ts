// Keeps the stored settings in step with the core, one write at a time. A command's change
// is stored before it takes effect (`store`, awaited by the command's reply); changes the
// firmware makes itself (FAULT, a resumed therapy) are stored in the background (`sync`).
// A failed write is retried with the settings in force, so the store's fault clears once
// it can write again.
import type { PersistedSettings } from "./persisted-settings";
import { sameSettings } from "./settings-record";
import type { TimerHandle, Timers } from "./types";

/** Stores the settings: returns (or resolves) once stored, throws (or rejects) with why not. */
export type PersistSettings = (settings: PersistedSettings) => Promise<void> | void;

export const SETTINGS_RETRY_MS = 30_000;

/** null once stored, otherwise why not; synchronous when the persist function is. */
export type StoreOutcome = string | null | Promise<string | null>;

/** Whether a maybe-synchronous outcome (a store's, a command's) is still to come. */
export function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SettingsKeeper {
  /** What the store holds, as far as this keeper knows (null: unknown). */
  private stored: PersistedSettings | null;
  private tail: Promise<unknown> = Promise.resolve();
  private busy = 0;
  private syncQueued = false;
  private retry: TimerHandle | null = null;

  constructor(
    private readonly persist: PersistSettings | undefined,
    private readonly timers: Timers,
    /** The settings in force now (what `sync` and a retry write). */
    private readonly current: () => PersistedSettings,
    loaded: PersistedSettings | null,
  ) {
    this.stored = loaded;
  }

  /** A write has failed and the settings in force are not (known to be) stored. */
  get failing(): boolean {
    return this.retry !== null;
  }

  /** Stores `next`; call it only from work run by `inTurn`, which orders it after every
   *  earlier write (a turn that queued a write of its own would wait for itself). */
  storeInTurn(next: PersistedSettings): StoreOutcome {
    return this.write(next);
  }

  /** Runs `work` once every earlier write and turn has finished; at once when none is pending. */
  inTurn<T>(work: () => T | Promise<T>): T | Promise<T> {
    if (this.busy === 0) {
      const now = work();
      if (!isPromise(now)) return now;
      return this.track(now);
    }
    return this.track(this.tail.then(work));
  }

  /** Background: brings the store up to the settings in force. */
  sync(): void {
    if (!this.persist || this.syncQueued) return;
    if (this.busy === 0 && this.stored !== null && sameSettings(this.stored, this.current())) return;
    this.syncQueued = true;
    const run = (): StoreOutcome => {
      this.syncQueued = false;
      const now = this.current();
      return this.stored !== null && sameSettings(this.stored, now) ? null : this.write(now);
    };
    const out = this.inTurn(run);
    // The outcome is the store's business here: a failure has scheduled a retry.
    if (isPromise(out)) out.catch(() => {});
  }

  /** Stops the retry timer (the core is stopping). */
  stop(): void {
    this.retry?.cancel();
    this.retry = null;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.busy++;
    const done = p.finally(() => { this.busy--; });
    this.tail = done.catch(() => {});
    return done;
  }

  private write(next: PersistedSettings): StoreOutcome {
    if (!this.persist) return null;
    const ok = (): null => {
      this.stored = next;
      this.retry?.cancel();
      this.retry = null;
      return null;
    };
    const failed = (error: unknown): string => {
      this.stored = null;
      if (this.retry === null) {
        this.retry = this.timers.after(SETTINGS_RETRY_MS, () => {
          this.retry = null;
          this.sync();
        });
      }
      return reason(error);
    };
    let pending: Promise<void> | void;
    try {
      pending = this.persist(next);
    } catch (error) {
      return failed(error);
    }
    return isPromise(pending) ? pending.then(ok, failed) : ok();
  }
}
