// What the app knows from /ws: the latest readings, the state, the active alarms, and
// whether the readings are current. Views render from it, at most once a frame.
import { isoMs } from "./format";
import type { LinkStatus } from "./live-link";
import type { AlarmData, IncubatorState, SensorData, ServerMessage } from "./protocol";

/** No sensor_update for this long and every value turns grey. */
export const STALE_AFTER_MS = 3000;

export interface LiveSample {
  /** Incubator time of the reading, epoch ms. */
  readonly epochMs: number;
  readonly data: SensorData;
}

export class LiveModel {
  sensor: SensorData | null = null;
  /** Incubator clock at the last sensor_update (epoch ms), and when it arrived here. */
  incubatorMs: number | null = null;
  private receivedAt = -Infinity;
  state: IncubatorState | null = null;
  stateReason = "";
  readonly alarms = new Map<number, AlarmData>();
  /** Both temperature setpoints (sensor_update carries the active mode's only), from
   *  REST GET /api/control when it is served. */
  setpoints: { readonly air: number; readonly skin: number } | null = null;
  link: LinkStatus = { kind: "connecting", attempt: 1 };
  stale = true;
  private readonly renderers: Array<() => void> = [];
  private readonly sampleListeners: Array<(sample: LiveSample) => void> = [];
  private frame = 0;

  onRender(render: () => void): void {
    this.renderers.push(render);
  }

  /** Every reading as it arrives (the trend extends itself with them). */
  onSample(listener: (sample: LiveSample) => void): void {
    this.sampleListeners.push(listener);
  }

  /** Incubator time now, extrapolated from the last reading (for countdowns). */
  incubatorNow(): number | null {
    return this.incubatorMs;
  }

  receive(message: ServerMessage): void {
    switch (message.type) {
      case "sensor_update": {
        const at = isoMs(message.timestamp);
        this.sensor = message.data;
        this.receivedAt = performance.now();
        this.stale = false;
        if (message.data.state) this.state = message.data.state;
        if (at !== null) {
          this.incubatorMs = at;
          for (const listener of this.sampleListeners) listener({ epochMs: at, data: message.data });
        }
        break;
      }
      case "alarm":
        if (message.data.active) this.alarms.set(message.data.id, message.data);
        else this.alarms.delete(message.data.id);
        break;
      case "state_change":
        // previous_state null: not a transition but the state as of subscribing.
        if (message.data.previous_state !== null) this.stateReason = message.data.reason ?? "";
        else if (message.data.new_state !== this.state) this.stateReason = "";
        this.state = message.data.new_state;
        break;
      default:
        return;
    }
    this.invalidate();
  }

  setLink(status: LinkStatus): void {
    // A new subscription sends the active alarms again: start from none.
    if (status.kind === "open") this.alarms.clear();
    if (status.kind !== "open") this.stale = true;
    this.link = status;
    this.invalidate();
  }

  /** Called twice a second: turns the readings grey once they are too old. */
  checkStale(): void {
    const stale = performance.now() - this.receivedAt > STALE_AFTER_MS;
    if (stale && !this.stale) {
      this.stale = true;
    }
    this.invalidate();
  }

  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const render of this.renderers) render();
    });
  }
}
