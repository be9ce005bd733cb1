import { Incubator } from "../../src/core/incubator";
import type { ControlMode } from "../../src/core/types";
import type { BenchController, ControllerIo } from "./rig";

const BENCH = Object.freeze({ via: "local", client: "bench" } as const);

/** "Ours": the real firmware core (Incubator with its deadline scheduler) on the rig's simulated time. */
export class FirmwareController implements BenchController {
  private incubator: Incubator | null = null;

  attach(io: ControllerIo): void {
    this.incubator = new Incubator({
      clock: io.time,
      wall: io.time,
      timers: io.time,
      sensors: io.sensors,
      actuators: { apply: (command) => io.apply(command) },
    });
    this.incubator.start();
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
