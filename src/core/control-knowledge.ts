import { decodeKnowledge, encodeKnowledge, type PlantKnowledge } from "./plant-knowledge";

/**
 * The controllers' shared, learned knowledge of the incubator (heat and humidity), loaded from
 * its record at boot and handed back for storing when it changed (rate-limited: the store is
 * flash on the device).
 */
export class ControlKnowledge {
  private current: PlantKnowledge;
  /** Why the stored record was not used (null: it was, or there was none). */
  readonly loadProblem: string | null;
  private dirty = false;
  private lastSavedS = -Infinity;
  /** Bumped on every change, so the controllers can refresh what they derive from it. */
  version = 0;

  constructor(record: string | null, private readonly saveEveryS: number) {
    const loaded = decodeKnowledge(record);
    this.current = loaded.knowledge;
    this.loadProblem = record === null ? null : loaded.problem;
  }

  get value(): PlantKnowledge {
    return this.current;
  }

  learn(values: Partial<PlantKnowledge>, flag: number): void {
    this.current = Object.freeze({ ...this.current, ...values, measured: this.current.measured | flag });
    this.dirty = true;
    this.version++;
  }

  /** The record to store, when the knowledge changed (at most every saveEveryS); null otherwise. */
  takeRecord(nowS: number): string | null {
    if (!this.dirty || nowS - this.lastSavedS < this.saveEveryS) return null;
    this.dirty = false;
    this.lastSavedS = nowS;
    return encodeKnowledge(this.current);
  }
}
