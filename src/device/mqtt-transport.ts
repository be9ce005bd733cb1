// The device's MQTT transport: Moddable's ECMA-419 client (`embedded:network/mqtt/client`,
// QoS 0 and 1, CONNECT with a last will) over `embedded:io/socket/tcp`, behind the shared
// MqttTransport (src/protocol/mqtt/transport.ts). Thin on purpose: queueing, QoS 1
// tracking and reconnection live in the shared MqttBridge. Sends never wait: a message
// larger than the free socket buffer goes out in fragments as the socket drains (the lin
// simulator's socket buffer is 1 kB), and nothing else is written until it is done.
// Every callback catches: an exception escaping a native callback aborts XS.
import MQTTClient from "embedded:network/mqtt/client";
import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";
import Resolver from "embedded:network/dns/resolver/udp";
import { MAX_COMMAND_BYTES } from "../protocol/mqtt/commands";
import type { MqttConnectOptions, MqttLink, MqttLinkHandler, MqttTransport, QoS } from "../protocol/mqtt/transport";

/** What the client passes to onControl (one argument: mqttclient.js `#parsed`). */
interface ControlMessage {
  readonly operation: number;
  readonly id?: number;
  readonly returnCode?: number;
}

function remainingLengthBytes(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}

class DeviceMqttLink implements MqttLink {
  private client: MQTTClient | null;
  private connected = false;
  /** Bytes the client says can be written now (its count, less its own overhead). */
  private writable = 0;
  /** The unsent tail of a fragmented PUBLISH. */
  private rest: Uint8Array | null = null;
  private subscribeWaiting: readonly string[] | null = null;
  private inbound: { topic: string; parts: ArrayBuffer[]; bytes: number; tooLarge: boolean } | null = null;

  constructor(options: MqttConnectOptions, private readonly handler: MqttLinkHandler, dnsServers: readonly string[], private readonly log: (text: string) => void) {
    if (options.tls) throw new Error("TLS is not built into this firmware: use a broker's plain listener on the hospital network (docs/mqtt.md)");
    this.client = new MQTTClient({
      host: options.host,
      port: options.port,
      id: options.clientId,
      ...(options.username ? { user: options.username } : {}),
      ...(options.password ? { password: options.password } : {}),
      keepAlive: options.keepaliveS * 1000,
      clean: true,
      will: { topic: options.will.topic, message: ArrayBuffer.fromString(options.will.payload), QoS: options.will.qos, retain: options.will.retain },
      dns: { io: Resolver, servers: [...dnsServers], socket: { io: UDP } },
      socket: { io: TCP },
      // The SDK's typings declare (opcode, message); the client calls onControl(message).
      onControl: (message: unknown) => this.guard(() => this.control(message as ControlMessage)),
      onReadable: (count, more) => this.guard(() => this.readable(count, more)),
      onWritable: (count) => this.guard(() => this.drained(count)),
      onError: () => this.guard(() => this.lost("connection failed or lost")),
    });
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.log(`mqtt transport: ${String(error)}`);
    }
  }

  private control(message: ControlMessage): void {
    if (message.operation === MQTTClient.CONNACK) {
      this.connected = true;
      this.handler.onConnected();
    } else if (message.operation === MQTTClient.PUBACK && message.id !== undefined) {
      this.handler.onAcknowledged(message.id);
    }
  }

  private readable(count: number, options: { more: boolean; topic?: string; byteLength?: number }): void {
    const client = this.client;
    if (!client) return;
    if (options.topic !== undefined) {
      this.inbound = { topic: options.topic, parts: [], bytes: 0, tooLarge: (options.byteLength ?? 0) > MAX_COMMAND_BYTES };
    }
    const data = client.read(count);
    const inbound = this.inbound;
    if (!inbound) return;
    if (!inbound.tooLarge && data) {
      inbound.parts.push(data);
      inbound.bytes += data.byteLength;
    }
    if (options.more) return;
    this.inbound = null;
    let text = "";
    if (!inbound.tooLarge) {
      const whole = new Uint8Array(inbound.bytes);
      let at = 0;
      for (const part of inbound.parts) {
        whole.set(new Uint8Array(part), at);
        at += part.byteLength;
      }
      text = String.fromArrayBuffer(whole.buffer);
    }
    this.handler.onMessage(inbound.topic, text, inbound.tooLarge);
  }

  private drained(count: number): void {
    this.writable = count;
    const client = this.client;
    if (!client) return;
    if (this.rest) {
      const rest = this.rest;
      const n = Math.min(rest.byteLength, this.writable);
      if (n <= 0) return;
      this.writable = client.write(rest.subarray(0, n), undefined as never);
      this.rest = n < rest.byteLength ? rest.subarray(n) : null;
      if (this.rest) return;
    }
    if (this.subscribeWaiting) this.subscribe(this.subscribeWaiting);
    this.handler.onWritable();
  }

  private lost(reason: string): void {
    if (!this.client) return;
    // The client closes itself after onError.
    this.client = null;
    this.connected = false;
    this.handler.onClosed(reason);
  }

  publish(topic: string, payload: string, qos: QoS, retain: boolean, token: number): boolean {
    const client = this.client;
    if (!client || !this.connected || this.rest) return false;
    const bytes = new Uint8Array(ArrayBuffer.fromString(payload));
    const topicBytes = ArrayBuffer.fromString(topic).byteLength;
    const variable = 2 + topicBytes + (qos ? 2 : 0);
    const head = 1 + remainingLengthBytes(variable + bytes.byteLength) + variable;
    let first = bytes.byteLength;
    if (head + first > this.writable) {
      // Fragment only when a useful part fits; otherwise wait for the socket to drain.
      first = this.writable - head;
      if (first < 64) return false;
    }
    try {
      this.writable = client.write(first === bytes.byteLength ? bytes : bytes.subarray(0, first), { topic, QoS: qos, retain, id: token, byteLength: bytes.byteLength });
    } catch {
      return false; // "overflow": nothing was written
    }
    if (first < bytes.byteLength) this.rest = bytes.subarray(first);
    return true;
  }

  subscribe(topics: readonly string[]): void {
    const client = this.client;
    if (!client) return;
    try {
      client.write(new ArrayBuffer(0), { operation: MQTTClient.SUBSCRIBE, topic: "", items: topics.map((topic) => ({ topic, QoS: 1 })) });
      this.subscribeWaiting = null;
    } catch {
      this.subscribeWaiting = topics; // no room yet: again once the socket drains
    }
  }

  close(graceful: boolean): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.connected = false;
    if (graceful) {
      try {
        client.write(new ArrayBuffer(0), { operation: MQTTClient.DISCONNECT, topic: "" });
      } catch {
        // no room for DISCONNECT: the broker will send the last will, as after a power cut
      }
    }
    client.close();
  }
}

export class DeviceMqttTransport implements MqttTransport {
  constructor(
    private readonly dnsServers: () => readonly string[],
    private readonly log: (text: string) => void,
  ) {}

  connect(options: MqttConnectOptions, handler: MqttLinkHandler): MqttLink {
    return new DeviceMqttLink(options, handler, this.dnsServers(), this.log);
  }
}
