// The incubator on MQTT: publishes status, sensors, alarms and state under
// `incunest/{device_id}/`, answers the command topics through the core's `execute`,
// announces itself to Home Assistant, and keeps its connection to the broker alive
// (exponential back-off with jitter). The control tick only hands over a reference: all
// encoding and sending runs after it, scheduled by the platform.
import type { AlarmInfo, CommandOrigin, CommandResult, IncubatorApi, IncubatorEvent, Snapshot } from "../../core/api";
import type { IncubatorState, MonotonicClock, TimerHandle, Timers, WallClock } from "../../core/types";
import { Backoff } from "./backoff";
import { MqttCommandHandler } from "./command-handler";
import { discoveryMessages } from "./discovery";
import type { MqttConfig } from "./mqtt-config";
import { Outbox, HOST_OUTBOX_LIMITS, type OutboxLimits } from "./outbox";
import { encodeActiveAlarms, encodeAlarmEvent, encodeOffline, encodeSensors, encodeState, encodeStatus, type AlarmChange } from "./payloads";
import { topicMap, type TopicMap } from "./topics";
import type { MqttLink, MqttLinkHandler, MqttTransport } from "./transport";

export interface MqttBridgeOptions {
  readonly api: IncubatorApi;
  readonly transport: MqttTransport;
  readonly config: MqttConfig;
  /** Used when `config.device_id` is "" (the platform's own id). */
  readonly defaultDeviceId: string;
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  readonly wall: WallClock;
  /** Runs `work` after the current control tick (default: a 0 ms timer). */
  readonly schedule?: (work: () => void) => void;
  /** 0 ≤ x < 1, for the back-off jitter. */
  readonly random: () => number;
  readonly firmware: string;
  /** Wi-Fi RSSI and free heap for the status message (null where there is none). */
  readonly system?: () => { readonly wifiRssi: number | null; readonly heapFree: number | null };
  readonly limits?: OutboxLimits;
  readonly log?: (text: string, level: "info" | "warning") => void;
  /** `config/set` (the REST config's partial JSON); absent: refused with 4001. */
  readonly configure?: (patch: Record<string, unknown>, origin: CommandOrigin) => Promise<CommandResult>;
  readonly statusIntervalMs?: number;
  readonly sensorsIntervalMs?: number;
  /** A connection attempt without CONNACK by then is given up. */
  readonly connectTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
}

export type LinkState = "disabled" | "connecting" | "connected" | "waiting" | "stopped";

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
  private readonly backoff: Backoff;
  private readonly commands: MqttCommandHandler;
  private link: MqttLink | null = null;
  private linkState: LinkState = "stopped";
  private generation = 0;
  private retryTimer: TimerHandle | null = null;
  private connectTimer: TimerHandle | null = null;
  private statusTimer: TimerHandle | null = null;
  private unsubscribe: (() => void) | null = null;
  private latest: Snapshot | null = null;
  private lastSensorsMs = -Infinity;
  private sensorsDue = false;
  private alarmsDirty = false;
  private pending: PendingEvent[] = [];
  private flushScheduled = false;
  private blocked = false;
  private readonly bootMs: number;
  private connects = 0;
  private lastError: string | null = null;
  private readonly flushTask = () => this.flush();

  constructor(private readonly options: MqttBridgeOptions) {
    this.config = options.config;
    this.deviceId = options.config.device_id || options.defaultDeviceId;
    this.topics = topicMap(this.deviceId);
    this.outbox = new Outbox(options.limits ?? HOST_OUTBOX_LIMITS);
    this.backoff = new Backoff(options.random, options.backoffBaseMs ?? 1000, options.backoffMaxMs ?? 20_000);
    this.commands = new MqttCommandHandler({
      api: options.api,
      clock: options.clock,
      ...(options.configure ? { configure: options.configure } : {}),
      origin: () => ({ via: "mqtt", client: `${this.config.broker}:${this.config.port}` }),
      respond: (topic, payload) => {
        this.outbox.push(topic, payload, 1, false, "event");
        this.pump();
      },
    });
    this.bootMs = options.clock.now();
  }

  get topicMap(): TopicMap {
    return this.topics;
  }

  stats(): MqttBridgeStats {
    return {
      state: this.linkState,
      broker: this.brokerLabel(),
      deviceId: this.deviceId,
      queued: this.outbox.length,
      inFlight: this.outbox.inFlightCount,
      droppedSensors: this.outbox.droppedSensors,
      droppedEvents: this.outbox.droppedEvents,
      connects: this.connects,
      lastError: this.lastError,
    };
  }

  /** Starts publishing (when the configuration enables MQTT). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.api.subscribe((event) => this.onEvent(event));
    this.latest = this.options.api.snapshot();
    if (!this.config.enabled) {
      this.linkState = "disabled";
      return;
    }
    this.statusTimer = this.options.timers.after(this.options.statusIntervalMs ?? 30_000, () => this.statusTick());
    this.connect();
  }

  /** Stops: with `graceful`, the retained status says offline and the broker gets a
   *  DISCONNECT (so no last will); without, the connection is just dropped. */
  stop(graceful = true): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.statusTimer?.cancel();
    this.statusTimer = null;
    this.retryTimer?.cancel();
    this.retryTimer = null;
    this.connectTimer?.cancel();
    this.connectTimer = null;
    const link = this.link;
    this.link = null;
    this.generation++;
    this.linkState = "stopped";
    if (link) {
      if (graceful) link.publish(this.topics.status, encodeOffline(this.options.wall.epochMs()), 0, true, 0);
      link.close(graceful);
    }
  }

  /** A new configuration (REST, set-up page): the link is rebuilt with it; queued alarms
   *  and state changes stay queued (for the new topics if the device id changed). */
  reconfigure(config: MqttConfig): void {
    const running = this.unsubscribe !== null;
    this.stop(true);
    this.config = config;
    this.deviceId = config.device_id || this.options.defaultDeviceId;
    this.topics = topicMap(this.deviceId);
    this.backoff.reset();
    if (running) this.start();
  }

  private brokerLabel(): string {
    return `${this.config.use_tls ? "mqtts" : "mqtt"}://${this.config.broker}:${this.config.port}`;
  }

  private log(text: string, level: "info" | "warning" = "info"): void {
    this.options.log?.(`mqtt: ${text}`, level);
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
    if (this.linkState === "stopped" || this.linkState === "disabled") return;
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
    this.pump();
  }

  private statusTick(): void {
    this.statusTimer = this.options.timers.after(this.options.statusIntervalMs ?? 30_000, () => this.statusTick());
    this.queueStatus(false);
    this.pump();
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

  // ---- the link ----

  private connect(): void {
    this.retryTimer = null;
    const generation = ++this.generation;
    this.linkState = "connecting";
    const c = this.config;
    const handler: MqttLinkHandler = {
      onConnected: () => generation === this.generation && this.onConnected(),
      onClosed: (reason) => generation === this.generation && this.onClosed(reason),
      onMessage: (topic, payload, tooLarge) => generation === this.generation && this.onMessage(topic, payload, tooLarge),
      onAcknowledged: (token) => {
        if (generation === this.generation && this.outbox.acknowledge(token)) this.pump();
      },
      onWritable: () => {
        if (generation !== this.generation) return;
        this.blocked = false;
        this.pump();
      },
    };
    this.connectTimer = this.options.timers.after(this.options.connectTimeoutMs ?? 15_000, () => {
      this.connectTimer = null;
      if (generation === this.generation && this.linkState === "connecting") this.drop("no CONNACK within the connect timeout");
    });
    try {
      this.link = this.options.transport.connect(
        {
          host: c.broker, port: c.port, tls: c.use_tls, clientId: c.client_id || this.deviceId.toLowerCase(),
          username: c.username, password: c.password, keepaliveS: c.keepalive,
          will: { topic: this.topics.status, payload: encodeOffline(this.options.wall.epochMs()), qos: 1, retain: true },
        },
        handler,
      );
    } catch (error) {
      this.link = null;
      this.onClosed(`connect failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private drop(reason: string): void {
    const link = this.link;
    this.onClosed(reason);
    link?.close(false);
  }

  private onConnected(): void {
    this.connectTimer?.cancel();
    this.connectTimer = null;
    this.linkState = "connected";
    this.connects++;
    this.backoff.reset();
    this.blocked = false;
    this.log(`connected to ${this.brokerLabel()} as ${this.deviceId}`);
    const link = this.link!;
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
    this.pump();
  }

  private onClosed(reason: string): void {
    this.connectTimer?.cancel();
    this.connectTimer = null;
    this.link = null;
    this.generation++;
    this.outbox.requeueInFlight();
    if (this.linkState === "stopped") return;
    if (this.linkState === "connected") this.log(`connection to ${this.brokerLabel()} lost: ${reason}`, "warning");
    this.lastError = reason;
    this.linkState = "waiting";
    const delay = this.backoff.next();
    this.retryTimer = this.options.timers.after(delay, () => this.connect());
  }

  private pump(): void {
    const link = this.link;
    if (!link || this.linkState !== "connected" || this.blocked) return;
    for (;;) {
      const message = this.outbox.next();
      if (!message) return;
      const token = this.outbox.tokenFor(message);
      if (!link.publish(message.topic, message.payload, message.qos, message.retain, token)) {
        this.blocked = true;
        return;
      }
      this.outbox.sent(message, token);
      if (this.link !== link) return; // the transport reported the link gone meanwhile
    }
  }

  // ---- commands ----

  private onMessage(topic: string, payload: string, tooLarge: boolean): void {
    const command = this.topics.commands.find((c) => c.topic === topic);
    if (command && this.config.commands) this.commands.handle(command, payload, tooLarge);
  }
}
