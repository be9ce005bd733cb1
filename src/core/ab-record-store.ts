// The RecordStore of both platforms: every record in two slots, "<name>.a" and "<name>.b",
// written in turn, each with a generation number and a checksum (record-slot.ts). A save
// always writes the slot that does not hold the newest intact copy, so a power cut at any
// byte of any write leaves the previous record or the new one, never a mix. The medium (a
// directory of files on the host, `preference` on the device) only reads and writes whole
// slots; everything that decides is here, shared and tested once.
import type { RecordStore } from "./record-store";
import { decodeSlot, encodeSlot, isNewer, recordNameProblem, recordTextProblem } from "./record-slot";
import type { StorageFaultReporter } from "./storage-health";

/** Where slots live. Every method may throw; the store turns a throw into a reason. */
export interface SlotMedium {
  /** The slot's content, or null when it does not exist. */
  read(key: string): string | null;
  /** Replaces the slot's content durably (returns once it would survive a power cut). */
  write(key: string, content: string): void;
  /** Removes the slot (best effort after a failed write, so a half-known write cannot win). */
  erase(key: string): void;
  /** Keeps an unreadable slot's content under a new numbered name; says where (or why not). */
  keepCorrupt(key: string, content: string): string;
  /** Every key the medium holds (slots and anything else). */
  keys(): readonly string[];
  /** Names a key for messages: "file .incunest-state.settings.a". */
  describe(key: string): string;
}

export interface AbRecordStoreOptions {
  readonly medium: SlotMedium;
  /** Runs storage work later, after the control tick (setImmediate, Timers.after(0)). */
  readonly schedule: (work: () => void) => void;
  /** Hears of each record's failed and recovered writes (STORAGE_FAULT). */
  readonly health?: StorageFaultReporter;
}

type Slot = "a" | "b";
interface Newest { readonly slot: Slot; readonly generation: number; readonly text: string }
interface Job { readonly name: string; text: string; readonly waiters: Array<{ resolve(): void; reject(e: Error): void }> }

const SLOT_KEY = /^[a-z0-9]{1,8}\.[ab]$/;

function why(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class AbRecordStore implements RecordStore {
  /** What load found, one line each (kept copies, torn slots, lost records), for the log. */
  readonly problems: string[] = [];
  private readonly newest = new Map<string, Newest | null>();
  private readonly losses = new Map<string, string>();
  private readonly queue: Job[] = [];
  private running = false;

  constructor(private readonly options: AbRecordStoreOptions) {}

  load(name: string): string | null {
    return this.inspect(name)?.text ?? null;
  }

  /** Why record `name` could not be loaded although slots of it exist (null: it loaded, or
   *  none was ever saved). */
  loss(name: string): string | null {
    this.inspect(name);
    return this.losses.get(name) ?? null;
  }

  /** Whether any record was ever saved here (a first start has none). */
  hasRecords(): boolean {
    try {
      return this.options.medium.keys().some((k) => SLOT_KEY.test(k));
    } catch {
      return true; // cannot tell: do not treat it as a fresh store
    }
  }

  save(name: string, text: string): Promise<void> {
    const refused = recordNameProblem(name) ?? recordTextProblem(text);
    if (refused) return Promise.reject(new Error(`record ${name} not saved: ${refused}`));
    return new Promise<void>((resolve, reject) => {
      const queued = this.queue.find((j) => j.name === name);
      // A write not yet started takes the newest text: one slot write for both, both answered.
      if (queued) {
        queued.text = text;
        queued.waiters.push({ resolve, reject });
      } else {
        this.queue.push({ name, text, waiters: [{ resolve, reject }] });
      }
      if (!this.running) {
        this.running = true;
        this.options.schedule(() => this.writeNext());
      }
    });
  }

  /** One slot write per turn, so a burst of saves never holds up a tick for long. */
  private writeNext(): void {
    const job = this.queue.shift();
    if (!job) {
      this.running = false;
      return;
    }
    const { medium, health } = this.options;
    const newest = this.inspect(job.name);
    const target: Slot = newest?.slot === "a" ? "b" : "a";
    const key = `${job.name}.${target}`;
    const generation = newest ? (newest.generation + 1) >>> 0 : 1;
    try {
      medium.write(key, encodeSlot(job.name, generation, job.text));
    } catch (error) {
      // The slot may now hold anything, even the whole new record: remove it, so that the
      // previous copy stays the one a reboot reads (a later save writes this slot again).
      try { medium.erase(key); } catch { /* the medium is failing anyway */ }
      const reason = `could not write ${medium.describe(key)}: ${why(error)}`;
      health?.failed(job.name, reason);
      for (const w of job.waiters) w.reject(new Error(reason));
      this.continueOrStop();
      return;
    }
    this.newest.set(job.name, { slot: target, generation, text: job.text });
    this.losses.delete(job.name);
    health?.recovered(job.name);
    for (const w of job.waiters) w.resolve();
    this.continueOrStop();
  }

  private continueOrStop(): void {
    if (this.queue.length > 0) this.options.schedule(() => this.writeNext());
    else this.running = false;
  }

  /** Reads both slots of `name` once and remembers the newest intact copy. */
  private inspect(name: string): Newest | null {
    const known = this.newest.get(name);
    if (known !== undefined) return known;
    const { medium } = this.options;
    let best: Newest | null = null;
    const bad: string[] = [];
    let present = 0;
    for (const slot of ["a", "b"] as const) {
      const key = `${name}.${slot}`;
      let raw: string | null;
      try {
        raw = medium.read(key);
      } catch (error) {
        present++;
        bad.push(`${medium.describe(key)} cannot be read (${why(error)})`);
        continue;
      }
      if (raw === null) continue;
      present++;
      const decoded = decodeSlot(name, raw);
      if (decoded.ok) {
        if (best === null || isNewer(decoded.generation, best.generation)) best = { slot, generation: decoded.generation, text: decoded.text };
        continue;
      }
      let kept = "";
      if (decoded.error !== "empty") {
        try {
          kept = `; kept as ${medium.keepCorrupt(key, raw)}`;
        } catch (error) {
          kept = `; could not keep a copy (${why(error)})`;
        }
      }
      bad.push(`${medium.describe(key)} is unreadable (${decoded.error})${kept}`);
    }
    this.newest.set(name, best);
    if (best && bad.length > 0) this.problems.push(`record ${name}: ${bad.join("; ")}; using the other slot (generation ${best.generation})`);
    if (!best && present > 0) {
      const loss = bad.join("; ");
      this.losses.set(name, loss);
      this.problems.push(`record ${name} lost: ${loss}`);
    }
    return best;
  }
}
