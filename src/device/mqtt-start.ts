// The device's MQTT: the manifest's `config.mqtt` (overridable with mcconfig
// `mqtt.broker=…`), merged with the stored record when a RecordStore is given, validated
// by the shared MqttConfig, run by the shared MqttBridge over the ECMA-419 client.
import Net from "net";
import type { IncubatorApi } from "../core/api";
import type { RecordStore } from "../core/record-store";
import type { MonotonicClock, Timers, WallClock } from "../core/types";
import { loadMqttConfig } from "../protocol/mqtt/config-record";
import { MqttBridge } from "../protocol/mqtt/mqtt-bridge";
import { validateMqttConfig } from "../protocol/mqtt/mqtt-config";
import { DEVICE_OUTBOX_LIMITS } from "../protocol/mqtt/outbox";
import { DeviceMqttTransport } from "./mqtt-transport";

export const FIRMWARE_VERSION = "0.1.0";

export interface DeviceMqttOptions {
  readonly api: IncubatorApi;
  /** The manifest's `config.mqtt` object. */
  readonly manifest: unknown;
  readonly store?: RecordStore;
  readonly clock: MonotonicClock & Timers;
  readonly wall: WallClock;
  readonly log: (text: string, level?: "info" | "warning") => void;
}

function netValue(what: string): unknown {
  try {
    return (Net.get as (what: string) => unknown)(what);
  } catch {
    return null;
  }
}

/** INCUNEST_ and the last six hex digits of the MAC address (the label on the board). */
function defaultDeviceId(): string {
  const mac = String(netValue("MAC") ?? "").replace(/:/g, "").toUpperCase();
  return mac.length >= 6 ? `INCUNEST_${mac.slice(-6)}` : "INCUNEST_SIM";
}

function dnsServers(manifestDns: unknown): readonly string[] {
  if (typeof manifestDns === "string" && manifestDns !== "") return manifestDns.split(",");
  const value = netValue("DNS");
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Starts MQTT when configured (enabled with a broker); returns the bridge, or null. */
export function startDeviceMqtt(options: DeviceMqttOptions): MqttBridge | null {
  const { dns, ...fields } = (options.manifest ?? {}) as Record<string, unknown>;
  const base = validateMqttConfig(fields);
  if (!base.ok) {
    for (const e of base.errors) options.log(`manifest config: ${e}`, "warning");
    return null;
  }
  const loaded = options.store ? loadMqttConfig(options.store, base.config) : { config: base.config, problems: [] as string[] };
  for (const p of loaded.problems) options.log(p, "warning");
  const config = loaded.config;
  if (!config.enabled) return null;
  const bridge = new MqttBridge({
    api: options.api,
    transport: new DeviceMqttTransport(() => dnsServers(dns), (text) => options.log(text, "warning")),
    config,
    defaultDeviceId: defaultDeviceId(),
    clock: options.clock,
    timers: options.clock,
    wall: options.wall,
    random: Math.random,
    firmware: FIRMWARE_VERSION,
    system: () => {
      const rssi = Number(netValue("RSSI"));
      return { wifiRssi: Number.isFinite(rssi) && rssi !== 0 ? rssi : null, heapFree: null };
    },
    limits: DEVICE_OUTBOX_LIMITS,
    log: options.log,
  });
  bridge.start();
  options.log(`MQTT to ${bridge.stats().broker}, topics ${bridge.topicMap.base}/…`);
  return bridge;
}
