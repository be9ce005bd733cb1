// host-sim's MQTT transport: MQTT.js, one client per connection attempt, its own
// reconnection and offline queue switched off (the shared MqttBridge owns both).
import { isIP } from "node:net";
import mqtt, { type MqttClient } from "mqtt";
import { MAX_COMMAND_BYTES } from "../../src/protocol/mqtt/commands";
import type { MqttConnectOptions, MqttLink, MqttLinkHandler, MqttTransport, QoS } from "../../src/protocol/mqtt/transport";

export interface MqttJsTransportOptions {
  /** PEM CA certificate(s) the broker's certificate must chain to (TLS). */
  readonly ca?: string | Buffer;
  /** Accept any broker certificate (TLS test set-ups only). */
  readonly insecure?: boolean;
  /** Bytes waiting in the socket beyond which publish reports "no room". */
  readonly highWaterBytes?: number;
}

class MqttJsLink implements MqttLink {
  private closed = false;
  private waitingForDrain = false;

  constructor(
    private readonly client: MqttClient,
    private readonly handler: MqttLinkHandler,
    private readonly highWater: number,
  ) {
    let lastError = "connection closed";
    client.on("connect", () => handler.onConnected());
    client.on("error", (error) => {
      lastError = error.message;
    });
    client.on("message", (topic, payload) => {
      const tooLarge = payload.length > MAX_COMMAND_BYTES;
      handler.onMessage(topic, tooLarge ? "" : payload.toString("utf8"), tooLarge);
    });
    client.on("close", () => this.finish(lastError));
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.client.removeAllListeners();
    this.client.on("error", () => {});
    this.client.end(true);
    this.handler.onClosed(reason);
  }

  publish(topic: string, payload: string, qos: QoS, retain: boolean, token: number): boolean {
    if (this.closed || !this.client.connected) return false;
    const stream = this.client.stream as unknown as { writableLength?: number; once(event: string, f: () => void): void };
    if ((stream.writableLength ?? 0) > this.highWater) {
      if (!this.waitingForDrain) {
        this.waitingForDrain = true;
        stream.once("drain", () => {
          this.waitingForDrain = false;
          if (!this.closed) this.handler.onWritable();
        });
      }
      return false;
    }
    this.client.publish(topic, payload, { qos, retain }, (error) => {
      if (!error && qos === 1 && !this.closed) this.handler.onAcknowledged(token);
    });
    return true;
  }

  subscribe(topics: readonly string[]): void {
    if (!this.closed) this.client.subscribe(topics as string[], { qos: 1 });
  }

  close(graceful: boolean): void {
    if (this.closed) return;
    if (!graceful) {
      this.finish("closed by the firmware");
      return;
    }
    this.client.end(false, {}, () => this.finish("disconnected by the firmware"));
  }

  /** Drops the TCP connection without DISCONNECT, as a power cut would (the broker then
   *  publishes the last will). For the ward's "kill a bed". */
  sever(): void {
    (this.client.stream as unknown as { destroy(): void }).destroy();
  }
}

export class MqttJsTransport implements MqttTransport {
  /** The links opened, newest last (the ward severs them to simulate a power cut). */
  current: MqttJsLink | null = null;

  constructor(private readonly options: MqttJsTransportOptions = {}) {}

  connect(o: MqttConnectOptions, handler: MqttLinkHandler): MqttLink {
    const client = mqtt.connect({
      host: o.host,
      port: o.port,
      protocol: o.tls ? "mqtts" : "mqtt",
      protocolVersion: 4,
      clientId: o.clientId,
      ...(o.username ? { username: o.username } : {}),
      ...(o.password ? { password: o.password } : {}),
      keepalive: o.keepaliveS,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      queueQoSZero: false,
      resubscribe: false,
      will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: o.will.qos, retain: o.will.retain },
      ...(o.tls ? { ca: this.options.ca, rejectUnauthorized: !this.options.insecure, ...(isIP(o.host) ? {} : { servername: o.host }) } : {}),
    });
    const link = new MqttJsLink(client, handler, this.options.highWaterBytes ?? 256 * 1024);
    this.current = link;
    return link;
  }

  /** Cuts the current connection without DISCONNECT (the broker sends the last will). */
  sever(): void {
    this.current?.sever();
  }
}
