import { DEFAULT_PERSISTED, Incubator, type PersistedSettings } from "../../src/core/incubator";
import type { RecordStore } from "../../src/core/record-store";
import type { ControlMode } from "../../src/core/types";
import type { PlantParams } from "../plant/params";
import { BenchRig, type BenchController, type ControllerIo } from "./rig";

const BENCH = Object.freeze({ via: "local", client: "bench" } as const);

/** The bench's stand-in for the persist engineer's store: records in memory, written at once. */
export class BenchRecordStore implements RecordStore {
  constructor(readonly records: Map<string, string> = new Map()) {}
  load(name: string): string | null {
    return this.records.get(name) ?? null;
  }
  save(name: string, text: string): Promise<void> {
    this.records.set(name, text);
    return Promise.resolve();
  }
  copy(): BenchRecordStore {
    return new BenchRecordStore(new Map(this.records));
  }
}

/**
 * "Ours": the real firmware core (Incubator with its deadline scheduler) on the rig's simulated
 * time. Its settings and its records (what the controller learned) survive a mains cut as on
 * the device: the next boot gets what was last persisted.
 */
export class FirmwareController implements BenchController {
  private incubator: Incubator | null = null;
  private io: ControllerIo | null = null;
  private settings: PersistedSettings = DEFAULT_PERSISTED;

  constructor(readonly records: BenchRecordStore = new BenchRecordStore()) {}

  attach(io: ControllerIo): void {
    this.io = io;
    this.boot();
  }

  private boot(): void {
    const io = this.io as ControllerIo;
    this.incubator = new Incubator({
      clock: io.time,
      wall: io.time,
      timers: io.time,
      sensors: io.sensors,
      actuators: { apply: (command) => io.apply(command) },
      settings: this.settings,
      persist: (s) => {
        this.settings = s;
      },
      records: this.records,
    });
    this.incubator.start();
  }

  powerOff(): void {
    this.core.stop();
  }

  powerOn(): void {
    this.boot();
  }

  get core(): Incubator {
    if (!this.incubator) throw new Error("firmware controller used before attach()");
    return this.incubator;
  }

  setMode(mode: ControlMode): void {
    this.command("set_mode", { mode });
  }

  setTemperature(c: number): void {
    this.command("set_temperature", { setpoint: c });
  }

  setHumidity(rh: number): void {
    this.command("set_humidity", { setpoint: rh });
  }

  start(): void {
    this.command("set_state", { state: "start" });
  }

  /** The bench's scenarios send only valid commands: a refusal is a bench bug, reported
   *  loudly (the process exits), since a silently ignored setpoint would falsify the figures. */
  private command(action: string, data: unknown): void {
    void this.core.execute(action, data, BENCH).then((result) => {
      if (!result.success) {
        process.stderr.write(`firmware refused ${action} ${JSON.stringify(data)}: ${result.message}\n`);
        process.exit(1);
      }
    });
  }
}

/** Seconds of the commissioning session: a warm-up from cold to 36 °C and steady operation. */
export const COMMISSIONING_S = 3 * 3600;

/**
 * What ours has learned about `params` by the time it is in service: one session on that
 * incubator (a warm-up from cold to 36 °C and steady operation, on its own noise seed), as
 * the store holds it after a reboot.
 */
export function commission(params: PlantParams): BenchRecordStore {
  const controller = new FirmwareController();
  const rig = new BenchRig(params, controller, { seed: 99, humidifier: "off" });
  controller.setHumidity(30);
  controller.setTemperature(36);
  controller.start();
  rig.run(COMMISSIONING_S);
  controller.powerOff();
  return controller.records.copy();
}
