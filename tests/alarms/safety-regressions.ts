// Every run of the safety property that ever failed, kept as a fixed case (the schedule and
// the rig seed as fast-check reported them), so a fix stays fixed and CI never depends on luck.
// Add a failing run here with what it broke; never remove one.
import type { Schedule } from "./safety-properties.test";

export interface SafetyRegression {
  /** How it was found. */
  readonly found: string;
  /** What it broke, and the cause that was fixed. */
  readonly broke: string;
  readonly runSeed: number;
  readonly schedule: Schedule;
}

export const SAFETY_REGRESSIONS: readonly SafetyRegression[] = [
  {
    found: "SAFETY_SEED=5001 SAFETY_RUNS=17",
    broke: "false HEATER_FAULT: a porthole closing in FAULT with the fan stalled, the hood re-warmed the air 1.61 °C in 5 min",
    runSeed: 11,
    schedule: [
      [{ t: "setTemp", v: 25.2, override: false }, 1073],
      [{ t: "state", s: "start" }, 1972],
      [{ t: "humidifier", v: "stuck" }, 361],
      [{ t: "state", s: "start" }, 582],
      [{ t: "mode", m: "skin" }, 2019],
      [{ t: "humidifier", v: "dead" }, 1483],
      [{ t: "mode", m: "skin" }, 2400],
      [{ t: "fan", stalled: true }, 1059],
      [{ t: "porthole", s: 441 }, 1680],
      [{ t: "clear" }, 11],
      [{ t: "ack", k: 0 }, 1386],
      [{ t: "mode", m: "skin" }, 5],
      [{ t: "porthole", s: 28 }, 9],
      [{ t: "heaterStuck", v: false }, 749],
      [{ t: "porthole", s: 790 }, 852],
      [{ t: "state", s: "start" }, 2092],
      [{ t: "setTemp", v: 34, override: true }, 2398],
      [{ t: "sensor", ch: "skin", f: {offset: 0.2} }, 2355],
      [{ t: "mode", m: "air" }, 11],
      [{ t: "state", s: "start" }, 519],
      [{ t: "setTemp", v: 15, override: false }, 5],
      [{ t: "ackAll" }, 1731],
      [{ t: "ack", k: 4 }, 158],
      [{ t: "setTemp", v: 22.5, override: false }, 1796],
      [{ t: "heaterOpen", v: true }, 1179],
      [{ t: "setTemp", v: 17.2, override: true }, 286],
      [{ t: "ack", k: 2 }, 2289],
      [{ t: "state", s: "standby" }, 1926],
      [{ t: "sensor", ch: "probeAir", f: "crc" }, 12],
      [{ t: "room", c: 30 }, 2274],
      [{ t: "mode", m: "skin" }, 8],
      [{ t: "state", s: "reset" }, 1],
    ],
  },
  {
    found: "SAFETY_SEED=5009 SAFETY_RUNS=22",
    broke: "false HEATER_FAULT: a porthole closing in STANDBY (fan stopped), the hood re-warmed the air 1.42 °C in 5 min",
    runSeed: 21,
    schedule: [
      [{ t: "ack", k: 1 }, 7],
      [{ t: "state", s: "reset" }, 642],
      [{ t: "clear" }, 2005],
      [{ t: "ack", k: 2 }, 697],
      [{ t: "ack", k: 4 }, 325],
      [{ t: "porthole", s: 511 }, 2],
      [{ t: "state", s: "stop" }, 765],
      [{ t: "state", s: "reset" }, 860],
      [{ t: "heaterOpen", v: false }, 1511],
      [{ t: "clear" }, 1614],
      [{ t: "ack", k: 2 }, 2394],
      [{ t: "state", s: "standby" }, 1029],
      [{ t: "state", s: "reset" }, 558],
      [{ t: "ack", k: 2 }, 1911],
      [{ t: "setHum", v: 81 }, 5],
      [{ t: "porthole", s: 14 }, 646],
      [{ t: "state", s: "standby" }, 1114],
      [{ t: "sensor", ch: "air", f: "crc" }, 1252],
      [{ t: "setTemp", v: 22.1, override: false }, 2136],
      [{ t: "setTemp", v: 15.3, override: true }, 249],
      [{ t: "ack", k: 3 }, 149],
      [{ t: "state", s: "start" }, 987],
      [{ t: "state", s: "standby" }, 2389],
      [{ t: "ackAll" }, 1427],
      [{ t: "setHum", v: 24 }, 1851],
      [{ t: "setTemp", v: 42, override: false }, 290],
      [{ t: "setTemp", v: 24.1, override: false }, 10],
      [{ t: "heaterStuck", v: true }, 2292],
      [{ t: "clear" }, 2395],
      [{ t: "porthole", s: 151 }, 1385],
      [{ t: "heaterStuck", v: false }, 980],
    ],
  },
];
