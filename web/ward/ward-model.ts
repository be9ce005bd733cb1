// The nurse station's picture of the ward, built only from what the beds publish on MQTT
// (incunest/+/status, sensors, state, alarms/active, alarms). No DOM here: the page
// renders it, the tests can read it.

export type Priority = "high" | "medium" | "low";

export interface ActiveAlarm {
  readonly id: number;
  readonly code: string;
  readonly priority: Priority;
  readonly message: string;
  readonly acknowledged: boolean;
}

export interface Bed {
  readonly id: string;
  online: boolean | null;
  /** When the bed went offline (its last will), epoch ms. */
  offlineSince: number | null;
  air: number | null;
  skin: number | null;
  humidity: number | null;
  setpoint: number | null;
  state: string | null;
  alarms: ActiveAlarm[];
  /** Last sensors message, epoch ms of arrival. */
  lastSeenMs: number;
}

const RANK: Readonly<Record<Priority, number>> = { high: 0, medium: 1, low: 2 };

export function topPriority(bed: Bed): Priority | null {
  let best: Priority | null = null;
  for (const a of bed.alarms) if (best === null || RANK[a.priority] < RANK[best]) best = a.priority;
  return best;
}

/** Beds with an active alarm first (high, medium, low; unacknowledged before
 *  acknowledged), then offline beds, then the rest, each group by bed id. */
export function wardOrder(beds: Iterable<Bed>): Bed[] {
  const key = (b: Bed): number => {
    const p = topPriority(b);
    if (p !== null) return RANK[p] * 2 + (b.alarms.some((a) => a.priority === p && !a.acknowledged) ? 0 : 1);
    return b.online === false ? 6 : 7;
  };
  return [...beds].sort((a, b) => key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class WardModel {
  readonly beds = new Map<string, Bed>();

  private bed(id: string): Bed {
    let b = this.beds.get(id);
    if (!b) {
      b = { id, online: null, offlineSince: null, air: null, skin: null, humidity: null, setpoint: null, state: null, alarms: [], lastSeenMs: 0 };
      this.beds.set(id, b);
    }
    return b;
  }

  /** One MQTT message; returns true when it changed the picture. */
  receive(topic: string, text: string, nowMs: number): boolean {
    const parts = topic.split("/");
    if (parts[0] !== "incunest" || parts.length < 3 || text === "") return false;
    let data: any;
    try {
      data = JSON.parse(text);
    } catch {
      return false;
    }
    const bed = this.bed(parts[1]);
    const path = parts.slice(2).join("/");
    switch (path) {
      case "status":
        bed.online = data.online === true;
        bed.offlineSince = bed.online ? null : Date.parse(data.timestamp) || nowMs;
        if (data.state) bed.state = data.state;
        return true;
      case "sensors":
        bed.air = data.temperature?.ambient ?? null;
        bed.skin = data.temperature?.skin ?? null;
        bed.setpoint = data.temperature?.setpoint ?? null;
        bed.humidity = data.humidity?.current ?? null;
        if (data.state) bed.state = data.state;
        bed.lastSeenMs = nowMs;
        if (bed.online !== true) {
          bed.online = true;
          bed.offlineSince = null;
        }
        return true;
      case "state":
        bed.state = data.state;
        return true;
      case "alarms/active":
        bed.alarms = Array.isArray(data.alarms) ? data.alarms.map((a: any) => ({ id: a.id, code: a.code, priority: a.priority, message: a.message, acknowledged: a.acknowledged })) : [];
        return true;
      default:
        return false;
    }
  }
}
