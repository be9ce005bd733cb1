// The bounded outgoing queue between the firmware and the broker. Messages leave in the
// order they were queued; QoS 1 messages stay queued (in flight) until the broker's PUBACK
// and go out again, in order, after a reconnection. When a bound is reached, the oldest
// sensor reading goes first, then the oldest status; an alarm, state or answer is given
// up only when nothing else is left to give (and counted: the status reports it).
import type { QoS } from "./transport";
import { codeAt } from "../../core/code-at";

/** sensors: periodic, QoS 0; status: periodic, retained; event: alarms, state, answers,
 *  the active-alarm summary and discovery: kept across an outage. */
export type MessageClass = "sensors" | "status" | "event";

export interface OutgoingMessage {
  readonly topic: string;
  readonly payload: string;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly kind: MessageClass;
  /** UTF-8 bytes of topic + payload, for the byte bound. */
  readonly bytes: number;
  /** QoS 1 packet id while in flight, else 0. */
  token: number;
}

export interface OutboxLimits {
  /** Messages queued (in flight included). */
  readonly maxMessages: number;
  /** Bytes of topic + payload queued. */
  readonly maxBytes: number;
  /** Sensor readings kept while they cannot be sent (the oldest is dropped). */
  readonly maxSensors: number;
  /** QoS 1 messages sent and not yet acknowledged. */
  readonly maxInFlight: number;
}

export const HOST_OUTBOX_LIMITS: OutboxLimits = Object.freeze({ maxMessages: 2048, maxBytes: 1_048_576, maxSensors: 120, maxInFlight: 32 });
export const DEVICE_OUTBOX_LIMITS: OutboxLimits = Object.freeze({ maxMessages: 96, maxBytes: 24_576, maxSensors: 10, maxInFlight: 8 });

function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0, textLength = text.length; i < textLength; i++) {
    const c = codeAt(text, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export class Outbox {
  private readonly queue: OutgoingMessage[] = [];
  private bytes = 0;
  private sensors = 0;
  private inFlight = 0;
  private lastToken = 0;
  droppedSensors = 0;
  droppedStatus = 0;
  /** Alarms, state changes and answers given up to a full queue: should stay 0. */
  droppedEvents = 0;

  constructor(readonly limits: OutboxLimits) {}

  get length(): number {
    return this.queue.length;
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  get inFlightCount(): number {
    return this.inFlight;
  }

  /** Queues a message. `replace`: an unsent message on the same topic is dropped first
   *  (retained snapshots: only the newest matters). `front`: ahead of everything unsent. */
  push(topic: string, payload: string, qos: QoS, retain: boolean, kind: MessageClass, replace = false, front = false): void {
    if (replace) {
      for (let i = 0; i < this.queue.length; i++) {
        const m = this.queue[i];
        if (m.token === 0 && m.topic === topic) {
          this.removeAt(i);
          break;
        }
      }
    }
    const message: OutgoingMessage = { topic, payload, qos, retain, kind, bytes: utf8Bytes(topic) + utf8Bytes(payload), token: 0 };
    if (front) {
      let i = 0;
      while (i < this.queue.length && this.queue[i].token !== 0) i++;
      this.queue.splice(i, 0, message);
    } else {
      this.queue.push(message);
    }
    this.bytes += message.bytes;
    if (kind === "sensors") this.sensors++;
    this.enforce();
  }

  /** True when a message of this topic waits unsent. */
  has(topic: string): boolean {
    for (const m of this.queue) if (m.token === 0 && m.topic === topic) return true;
    return false;
  }

  /** The first unsent message, or null (also while the in-flight window is full and the
   *  next one is QoS 1). */
  next(): OutgoingMessage | null {
    for (const m of this.queue) {
      if (m.token !== 0) continue;
      if (m.qos === 1 && this.inFlight >= this.limits.maxInFlight) return null;
      return m;
    }
    return null;
  }

  /** A packet id for `message` (QoS 1), unused by any message in flight. */
  tokenFor(message: OutgoingMessage): number {
    if (message.qos === 0) return 0;
    for (;;) {
      this.lastToken = this.lastToken >= 65535 ? 1 : this.lastToken + 1;
      let used = false;
      for (const m of this.queue) if (m.token === this.lastToken) used = true;
      if (!used) return this.lastToken;
    }
  }

  /** The transport took `message`: QoS 0 is done, QoS 1 waits for its PUBACK. */
  sent(message: OutgoingMessage, token: number): void {
    const i = this.queue.indexOf(message);
    if (i < 0) return;
    if (message.qos === 0) {
      this.removeAt(i);
      return;
    }
    message.token = token;
    this.inFlight++;
  }

  /** PUBACK for `token`: that message is delivered. False if none was in flight with it. */
  acknowledge(token: number): boolean {
    for (let i = 0; i < this.queue.length; i++) {
      if (this.queue[i].token === token) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** The connection is gone: whatever was in flight goes out again, in its place. */
  requeueInFlight(): void {
    for (const m of this.queue) m.token = 0;
    this.inFlight = 0;
  }

  clear(): void {
    this.queue.length = 0;
    this.bytes = 0;
    this.sensors = 0;
    this.inFlight = 0;
  }

  private removeAt(i: number): void {
    const [m] = this.queue.splice(i, 1);
    this.bytes -= m.bytes;
    if (m.kind === "sensors") this.sensors--;
    if (m.token !== 0) this.inFlight--;
  }

  private dropOldest(kind: MessageClass): boolean {
    for (let i = 0; i < this.queue.length; i++) {
      const m = this.queue[i];
      if (m.token === 0 && m.kind === kind) {
        this.removeAt(i);
        if (kind === "sensors") this.droppedSensors++;
        else if (kind === "status") this.droppedStatus++;
        else this.droppedEvents++;
        return true;
      }
    }
    return false;
  }

  private over(): boolean {
    return this.queue.length > this.limits.maxMessages || this.bytes > this.limits.maxBytes;
  }

  private enforce(): void {
    while (this.sensors > this.limits.maxSensors && this.dropOldest("sensors"));
    while (this.over() && (this.dropOldest("sensors") || this.dropOldest("status") || this.dropOldest("event")));
  }
}
