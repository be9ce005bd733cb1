// What /api/status reports about the device that the core does not know: identity,
// versions, uptime, Wi-Fi and memory. Each platform passes its own (device: Moddable's
// instrumentation and Wi-Fi; host-sim: Node's process figures and the host's address).

export interface WifiStatus {
  readonly connected: boolean;
  readonly ssid: string | null;
  /** dBm, null where unknown. */
  readonly rssi: number | null;
  readonly ip: string | null;
}

export interface MemoryFigures {
  /** Bytes free for the firmware's heap, null where the platform cannot tell. */
  readonly heapFree: number | null;
  readonly heapTotal: number | null;
  /** Where the figures come from, e.g. "moddable-instrumentation" or "node". */
  readonly source: string;
}

/** Reads the memory figures (an injected interface: Moddable's instrumentation on the
 *  device, Node's process on host-sim). */
export interface MemoryProbe {
  read(): MemoryFigures;
}

export interface SystemInfo {
  readonly deviceId: string;
  readonly firmwareVersion: string;
  readonly hardwareVersion: string;
  /** Seconds since boot. */
  uptimeS(): number;
  wifi(): WifiStatus;
  readonly memory: MemoryProbe;
  /** The MQTT and host name settings GET /api/config shows (read-only here). */
  network(): { readonly hostname: string; readonly mqttEnabled: boolean };
}
