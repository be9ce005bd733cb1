import type { CommandOrigin, CommandResult, IncubatorApi } from "../../core/api";
import type { Connection, Session } from "../../net/endpoint";
import { Channel, CHANNEL_NAMES, CHANNELS } from "./channels";
import { WS_ACTIONS, WS_ACTION_NAMES } from "./commands";
import { encodeAlarm, encodeCommandOutcome, encodeCommandResponse, encodeError, encodePong, encodeSensorUpdate, encodeStateChange, sensorUpdateDue } from "./messages";

/** Error codes of /ws (seed 000 and PRODUCT.md "The APIs"). */
export const WsCode = Object.freeze({
  INVALID_COMMAND: 4001,
  INVALID_PARAMETERS: 4002,
  /** A message refused by the rate limit: the WebSocket policy-violation code, the same
   *  the connection is closed with if the flood goes on. */
  RATE_LIMITED: 1008,
});

export interface SessionContext {
  readonly api: IncubatorApi;
  /** Wall-clock epoch ms for the timestamps of replies. */
  readonly now: () => number;
  readonly detach: (session: IncuNestSession) => void;
}

type Parsed = { readonly ok: true; readonly message: Record<string, unknown> } | { readonly ok: false; readonly error: string };

function parse(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: 'a message must be a JSON object with a "type"' };
  }
  return { ok: true, message: value as Record<string, unknown> };
}

function describe(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

/** One client of /ws: its subscriptions, its commands. */
export class IncuNestSession implements Session {
  /** Channel bits this client is subscribed to. */
  channels = 0;

  constructor(
    private readonly context: SessionContext,
    readonly connection: Connection,
    private readonly origin: CommandOrigin,
  ) {}

  onMessage(text: string): void {
    const parsed = parse(text);
    if (!parsed.ok) return this.error(WsCode.INVALID_COMMAND, parsed.error);
    const message = parsed.message;
    switch (message.type) {
      case "subscribe":
      case "unsubscribe":
        return this.subscription(message.type, message.channel);
      case "command":
        return this.command(message);
      case "ping":
        this.connection.send(encodePong(this.context.now()));
        return;
      default:
        return this.error(
          WsCode.INVALID_COMMAND,
          message.type === undefined ? 'message has no "type"' : `unknown message type ${describe(message.type)} (subscribe, unsubscribe, command, ping)`,
        );
    }
  }

  onRefused(reason: string, text: string): void {
    const parsed = parse(text);
    const now = this.context.now();
    if (parsed.ok && parsed.message.type === "command") {
      // A command always gets its command_response, even when the rate limit refused it.
      const id = parsed.message.command_id;
      this.connection.send(encodeCommandOutcome(id, false, reason, WsCode.RATE_LIMITED, now), true);
    } else {
      this.connection.send(encodeError(WsCode.RATE_LIMITED, reason, now), true);
    }
  }

  onClose(): void {
    this.context.detach(this);
  }

  private subscription(type: "subscribe" | "unsubscribe", channel: unknown): void {
    const bits = typeof channel === "string" && Object.prototype.hasOwnProperty.call(CHANNELS, channel) ? CHANNELS[channel] : 0;
    if (bits === 0) {
      if (channel === undefined) return this.error(WsCode.INVALID_PARAMETERS, `${type}: no "channel" given, e.g. {"type":"${type}","channel":"sensors"} (${CHANNEL_NAMES})`);
      return this.error(WsCode.INVALID_PARAMETERS, `${type}: unknown channel ${describe(channel)} (${CHANNEL_NAMES})`);
    }
    if (type === "unsubscribe") {
      this.channels &= ~bits;
      return;
    }
    this.channels |= bits;
    // Subscribing sends the current picture at once: state, active alarms, latest sensors
    // (right after boot, before the sensors' first readings, the first tick with them).
    const snapshot = this.context.api.snapshot();
    const now = this.context.now();
    if (bits & Channel.STATE) this.connection.send(encodeStateChange(null, snapshot.state, "current state", now));
    if (bits & Channel.ALARMS) for (const alarm of snapshot.alarms) this.connection.send(encodeAlarm(alarm, now));
    if ((bits & Channel.SENSORS) !== 0 && sensorUpdateDue(snapshot)) this.connection.send(encodeSensorUpdate(snapshot), true);
  }

  private command(message: Record<string, unknown>): void {
    const id = message.command_id;
    const action = message.action;
    if (typeof action !== "string" || !WS_ACTIONS.has(action)) {
      return this.respond(id, { success: false, code: WsCode.INVALID_COMMAND, message: `unknown action ${describe(action)} (${WS_ACTION_NAMES})` });
    }
    if (message.data !== undefined && (typeof message.data !== "object" || message.data === null || Array.isArray(message.data))) {
      return this.respond(id, { success: false, code: WsCode.INVALID_PARAMETERS, message: `${action}: "data" must be an object, got ${describe(message.data)}` });
    }
    // The reply waits for the core (a stored setting answers once stored).
    void this.context.api.execute(action, message.data ?? {}, this.origin).then((result) => this.respond(id, result));
  }

  private respond(id: unknown, result: CommandResult): void {
    this.connection.send(encodeCommandResponse(id, result, this.context.now()));
  }

  private error(code: number, text: string): void {
    this.connection.send(encodeError(code, text, this.context.now()));
  }
}
