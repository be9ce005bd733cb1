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

/** The event types' names, read from a table: on XS a string literal in preloaded code is
 *  copied into a new chunk each time it is evaluated, and the ring keeps them. */
const SOURCE = Object.freeze({ state: "IncuNest State", alarm: "IncuNest Alarm", device: "IncuNest", empty: "" });

export function logEvent(text: string, typeStr: string, typeVal: number, epochMs: number): JsonObject {
  return { message: text, timeStamp: indigoTimeStamp(epochMs), typeStr, typeVal, objectType: "indigo.LogEvent" };
}

/** The log line an incubator event makes, or null for events that are not logged (ticks). */
export function logEventFor(event: IncubatorEvent): JsonObject | null {
  switch (event.type) {
    case "state_change":
      return logEvent(`State ${event.previous} → ${event.next}: ${event.reason}`, SOURCE.state, LOG_TYPE.application, event.epochMs);
    case "alarm": {
      const a = event.alarm;
      const typeVal = event.change !== "raised" ? LOG_TYPE.application : a.level === "CRITICAL" ? LOG_TYPE.error : a.level === "WARNING" ? LOG_TYPE.warning : LOG_TYPE.application;
      return logEvent(`Alarm ${a.code} #${a.id} ${event.change} (${a.level}, ${a.priority} priority): ${a.message}`, SOURCE.alarm, typeVal, event.epochMs);
    }
    case "log": {
      const typeVal = event.level === "error" ? LOG_TYPE.error : event.level === "warning" ? LOG_TYPE.warning : LOG_TYPE.application;
      return logEvent(event.text, event.source === SOURCE.empty ? SOURCE.device : event.source, typeVal, event.epochMs);
    }
    default:
      return null;
  }
}

/** A fixed-size ring of log events: their texts, types and times (each replayed entry's
 *  object and time stamp are made again when a client asks, not held). */
export class LogRing {
  private readonly texts: string[] = [];
  private readonly typeStrs: string[] = [];
  private readonly typeVals: Uint8Array;
  private readonly times: Float64Array;
  private start = 0;

  constructor(private readonly capacity = LOG_REPLAY_COUNT) {
    this.typeVals = new Uint8Array(capacity);
    this.times = new Float64Array(capacity);
  }

  push(entry: JsonObject, epochMs: number): void {
    let at = this.texts.length;
    if (at === this.capacity) {
      at = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.texts[at] = entry.message as string;
    this.typeStrs[at] = entry.typeStr as string;
    this.typeVals[at] = entry.typeVal as number;
    this.times[at] = epochMs;
  }

  /** Oldest first. */
  list(): JsonObject[] {
    const n = this.texts.length;
    const out: JsonObject[] = [];
    for (let k = 0; k < n; k++) {
      const i = (this.start + k) % n;
      out.push(logEvent(this.texts[i], this.typeStrs[i], this.typeVals[i], this.times[i]));
    }
    return out;
  }
}
