// XS entry: the whole firmware but its transports - core, alarms, drivers on the simulated
// board and plant (src/device/hardware-sim, as in Moddable's simulator), persistence, and
// one /ws client subscribed to everything - on simulated time. Used by
// tests/xs/firmware-on-xs.test.ts (XS vs Node, tick by tick) and host-sim/bench/xs-bench.ts.
import type { Snapshot } from "../../../src/core/api";
import { Incubator } from "../../../src/core/incubator";
import { AbRecordStore } from "../../../src/core/ab-record-store";
import { loadBootRecords, persistAlarmHistoryTo, persistSettingsTo } from "../../../src/core/boot-records";
import { PreferenceSlots } from "../../../src/core/preference-slots";
import { decodeSettingsRecord } from "../../../src/core/settings-record";
import { SimEsp32Preference } from "../../support/sim-esp32-preference";
import { openHardware } from "../../../src/device/hardware-sim";
import { SIM_DEVICE_CONFIG } from "../../../host-sim/bench/sim-device-config";
import type { Connection } from "../../../src/net/endpoint";
import { IncuNestEndpoint } from "../../../src/protocol/incunest/endpoint";
import { SimTime } from "../../../host-sim/sim-time";
import { TEST_ORIGIN } from "../../support/origin";

/** FNV-1a, 32 bits, as 8 hex digits: a per-tick fingerprint of the snapshot text. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}


/**
 * What the operator does: "hour" is the warm-up and hour of operation the XS comparison
 * checks; "alarm-churn" starts therapy the same way, then from the first minute lowers the
 * air setpoint to its minimum (20 °C, below the 25 °C room) and raises it back every 10 s,
 * so TEMP_HIGH is raised and cleared every 20 s and acknowledged now and then: the alarm
 * history (50 entries) is full after about 20 minutes, and everything an alarm touches
 * (occurrences, events, persistence of the history) keeps turning over.
 */
export type Scenario = "hour" | "alarm-churn";

/** The alarm churn: from which second, its cycle, the two setpoints, how often it acknowledges. */
const CHURN = Object.freeze({ fromSecond: 60, cycleSeconds: 20, lowC: 20, highC: 36, acknowledgeEvery: 5 });

class Firmware {
  readonly time = new SimTime();
  /** The device's record store over a simulated ESP32 `preference`; writes run at once
   *  (no timers here), so a command is stored before it takes effect within the call. */
  readonly flash = new SimEsp32Preference();
  readonly records = new AbRecordStore({ medium: new PreferenceSlots(this.flash), schedule: (work) => work() });
  readonly incubator: Incubator;
  /** Everything the /ws client received, fingerprinted per frame. */
  wsFrames = 0;
  wsBytes = 0;
  wsLast = "";

  constructor(private readonly scenario: Scenario = "hour") {
    const boot = loadBootRecords(this.records);
    const persist = persistSettingsTo(this.records);
    const hardware = openHardware(SIM_DEVICE_CONFIG, this.time, () => {});
    this.incubator = new Incubator({
      clock: this.time,
      wall: this.time,
      timers: this.time,
      sensors: hardware.sensors,
      actuators: hardware.actuators,
      alarmSignal: hardware.alarmSignal,
      settings: boot.settings,
      settingsLost: boot.settingsLost,
      alarmHistory: boot.alarmHistory,
      // Written synchronously by the store: the command takes effect in the same call.
      persist: (s) => { void persist(s); },
      persistAlarmHistory: persistAlarmHistoryTo(this.records, this.time),
    });
    const client: Connection = {
      bufferedBytes: 0,
      send: (text: string) => {
        this.wsFrames++;
        this.wsBytes += text.length;
        this.wsLast = text;
        return true;
      },
      close: () => {},
    };
    const endpoint = new IncuNestEndpoint(this.incubator, this.time);
    const session = endpoint.open(client, { path: "/ws", query: {}, remote: "xs-test" });
    session.onMessage(JSON.stringify({ type: "subscribe", channel: "all" }));
    this.incubator.start();
  }

  /** The operator's actions in the scenario, by simulated second. */
  script(second: number): void {
    const run = (action: string, data: unknown) => this.incubator.execute(action, data, TEST_ORIGIN);
    if (second === 5) run("set_state", { state: "start" });
    if (this.scenario === "alarm-churn") {
      const t = second - CHURN.fromSecond;
      if (t < 0) return;
      const phase = t % CHURN.cycleSeconds;
      if (phase === 0) run("set_temperature", { setpoint: CHURN.lowC });
      if (phase === CHURN.cycleSeconds / 2) run("set_temperature", { setpoint: CHURN.highC });
      if (phase === CHURN.cycleSeconds / 2 - 1 && Math.floor(t / CHURN.cycleSeconds) % CHURN.acknowledgeEvery === 0) run("acknowledge_all", {});
      return;
    }
    if (second === 1200) run("set_humidity", { setpoint: 65 });
    if (second === 2700) run("set_temperature", { setpoint: 35.5 });
    if (second === 3000) run("acknowledge_all", {});
  }

  second = 0;

  /** Advances `seconds` of simulated time; a fingerprint of every tick's snapshot if asked. */
  advance(seconds: number, prints: string[] | null): void {
    for (let i = 0; i < seconds; i++) {
      this.script(this.second);
      this.time.advance(1000);
      this.second++;
      if (prints) prints.push(fnv1a(JSON.stringify(this.incubator.snapshot())));
    }
  }
}

let firmware: Firmware | null = null;

export type FirmwareRunInput =
  | { readonly op: "run"; readonly seconds: number } // fresh firmware, fingerprints of every tick
  | { readonly op: "snapshotAt"; readonly seconds: number } // fresh firmware, the snapshot after that many seconds
  | { readonly op: "start"; readonly scenario?: Scenario } // fresh firmware kept for later calls ("hour" unless said)
  | { readonly op: "advance"; readonly seconds: number }
  | { readonly op: "tick" } // exactly one control tick (with its /ws sensor_update)
  | { readonly op: "status" } // where the kept firmware is: for the heap test's preconditions
  | { readonly op: "noop" };

export interface FirmwareStatus {
  readonly second: number;
  readonly state: string;
  readonly alarmHistory: number;
  readonly lastAlarmId: number;
}

export function run(input: FirmwareRunInput): unknown {
  switch (input.op) {
    case "run": {
      const f = new Firmware();
      const prints: string[] = [];
      f.advance(input.seconds, prints);
      const s: Snapshot = f.incubator.snapshot();
      const settings = decodeSettingsRecord(f.records.load("settings") ?? "");
      return { prints, state: s.state, air: s.air, seq: s.seq, alarms: s.alarms.map((a) => a.code), wsFrames: f.wsFrames, wsBytes: f.wsBytes, stored: settings.ok ? settings.settings : null, slots: f.flash.keys("incunest-rec").sort() };
    }
    case "snapshotAt": {
      const f = new Firmware();
      f.advance(input.seconds, null);
      return f.incubator.snapshot();
    }
    case "start":
      firmware = new Firmware(input.scenario);
      return firmware.second;
    case "advance":
      if (!firmware) throw new Error("advance before start");
      firmware.advance(input.seconds, null);
      return firmware.second;
    case "tick": {
      if (!firmware) throw new Error("tick before start");
      const before = firmware.wsFrames;
      firmware.advance(1, null);
      return firmware.wsFrames - before;
    }
    case "status": {
      if (!firmware) throw new Error("status before start");
      const history = firmware.incubator.alarmHistory();
      const status: FirmwareStatus = {
        second: firmware.second,
        state: firmware.incubator.snapshot().state,
        alarmHistory: history.length,
        lastAlarmId: history.length > 0 ? history[history.length - 1].id : 0,
      };
      return status;
    }
    case "noop":
      return 0;
  }
}
