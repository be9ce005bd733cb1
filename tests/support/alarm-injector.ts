// Wraps the real Incubator and adds alarms a test can raise and clear, until the alarm
// manager is part of the core: snapshot().alarms, alarm events and acknowledge_alarm
// behave as PRODUCT.md describes; everything else is the real core.
import type { AlarmCode, AlarmInfo, CommandResult, IncubatorApi, IncubatorEvent, Snapshot } from "../../src/core/api";
import type { WallClock } from "../../src/core/types";

export class AlarmInjector implements IncubatorApi {
  private alarms: AlarmInfo[] = [];
  private nextId = 1;
  private listeners: Array<(event: IncubatorEvent) => void> = [];
  private innerUnsubscribe: (() => void) | null = null;

  constructor(
    private readonly inner: IncubatorApi,
    private readonly wall: WallClock,
  ) {}

  snapshot(): Snapshot {
    return this.withAlarms(this.inner.snapshot());
  }

  subscribe(listener: (event: IncubatorEvent) => void): () => void {
    this.listeners.push(listener);
    this.innerUnsubscribe ??= this.inner.subscribe((event) => {
      this.emit(event.type === "tick" ? { type: "tick", snapshot: this.withAlarms(event.snapshot) } : event);
    });
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      if (this.listeners.length === 0 && this.innerUnsubscribe) {
        this.innerUnsubscribe();
        this.innerUnsubscribe = null;
      }
    };
  }

  execute(action: string, data: unknown, source: string): CommandResult {
    if (action !== "acknowledge_alarm") return this.inner.execute(action, data, source);
    const id = (data as { alarm_id?: unknown } | null)?.alarm_id;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1) return { success: false, code: 4002, message: `data.alarm_id must be a positive integer, got ${JSON.stringify(id)}` };
    const index = this.alarms.findIndex((a) => a.id === id);
    if (index < 0) return { success: false, code: 4002, message: `no active alarm with id ${id}` };
    const alarm = Object.freeze({ ...this.alarms[index], acknowledged: true, acknowledgedAtMs: this.wall.epochMs() });
    this.alarms[index] = alarm;
    this.emit({ type: "alarm", alarm, change: "acknowledged", epochMs: this.wall.epochMs() });
    return { success: true, message: `alarm ${id} (${alarm.code}) acknowledged` };
  }

  alarmHistory(): readonly AlarmInfo[] {
    return this.inner.alarmHistory();
  }

  log(text: string, source: string): void {
    this.inner.log(text, source);
  }

  raise(code: AlarmCode, message: string, value: number | null = null, limit: number | null = null): AlarmInfo {
    const alarm: AlarmInfo = Object.freeze({
      id: this.nextId++,
      code,
      level: "WARNING",
      priority: "medium",
      message,
      active: true,
      acknowledged: false,
      latching: false,
      value,
      limit,
      raisedAtMs: this.wall.epochMs(),
      acknowledgedAtMs: null,
      clearedAtMs: null,
    });
    this.alarms.push(alarm);
    this.emit({ type: "alarm", alarm, change: "raised", epochMs: this.wall.epochMs() });
    return alarm;
  }

  get activeAlarms(): readonly AlarmInfo[] {
    return this.alarms;
  }

  private withAlarms(s: Snapshot): Snapshot {
    return Object.freeze({ ...s, alarms: Object.freeze([...this.alarms]) });
  }

  private emit(event: IncubatorEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
