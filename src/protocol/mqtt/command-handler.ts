// MQTT commands: a message on a command topic, its payload mapped onto the core's action,
// run through `execute` (the same validation and codes as /ws), answered on the
// command's own response topic. Rate-limited like /ws.
import type { CommandOrigin, CommandResult, IncubatorApi } from "../../core/api";
import type { MonotonicClock } from "../../core/types";
import { TokenBucket } from "../../net/token-bucket";
import { mapCommand, MAX_COMMAND_BYTES } from "./commands";
import { encodeResponse } from "./payloads";
import type { CommandTopic } from "./topics";

export interface CommandHandlerOptions {
  readonly api: IncubatorApi;
  readonly clock: MonotonicClock;
  /** `config/set`; absent: refused with 4001. */
  readonly configure?: (patch: Record<string, unknown>, origin: CommandOrigin) => Promise<CommandResult>;
  /** Where a command came from (the broker: MQTT 3.1.1 names no sender). */
  readonly origin: () => CommandOrigin;
  /** Queues an answer on `topic`. */
  readonly respond: (topic: string, payload: string) => void;
}

type Fields = Record<string, string | number | boolean | null>;

export class MqttCommandHandler {
  private readonly budget: TokenBucket;

  constructor(private readonly options: CommandHandlerOptions) {
    this.budget = new TokenBucket(options.clock, 20, 5);
  }

  handle(command: CommandTopic, payload: string, tooLarge: boolean): void {
    if (tooLarge) return this.answer(command, false, {}, `payload larger than ${MAX_COMMAND_BYTES} bytes`, 4002, undefined);
    if (!this.budget.take()) return this.answer(command, false, {}, "rate limited: more than 5 commands a second", 1008, undefined);
    const mapped = mapCommand(command.name, payload);
    if ("code" in mapped) return this.answer(command, false, {}, mapped.message, mapped.code, mapped.commandId);
    const { api, configure } = this.options;
    const origin = this.options.origin();
    let result: Promise<CommandResult>;
    if (mapped.action === "configure") {
      result = configure
        ? configure(mapped.data, origin)
        : Promise.resolve({ success: false, code: 4001, message: "config/set is not available on this firmware (use the REST API)" } as CommandResult);
    } else {
      result = api.execute(mapped.action, mapped.data, origin);
    }
    void result.then((r) => {
      if (!r.success) return this.answer(command, false, {}, r.message, r.code, mapped.commandId);
      const s = api.snapshot();
      const fields: Fields =
        command.name === "temperature" ? { setpoint: s.temperatureSetpoint }
        : command.name === "humidity" ? { setpoint: s.setpoints.humidity }
        : command.name === "mode" ? { mode: s.mode }
        : command.name === "state" ? { action: mapped.data.state as string, state: s.state }
        : command.name === "acknowledge" ? (mapped.action === "acknowledge_all" ? { all: true } : { id: mapped.data.alarm_id as number })
        : {};
      this.answer(command, true, fields, r.message, null, mapped.commandId);
    });
  }

  private answer(command: CommandTopic, success: boolean, fields: Fields, message: string, code: number | null, commandId: unknown): void {
    this.options.respond(command.response, encodeResponse(success, fields, message, code, commandId));
  }
}
