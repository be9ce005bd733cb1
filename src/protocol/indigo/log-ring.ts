// The Indigo log feed's memory: the last entries as indigo.LogEvent objects, oldest first.
import type { IncubatorEvent } from "../../core/api";
import type { JsonObject } from "./json";
import { indigoTimeStamp } from "./format";

/** Indigo's event types (typeVal). */
export const LOG_TYPE = Object.freeze({
  application: 0,
  error: 1,
  warning: 3,
  custom: 8,
});

export const LOG_REPLAY_COUNT = 25;

export function logEvent(text: string, typeStr: string, typeVal: number, epochMs: number): JsonObject {
  return { message: text, timeStamp: indigoTimeStamp(epochMs), typeStr, typeVal, objectType: "indigo.LogEvent" };
}

/** The log line an incubator event makes, or null for events that are not logged (ticks). */
export function logEventFor(event: IncubatorEvent): JsonObject | null {
  switch (event.type) {
    case "state_change":
      return logEvent(`State ${event.previous} → ${event.next}: ${event.reason}`, "IncuNest State", LOG_TYPE.application, event.epochMs);
    case "alarm": {
      const a = event.alarm;
      const typeVal = event.change !== "raised" ? LOG_TYPE.application : a.level === "CRITICAL" ? LOG_TYPE.error : a.level === "WARNING" ? LOG_TYPE.warning : LOG_TYPE.application;
      return logEvent(`Alarm ${a.code} #${a.id} ${event.change} (${a.level}, ${a.priority} priority): ${a.message}`, "IncuNest Alarm", typeVal, event.epochMs);
    }
    case "log": {
      const typeVal = event.level === "error" ? LOG_TYPE.error : event.level === "warning" ? LOG_TYPE.warning : LOG_TYPE.application;
      return logEvent(event.text, event.source === "" ? "IncuNest" : event.source, typeVal, event.epochMs);
    }
    default:
      return null;
  }
}

/** A fixed-size ring of log events. */
export class LogRing {
  private readonly entries: JsonObject[] = [];
  private start = 0;

  constructor(private readonly capacity = LOG_REPLAY_COUNT) {}

  push(entry: JsonObject): void {
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.start] = entry;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first. */
  list(): JsonObject[] {
    return this.entries.slice(this.start).concat(this.entries.slice(0, this.start));
  }
}
