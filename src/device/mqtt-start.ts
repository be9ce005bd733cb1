// The device's MQTT: the manifest's `config.mqtt`, overridable on the mcconfig command line
// with `mqtt.broker=10.0.0.5 mqtt.enabled=true` (mcconfig passes those as flat string keys),
// merged with the stored record when a RecordStore is given, validated
// by the shared MqttConfig, run by the shared MqttBridge over the ECMA-419 client.
import Net from "net";
import type { IncubatorApi } from "../core/api";
import { FIRMWARE_VERSION } from "../core/firmware-version";
import type { RecordStore } from "../core/record-store";
import type { MonotonicClock, Timers, WallClock } from "../core/types";
import { loadMqttConfig } from "../protocol/mqtt/config-record";
import { MqttBridge } from "../protocol/mqtt/mqtt-bridge";
import { DEFAULT_MQTT_CONFIG, validateMqttConfig } from "../protocol/mqtt/mqtt-config";
import { DEVICE_OUTBOX_LIMITS } from "../protocol/mqtt/outbox";
import { DeviceMqttTransport } from "./mqtt-transport";

export interface DeviceMqttOptions {
  readonly api: IncubatorApi;
  /** The manifest's whole `config` (mc/config): its `mqtt` object and `mqtt.*` overrides. */
  readonly manifest: Readonly<Record<string, unknown>>;
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
/** `config.mqtt` with the command line's `mqtt.<field>=<text>` overrides, typed like the defaults. */
function manifestFields(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...((config.mqtt ?? {}) as Record<string, unknown>) };
  for (const key of Object.keys(config)) {
    if (!key.startsWith("mqtt.")) continue;
    const name = key.slice(5);
    const text = String(config[key]);
    const kind = typeof (DEFAULT_MQTT_CONFIG as unknown as Record<string, unknown>)[name];
    fields[name] = kind === "boolean" ? text === "true" || text === "1" : kind === "number" ? Number(text) : text;
  }
  return fields;
}

export function startDeviceMqtt(options: DeviceMqttOptions): MqttBridge | null {
  const { dns, ...fields } = manifestFields(options.manifest);
  const base = validateMqttConfig(fields);
  if (!base.ok) {
    for (const e of base.errors) options.log(`manifest config: ${e}`, "warning");
    return null;
  }
  const loaded = options.store ? loadMqttConfig(options.store, base.config) : { config: base.config, problems: [] as string[] };
  for (const p of loaded.problems) options.log(p, "warning");
  const config = loaded.config;
  if (!config.enabled) return null;
  if (config.use_tls) {
    options.log("MQTT not started: TLS is not built into this firmware yet (docs/mqtt.md); use the broker's plain listener", "warning");
    return null;
  }
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
