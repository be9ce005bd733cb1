// The bridge's connection to the broker: connects (with a last will saying offline), gives
// up an attempt without CONNACK, reconnects after an exponential back-off with jitter, and
// sends the outbox while the link takes it. A link is tied to one generation: what a
// replaced or dropped link reports afterwards is ignored.
import type { TimerHandle, Timers, WallClock } from "../../core/types";
import { Backoff } from "./backoff";
import type { MqttConfig } from "./mqtt-config";
import type { Outbox } from "./outbox";
import { encodeOffline } from "./payloads";
import type { TopicMap } from "./topics";
import type { MqttLink, MqttLinkHandler, MqttTransport } from "./transport";

export type LinkState = "disabled" | "connecting" | "connected" | "waiting" | "stopped";

export interface BrokerConnectionOptions {
  readonly transport: MqttTransport;
  readonly timers: Timers;
  readonly wall: WallClock;
  /** 0 ≤ x < 1, for the back-off jitter. */
  readonly random: () => number;
  readonly log?: (text: string, level: "info" | "warning") => void;
  /** A connection attempt without CONNACK by then is given up. */
  readonly connectTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
}

/** The bridge as its connection sees it: made once; the getters read what is in force at
 *  each use (a new configuration replaces the config, the device id and the topics). */
export interface ConnectionOwner {
  readonly config: MqttConfig;
  readonly deviceId: string;
  readonly topics: TopicMap;
  /** Connected: subscribe, and queue what every connection starts with (sent right after). */
  onConnected(link: MqttLink): void;
  onMessage(topic: string, payload: string, tooLarge: boolean): void;
}

export function brokerLabel(config: MqttConfig): string {
  return `${config.use_tls ? "mqtts" : "mqtt"}://${config.broker}:${config.port}`;
}

export class BrokerConnection {
  private link: MqttLink | null = null;
  private linkState: LinkState = "stopped";
  private generation = 0;
  private retryTimer: TimerHandle | null = null;
  private connectTimer: TimerHandle | null = null;
  private blocked = false;
  private readonly backoff: Backoff;
  private connectCount = 0;
  private lastErrorText: string | null = null;

  constructor(
    private readonly options: BrokerConnectionOptions,
    private readonly outbox: Outbox,
    private readonly owner: ConnectionOwner,
  ) {
    this.backoff = new Backoff(options.random, options.backoffBaseMs ?? 1000, options.backoffMaxMs ?? 20_000);
  }

  get state(): LinkState {
    return this.linkState;
  }

  get connects(): number {
    return this.connectCount;
  }

  get lastError(): string | null {
    return this.lastErrorText;
  }

  /** MQTT is switched off in the configuration: no connection is made. */
  disable(): void {
    this.linkState = "disabled";
  }

  /** The next connection attempt comes at once, the back-off starting again. */
  resetBackoff(): void {
    this.backoff.reset();
  }

  connect(): void {
    this.retryTimer = null;
    const generation = ++this.generation;
    this.linkState = "connecting";
    const c = this.owner.config;
    const handler: MqttLinkHandler = {
      onConnected: () => generation === this.generation && this.onConnected(),
      onClosed: (reason) => generation === this.generation && this.onClosed(reason),
      onMessage: (topic, payload, tooLarge) => generation === this.generation && this.owner.onMessage(topic, payload, tooLarge),
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
          host: c.broker, port: c.port, tls: c.use_tls, clientId: c.client_id || this.owner.deviceId.toLowerCase(),
          username: c.username, password: c.password, keepaliveS: c.keepalive,
          will: { topic: this.owner.topics.status, payload: encodeOffline(this.options.wall.epochMs()), qos: 1, retain: true },
        },
        handler,
      );
    } catch (error) {
      this.link = null;
      this.onClosed(`connect failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stops: with `graceful`, the retained status says offline and the broker gets a
   *  DISCONNECT (so no last will); without, the connection is just dropped. */
  stop(graceful: boolean): void {
    this.retryTimer?.cancel();
    this.retryTimer = null;
    this.connectTimer?.cancel();
    this.connectTimer = null;
    const link = this.link;
    this.link = null;
    this.generation++;
    this.linkState = "stopped";
    if (link) {
      if (graceful) link.publish(this.owner.topics.status, encodeOffline(this.options.wall.epochMs()), 0, true, 0);
      link.close(graceful);
    }
  }

  /** Sends what the outbox holds while the link takes it. */
  pump(): void {
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

  private drop(reason: string): void {
    const link = this.link;
    this.onClosed(reason);
    link?.close(false);
  }

  private onConnected(): void {
    this.connectTimer?.cancel();
    this.connectTimer = null;
    this.linkState = "connected";
    this.connectCount++;
    this.backoff.reset();
    this.blocked = false;
    this.log(`connected to ${brokerLabel(this.owner.config)} as ${this.owner.deviceId}`);
    this.owner.onConnected(this.link!);
    this.pump();
  }

  private onClosed(reason: string): void {
    this.connectTimer?.cancel();
    this.connectTimer = null;
    this.link = null;
    this.generation++;
    this.outbox.requeueInFlight();
    if (this.linkState === "stopped") return;
    if (this.linkState === "connected") this.log(`connection to ${brokerLabel(this.owner.config)} lost: ${reason}`, "warning");
    this.lastErrorText = reason;
    this.linkState = "waiting";
    const delay = this.backoff.next();
    this.retryTimer = this.options.timers.after(delay, () => this.connect());
  }

  private log(text: string, level: "info" | "warning" = "info"): void {
    this.options.log?.(`mqtt: ${text}`, level);
  }
}
