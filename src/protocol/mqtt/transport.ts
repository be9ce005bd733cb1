// The small transport the MQTT client runs on: one connection attempt at a time, bound by
// MQTT.js on host-sim (host-sim/mqtt/mqttjs-transport.ts) and Moddable's ECMA-419
// `embedded:network/mqtt/client` on the device (src/device/mqtt-transport.ts).
// Reconnection, queueing and QoS 1 delivery tracking live above it, in the shared code.

export type QoS = 0 | 1;

export interface MqttWill {
  readonly topic: string;
  readonly payload: string;
  readonly qos: QoS;
  readonly retain: boolean;
}

export interface MqttConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  readonly keepaliveS: number;
  readonly will: MqttWill;
}

/** What a link reports; called from the platform's I/O callbacks, never re-entrantly
 *  from inside a link method. */
export interface MqttLinkHandler {
  /** CONNACK accepted: publishing may begin. */
  onConnected(): void;
  /** The attempt failed or the connection is gone (no further callbacks). */
  onClosed(reason: string): void;
  /** A PUBLISH arrived on a subscribed topic (payload as text; `tooLarge` when it was
   *  longer than the transport reads, then `payload` is ""). */
  onMessage(topic: string, payload: string, tooLarge: boolean): void;
  /** The broker acknowledged the QoS 1 publish `token` (PUBACK). */
  onAcknowledged(token: number): void;
  /** Room to send again after a publish returned false. */
  onWritable(): void;
}

export interface MqttLink {
  /** Hands one message to the socket. QoS 1 messages carry `token` (1..65535, the packet
   *  id), acknowledged through onAcknowledged. False: no room now (nothing was sent;
   *  onWritable follows). Never blocks. */
  publish(topic: string, payload: string, qos: QoS, retain: boolean, token: number): boolean;
  subscribe(topics: readonly string[]): void;
  /** Sends DISCONNECT (no will) when `graceful`, then closes; onClosed follows. */
  close(graceful: boolean): void;
}

export interface MqttTransport {
  connect(options: MqttConnectOptions, handler: MqttLinkHandler): MqttLink;
}
