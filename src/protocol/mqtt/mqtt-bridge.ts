// The incubator on MQTT: publishes status, sensors, alarms and state under
// `incunest/{device_id}/`, answers the command topics through the core's `execute`,
// announces itself to Home Assistant, and keeps its connection to the broker alive
// (BrokerConnection: exponential back-off with jitter). The control tick only hands
// over a reference: all encoding and sending runs after it, scheduled by the platform.
import type { AlarmInfo, CommandOrigin, CommandResult, IncubatorApi, IncubatorEvent, Snapshot } from "../../core/api";
import type { IncubatorState, MonotonicClock, TimerHandle } from "../../core/types";
import { BrokerConnection, brokerLabel, type BrokerConnectionOptions, type LinkState } from "./broker-connection";
import { MqttCommandHandler } from "./command-handler";
import { discoveryMessages } from "./discovery";
import type { MqttConfig } from "./mqtt-config";
import { Outbox, HOST_OUTBOX_LIMITS, type OutboxLimits } from "./outbox";
import { encodeActiveAlarms, encodeAlarmEvent, encodeSensors, encodeState, encodeStatus, type AlarmChange } from "./payloads";
import { topicMap, type TopicMap } from "./topics";
import type { MqttLink } from "./transport";

export type { LinkState } from "./broker-connection";

/** The connection's options (transport, timers, wall clock, back-off, connect timeout, log) and these. */
export interface MqttBridgeOptions extends BrokerConnectionOptions {
  readonly api: IncubatorApi;
  readonly config: MqttConfig;
  /** Used when `config.device_id` is "" (the platform's own id). */
  readonly defaultDeviceId: string;
  readonly clock: MonotonicClock;
  /** Runs `work` after the current control tick (default: a 0 ms timer). */
  readonly schedule?: (work: () => void) => void;
  readonly firmware: string;
  /** Wi-Fi RSSI and free heap for the status message (null where there is none). */
  readonly system?: () => { readonly wifiRssi: number | null; readonly heapFree: number | null };
  readonly limits?: OutboxLimits;
  /** `config/set` (the REST config's partial JSON); absent: refused with 4001. */
  readonly configure?: (patch: Record<string, unknown>, origin: CommandOrigin) => Promise<CommandResult>;
  readonly statusIntervalMs?: number;
  readonly sensorsIntervalMs?: number;
}

export interface MqttBridgeStats {
  readonly state: LinkState;
  readonly broker: string;
  readonly deviceId: string;
  readonly queued: number;
  readonly inFlight: number;
  readonly droppedSensors: number;
  readonly droppedEvents: number;
  readonly connects: number;
  readonly lastError: string | null;
}

interface PendingEvent {
  readonly kind: "alarm" | "state";
  readonly alarm: AlarmInfo | null;
  readonly change: AlarmChange;
  readonly state: IncubatorState;
  readonly previous: IncubatorState | null;
  readonly reason: string;
  readonly epochMs: number;
}

export class MqttBridge {
  private config: MqttConfig;
  private topics: TopicMap;
  private deviceId: string;
  private readonly outbox: Outbox;
  private readonly connection: BrokerConnection;
  private readonly commands: MqttCommandHandler;
  private statusTimer: TimerHandle | null = null;
  private unsubscribe: (() => void) | null = null;
  private latest: Snapshot | null = null;
  private lastSensorsMs = -Infinity;
  private sensorsDue = false;
  private alarmsDirty = false;
  private pending: PendingEvent[] = [];
  private flushScheduled = false;
  private readonly bootMs: number;
  private readonly flushTask = () => this.flush();

  constructor(private readonly options: MqttBridgeOptions) {
    this.config = options.config;
    this.deviceId = options.config.device_id || options.defaultDeviceId;
    this.topics = topicMap(this.deviceId);
    this.outbox = new Outbox(options.limits ?? HOST_OUTBOX_LIMITS);
    const bridge = this;
    this.connection = new BrokerConnection(options, this.outbox, {
      get config() { return bridge.config; },
      get deviceId() { return bridge.deviceId; },
      get topics() { return bridge.topics; },
      onConnected: (link) => this.onConnected(link),
      onMessage: (topic, payload, tooLarge) => this.onMessage(topic, payload, tooLarge),
    });
    this.commands = new MqttCommandHandler({
      api: options.api,
      clock: options.clock,
      ...(options.configure ? { configure: options.configure } : {}),
      origin: () => ({ via: "mqtt", client: `${this.config.broker}:${this.config.port}` }),
      respond: (topic, payload) => {
        this.outbox.push(topic, payload, 1, false, "event");
        this.connection.pump();
      },
    });
    this.bootMs = options.clock.now();
  }

  get topicMap(): TopicMap {
    return this.topics;
  }

  stats(): MqttBridgeStats {
    return {
      state: this.connection.state,
      broker: brokerLabel(this.config),
      deviceId: this.deviceId,
      queued: this.outbox.length,
      inFlight: this.outbox.inFlightCount,
      droppedSensors: this.outbox.droppedSensors,
      droppedEvents: this.outbox.droppedEvents,
      connects: this.connection.connects,
      lastError: this.connection.lastError,
    };
  }

  /** Starts publishing (when the configuration enables MQTT). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.api.subscribe((event) => this.onEvent(event));
    this.latest = this.options.api.snapshot();
    if (!this.config.enabled) {
      this.connection.disable();
      return;
    }
    this.statusTimer = this.options.timers.after(this.options.statusIntervalMs ?? 30_000, () => this.statusTick());
    this.connection.connect();
  }

  /** Stops: with `graceful`, the retained status says offline and the broker gets a
   *  DISCONNECT (so no last will); without, the connection is just dropped. */
  stop(graceful = true): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.statusTimer?.cancel();
    this.statusTimer = null;
    this.connection.stop(graceful);
  }

  /** A new configuration (REST, set-up page): the link is rebuilt with it; queued alarms
   *  and state changes stay queued (for the new topics if the device id changed). */
  reconfigure(config: MqttConfig): void {
    const running = this.unsubscribe !== null;
    this.stop(true);
    this.config = config;
    this.deviceId = config.device_id || this.options.defaultDeviceId;
    this.topics = topicMap(this.deviceId);
    this.connection.resetBackoff();
    if (running) this.start();
  }

  // ---- events from the core (inside the control tick: keep it to references) ----

  private onEvent(event: IncubatorEvent): void {
    if (!this.config.enabled) return;
    switch (event.type) {
      case "tick": {
        this.latest = event.snapshot;
        const interval = this.options.sensorsIntervalMs ?? 1000;
        // Half a period of tolerance, so a 1 s tick that is a little early still publishes.
        if (this.options.clock.now() - this.lastSensorsMs >= interval * 0.5 + 1) {
          this.sensorsDue = true;
          this.scheduleFlush();
        }
        return;
      }
      case "alarm":
        this.pending.push({ kind: "alarm", alarm: event.alarm, change: event.change, state: "STANDBY", previous: null, reason: "", epochMs: event.epochMs });
        this.alarmsDirty = true;
        this.scheduleFlush();
        return;
      case "state_change":
        this.pending.push({ kind: "state", alarm: null, change: "raised", state: event.next, previous: event.previous, reason: event.reason, epochMs: event.epochMs });
        this.scheduleFlush();
        return;
      default:
        return;
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (this.options.schedule) this.options.schedule(this.flushTask);
    else this.options.timers.after(0, this.flushTask);
  }

  /** After the tick: encode what the tick handed over, queue it, send what fits. */
  private flush(): void {
    this.flushScheduled = false;
    const state = this.connection.state;
    if (state === "stopped" || state === "disabled") return;
    const t = this.topics;
    const events = this.pending;
    if (events.length > 0) {
      this.pending = [];
      for (const e of events) {
        if (e.kind === "alarm") this.outbox.push(t.alarms, encodeAlarmEvent(e.alarm!, e.change, e.epochMs), 1, false, "event");
        else this.outbox.push(t.state, encodeState(e.state, e.previous, e.reason, e.epochMs), 1, true, "event");
      }
    }
    const snapshot = this.latest ?? this.options.api.snapshot();
    if (this.alarmsDirty) {
      this.alarmsDirty = false;
      // The core's own snapshot: an acknowledgement between ticks shows there at once.
      this.outbox.push(t.alarmsActive, encodeActiveAlarms(this.options.api.snapshot().alarms, this.options.wall.epochMs()), 1, true, "event", true);
    }
    if (this.sensorsDue) {
      this.sensorsDue = false;
      this.lastSensorsMs = this.options.clock.now();
      this.outbox.push(t.sensors, encodeSensors(snapshot), 0, false, "sensors");
    }
    this.connection.pump();
  }

  private statusTick(): void {
    this.statusTimer = this.options.timers.after(this.options.statusIntervalMs ?? 30_000, () => this.statusTick());
    this.queueStatus(false);
    this.connection.pump();
  }

  private queueStatus(front: boolean): void {
    const system = this.options.system?.() ?? { wifiRssi: null, heapFree: null };
    const payload = encodeStatus({
      firmware: this.options.firmware,
      state: (this.latest ?? this.options.api.snapshot()).state,
      uptimeS: (this.options.clock.now() - this.bootMs) / 1000,
      wifiRssi: system.wifiRssi,
      heapFree: system.heapFree,
      droppedSensors: this.outbox.droppedSensors,
      droppedEvents: this.outbox.droppedEvents,
      epochMs: this.options.wall.epochMs(),
    });
    this.outbox.push(this.topics.status, payload, 1, true, "status", true, front);
  }

  // ---- a new connection ----

  /** Subscribes to the command topics and queues what every connection starts with. */
  private onConnected(link: MqttLink): void {
    if (this.config.commands) link.subscribe(this.topics.commands.map((c) => c.topic));
    // Retained snapshots go out again on every connection: a broker restarted without
    // persistence has forgotten them. Online first; then whatever waited, in order.
    this.queueStatus(true);
    const t = this.topics;
    if (this.config.discovery) {
      for (const m of discoveryMessages(this.deviceId, t, { prefix: this.config.discovery_prefix, controls: this.config.ha_controls && this.config.commands, firmware: this.options.firmware })) {
        this.outbox.push(m.topic, m.payload, 1, true, "event", true);
      }
    }
    const snapshot = this.latest ?? this.options.api.snapshot();
    const stateQueued = this.outbox.has(t.state) || this.pending.some((e) => e.kind === "state");
    if (!stateQueued) this.outbox.push(t.state, encodeState(snapshot.state, null, "current state", this.options.wall.epochMs()), 1, true, "event");
    this.alarmsDirty = true;
    this.scheduleFlush();
  }

  // ---- commands ----

  private onMessage(topic: string, payload: string, tooLarge: boolean): void {
    const command = this.topics.commands.find((c) => c.topic === topic);
    if (command && this.config.commands) this.commands.handle(command, payload, tooLarge);
  }
}
