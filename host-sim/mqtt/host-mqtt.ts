// host-sim's MQTT wiring: the shared MqttBridge on MQTT.js, for `npm start`, the ward and
// the tests. The configuration is the plain MqttConfig (src/protocol/mqtt/mqtt-config.ts).
import type { IncubatorApi } from "../../src/core/api";
import { FIRMWARE_VERSION } from "../../src/core/firmware-version";
import type { MonotonicClock, Timers, WallClock } from "../../src/core/types";
import { MqttBridge, type MqttBridgeOptions } from "../../src/protocol/mqtt/mqtt-bridge";
import type { MqttConfig } from "../../src/protocol/mqtt/mqtt-config";
import { MqttJsTransport, type MqttJsTransportOptions } from "./mqttjs-transport";


export interface HostMqttOptions extends Partial<Omit<MqttBridgeOptions, "api" | "transport" | "config" | "clock" | "timers" | "wall">> {
  readonly api: IncubatorApi;
  readonly config: MqttConfig;
  readonly time: MonotonicClock & Timers & WallClock;
  readonly tls?: MqttJsTransportOptions;
}

export function createHostMqtt(options: HostMqttOptions): { bridge: MqttBridge; transport: MqttJsTransport } {
  const { api, config, time, tls, ...rest } = options;
  const transport = new MqttJsTransport(tls ?? {});
  const bridge = new MqttBridge({
    random: Math.random,
    firmware: FIRMWARE_VERSION,
    defaultDeviceId: "INCUNEST_SIM",
    system: () => ({ wifiRssi: null, heapFree: null }),
    ...rest,
    api,
    transport,
    config,
    clock: time,
    timers: time,
    wall: time,
  });
  return { bridge, transport };
}
