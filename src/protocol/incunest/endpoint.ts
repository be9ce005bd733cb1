import type { IncubatorApi, IncubatorEvent } from "../../core/api";
import type { WallClock } from "../../core/types";
import type { Connection, Endpoint, Session, UpgradeRequest } from "../../net/endpoint";
import { Channel } from "./channels";
import { encodeAlarm, encodeSensorUpdate, encodeStateChange, sensorUpdateDue } from "./messages";
import { IncuNestSession, type SessionContext } from "./session";

export const WS_PATH = "/ws";

/**
 * The IncuNest API at /ws, for any transport. Listens to the core only while some client
 * is connected; encodes each event once and hands the same text to every client
 * subscribed to its channel. Sensor updates are sent droppable: a slow client misses
 * some, and the next tick's (newer) one replaces them.
 */
export class IncuNestEndpoint implements Endpoint {
  private readonly sessions = new Set<IncuNestSession>();
  private unsubscribe: (() => void) | null = null;
  private readonly context: SessionContext;

  constructor(
    private readonly api: IncubatorApi,
    wallClock: WallClock,
  ) {
    this.context = {
      api,
      now: () => wallClock.epochMs(),
      detach: (session: IncuNestSession) => {
        this.sessions.delete(session);
        if (this.sessions.size === 0 && this.unsubscribe) {
          this.unsubscribe();
          this.unsubscribe = null;
        }
      },
    };
  }

  accepts(path: string): boolean {
    return path === WS_PATH;
  }

  open(connection: Connection, request: UpgradeRequest): Session {
    const session = new IncuNestSession(this.context, connection, { via: "ws", client: request.remote });
    this.sessions.add(session);
    if (!this.unsubscribe) this.unsubscribe = this.api.subscribe((event) => this.onEvent(event));
    return session;
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  private onEvent(event: IncubatorEvent): void {
    switch (event.type) {
      case "tick":
        if (this.listening(Channel.SENSORS) && sensorUpdateDue(event.snapshot)) this.broadcast(Channel.SENSORS, encodeSensorUpdate(event.snapshot), true);
        return;
      case "alarm":
        if (this.listening(Channel.ALARMS)) this.broadcast(Channel.ALARMS, encodeAlarm(event.alarm, event.epochMs), false);
        return;
      case "state_change":
        if (this.listening(Channel.STATE)) this.broadcast(Channel.STATE, encodeStateChange(event.previous, event.next, event.reason, event.epochMs), false);
        return;
      default:
        return;
    }
  }

  /** Whether any client wants `channel`: nothing is encoded for nobody. */
  private listening(channel: number): boolean {
    for (const session of this.sessions) if (session.channels & channel) return true;
    return false;
  }

  /** The same text to every subscriber; a send that closes a dead reader removes it. */
  private broadcast(channel: number, text: string, droppable: boolean): void {
    for (const session of this.sessions) {
      if (session.channels & channel) session.connection.send(text, droppable);
    }
  }
}
