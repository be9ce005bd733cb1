// What `npm start` keeps between runs: the firmware's records (settings, API key, alarm
// history: A/B slot files beside the state file) and, in the state file itself, the
// simulated plant's state with the time it stopped, so that a restart plays out as a power
// cut: the incubator has cooled for as long as it was off (at the run's speed).
import type { InspectableRecordStore } from "../src/core/boot-records";
import { AbRecordStore } from "../src/core/ab-record-store";
import { loadBootRecords, saveCarriedOver, type BootRecords } from "../src/core/boot-records";
import type { StorageFaultReporter } from "../src/core/storage-health";
import type { SettingsStore } from "../src/core/types";
import { AtomicJsonFile, FileSlots, NODE_FILE_OPS, type FileOps } from "./file-store";
import type { IncubatorPlant, PlantSnapshot } from "./plant/model";

const KIND = "incunest-host-state";
const VERSION = 1;
/** Beyond this much simulated time off, the plant is simply at room temperature (the hood's
 *  time constant is about 1.5 h; two days is more than 30 of them). */
export const MAX_COOLING_S = 48 * 3600;

export interface HostStateFile {
  readonly kind: typeof KIND;
  readonly version: number;
  /** Real wall-clock time of the save (epoch ms): how long the simulator was off. */
  readonly stoppedAtMs: number;
  /** The simulated wall clock at the save (it runs `speed` times faster than real time). */
  readonly simEpochMs: number;
  /** How far the simulated clock may have run past simEpochMs before the power went: the
   *  save interval at the run's speed (0 for the save of a clean stop). */
  readonly simAheadMs?: number;
  readonly plant: PlantSnapshot;
}

export interface KeptPlant {
  readonly snapshot: unknown;
  /** Real seconds the simulator was off. */
  readonly offRealS: number;
  readonly simEpochMs: number;
  /** See HostStateFile.simAheadMs. */
  readonly simAheadMs: number;
}

export interface HostStorage {
  readonly records: AbRecordStore;
  readonly boot: BootRecords;
  /** What was found, one line each (record problems, the state file), for the banner. */
  readonly notes: readonly string[];
  /** The plant as it was at the last stop; null for a cold start. */
  readonly plant: KeptPlant | null;
  readonly stateFile: AtomicJsonFile;
  readonly slots: FileSlots;
}

export interface HostStorageOptions {
  readonly stateFile: string;
  readonly health?: StorageFaultReporter;
  /** Ignore the kept plant state: the incubator starts at room temperature. */
  readonly cold?: boolean;
  readonly ops?: FileOps;
  /** Runs storage work after the current task (setImmediate by default). */
  readonly schedule?: (work: () => void) => void;
  readonly nowMs?: () => number;
}

/** The flat key-value JSON of earlier versions, read once for the upgrade. */
class LegacyJson implements SettingsStore {
  constructor(private readonly data: Record<string, unknown>) {}
  getInt(key: string): number | undefined {
    const v = this.data[key];
    return v === undefined ? undefined : typeof v === "number" ? v : NaN;
  }
  getString(key: string): string | undefined {
    const v = this.data[key];
    return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
  }
  setInt(): void {}
  setString(): void {}
  delete(): void {}
}

function isLegacy(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  return o.kind === undefined && ["v", "air", "apiKey", "alarms", "therapy"].some((k) => k in o);
}

export function openHostStorage(o: HostStorageOptions): HostStorage {
  const ops = o.ops ?? NODE_FILE_OPS;
  const notes: string[] = [];
  const slots = new FileSlots(o.stateFile, ops);
  const records = new AbRecordStore({ medium: slots, schedule: o.schedule ?? ((work) => { setImmediate(work); }), health: o.health });
  const stateFile = new AtomicJsonFile(o.stateFile, ops);
  let legacy: SettingsStore | null = null;
  let plant: KeptPlant | null = null;
  const read = stateFile.read();
  if (read !== null && "error" in read) {
    notes.push(`${read.error}: set aside as ${stateFile.setAside()}; the plant starts cold`);
  } else if (read !== null) {
    const v = read.value;
    if (isLegacy(v)) {
      legacy = new LegacyJson(v);
      notes.push(`${o.stateFile} is from an earlier version (settings as keys); carried over into records, the old file kept as ${stateFile.setAside("legacy")}`);
    } else if (typeof v === "object" && v !== null && (v as HostStateFile).kind === KIND && (v as HostStateFile).version === VERSION) {
      const s = v as HostStateFile;
      const now = (o.nowMs ?? Date.now)();
      if (!o.cold && Number.isFinite(s.stoppedAtMs) && Number.isFinite(s.simEpochMs)) plant = { snapshot: s.plant, offRealS: Math.max(0, (now - s.stoppedAtMs) / 1000), simEpochMs: s.simEpochMs, simAheadMs: Number.isFinite(s.simAheadMs) && s.simAheadMs! > 0 ? s.simAheadMs! : 0 };
    } else {
      notes.push(`${o.stateFile} holds no incubator state this version reads: set aside as ${stateFile.setAside()}; the plant starts cold`);
    }
  }
  const boot = loadBootRecords(records as InspectableRecordStore, legacy);
  notes.push(...records.problems, ...boot.problems);
  if (boot.carriedOver) {
    saveCarriedOver(records, boot).catch((error: unknown) => {
      process.stderr.write(`could not store what the upgrade carried over (${error instanceof Error ? error.message : String(error)}); it is still in ${o.stateFile}.legacy-*\n`);
    });
  }
  return { records, boot, notes, plant, stateFile, slots };
}

/**
 * Puts the kept plant state back and lets it cool for the time the simulator was off, at
 * `speed` (heater, fan and humidifier off, as in a power cut). Returns what it did, for the
 * banner, or why it started cold instead.
 */
export function resumePlant(plant: IncubatorPlant, kept: KeptPlant, speed: number): string {
  const refused = plant.restore(kept.snapshot);
  if (refused) return `kept plant state unusable (${refused}); the plant starts cold`;
  const offS = kept.offRealS * speed;
  const coolS = Math.min(offS, MAX_COOLING_S);
  const airBefore = plant.state.airC;
  plant.step(coolS, { heaterDuty: 0, fanDuty: 0, humidifierOn: false });
  const off = offS >= 3600 ? `${(offS / 3600).toFixed(1)} h` : offS >= 60 ? `${(offS / 60).toFixed(1)} min` : `${offS.toFixed(0)} s`;
  return `off for ${off} (simulated): air ${airBefore.toFixed(2)} → ${plant.state.airC.toFixed(2)} °C, as after a power cut`;
}

/** Where the simulated wall clock resumes: never before what the last run may have logged
 *  (a kill can come up to one save interval after the last save), then the time off. */
export function resumeEpochMs(kept: KeptPlant, speed: number): number {
  return kept.simEpochMs + kept.simAheadMs + kept.offRealS * 1000 * speed;
}

/** Keeps the plant's state in the state file every `everyMs` and once more at `stop`. */
export function keepPlantState(
  storage: HostStorage,
  plant: IncubatorPlant,
  simEpochMs: () => number,
  onError: (message: string) => void,
  everyMs = 5_000,
  nowMs: () => number = Date.now,
  speed = 1,
): { save(): void; stop(): void } {
  let failing = false;
  const save = (final = false): void => {
    const state: HostStateFile = { kind: KIND, version: VERSION, stoppedAtMs: nowMs(), simEpochMs: simEpochMs(), simAheadMs: final ? 0 : everyMs * speed, plant: plant.snapshot() };
    try {
      storage.stateFile.write(state);
      failing = false;
    } catch (error) {
      if (!failing) onError(`could not keep the plant state in ${storage.stateFile.file}: ${error instanceof Error ? error.message : String(error)}`);
      failing = true;
    }
  };
  const timer = setInterval(save, everyMs);
  timer.unref();
  return {
    save: () => save(),
    stop: () => {
      clearInterval(timer);
      save(true);
    },
  };
}
