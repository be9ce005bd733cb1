// A real MQTT.js subscriber (the nurse station's, Home Assistant's view of the broker)
// that records every message it receives.
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";

export interface Received {
  readonly topic: string;
  readonly text: string;
  readonly retain: boolean;
  readonly qos: number;
  readonly atMs: number;
}

export class Subscriber {
  readonly messages: Received[] = [];

  private constructor(readonly client: MqttClient) {
    client.on("message", (topic, payload, packet) => {
      this.messages.push({ topic, text: payload.toString("utf8"), retain: packet.retain, qos: packet.qos, atMs: Date.now() });
    });
  }

  static async connect(url: string, topics: string[], options: IClientOptions = {}): Promise<Subscriber> {
    const client = mqtt.connect(url, { reconnectPeriod: 200, protocolVersion: 4, ...options });
    client.on("error", () => {});
    const s = new Subscriber(client);
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    await client.subscribeAsync(topics, { qos: 1 });
    return s;
  }

  on(topic: string): Received[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  json(topic: string): any[] {
    return this.on(topic).map((m) => JSON.parse(m.text));
  }

  publish(topic: string, payload: string): Promise<unknown> {
    return this.client.publishAsync(topic, payload, { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
