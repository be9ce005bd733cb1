// The reference controllers the benchmark runs beside ours, on the same plant and sensors.
import { CONTROL } from "../../src/core/control-config";
import type { ControlMode, SensorFrame } from "../../src/core/types";
import { FanPolicy } from "../../src/core/fan-policy";
import type { BenchController, ControllerIo } from "./rig";

/** The cut-out every reference gets too, so none runs the air past what the firmware allows. */
const CUTOUT_C = { air: 38.0, skin: 40.0 } as const;
/** In skin mode every controller keeps the air below the firmware's skin-mode air bound. */
const SKIN_MODE_AIR_MAX_C = CONTROL.skinModeAirMaxC;

/**
 * The control law of the Arduino PID library (br3ttb/Arduino-PID-Library, "PID_v1", v1.2):
 * proportional on error, derivative on measurement, the integral accumulated as
 * ki·error per sample and clamped to the output limits, the output clamped too, and a
 * fixed sample time: Compute() does nothing until SampleTime ms have passed, and the
 * gains are scaled by it (ki·Ts, kd/Ts). MANUAL → AUTOMATIC initialises the integral
 * from the current output and the last input from the current input.
 */
export class ArduinoPidV1 {
  private kp = 0;
  private ki = 0;
  private kd = 0;
  private dispKi = 0;
  private outputSum = 0;
  private lastInput = 0;
  private lastTimeMs: number;
  private automatic = false;
  output = 0;

  constructor(kp: number, ki: number, kd: number, private sampleTimeMs: number, private outMin: number, private outMax: number, nowMs: number) {
    this.setTunings(kp, ki, kd);
    this.lastTimeMs = nowMs - sampleTimeMs;
  }

  get tunedKi(): number {
    return this.dispKi;
  }

  setTunings(kp: number, ki: number, kd: number): void {
    const sampleS = this.sampleTimeMs / 1000;
    this.kp = kp;
    this.dispKi = ki;
    this.ki = ki * sampleS;
    this.kd = kd / sampleS;
  }

  setAutomatic(input: number): void {
    if (!this.automatic) {
      // Initialize()
      this.outputSum = Math.min(this.outMax, Math.max(this.outMin, this.output));
      this.lastInput = input;
    }
    this.automatic = true;
  }

  /** Returns true when a new output was computed. */
  compute(input: number, setpoint: number, nowMs: number): boolean {
    if (!this.automatic) return false;
    if (nowMs - this.lastTimeMs < this.sampleTimeMs) return false;
    const error = setpoint - input;
    const dInput = input - this.lastInput;
    this.outputSum += this.ki * error;
    this.outputSum = Math.min(this.outMax, Math.max(this.outMin, this.outputSum));
    let output = this.kp * error + this.outputSum - this.kd * dInput;
    output = Math.min(this.outMax, Math.max(this.outMin, output));
    this.output = output;
    this.lastInput = input;
    this.lastTimeMs = nowMs;
    return true;
  }
}

/**
 * Shared plumbing: a 1 s tick (or faster), setpoints, the cut-out (and in skin mode the
 * firmware's air bound), and the firmware's own fan policy (src/core/fan-policy.ts), so that
 * every controller runs the same fan and only control laws differ: a reference's law asks
 * for heater duty only (no boost), which keeps the fan at its floor while heating. After a mains cut it boots with its setpoints (and therapy)
 * kept, its law's state lost.
 */
export abstract class ReferenceController implements BenchController {
  protected io!: ControllerIo;
  protected mode: ControlMode = "air";
  protected setpoint = { air: 36.0, skin: 36.5, humidity: 60 };
  protected running = false;
  protected frame: SensorFrame | null = null;
  private heater = 0;
  private humidifier = false;
  private fan = new FanPolicy();
  private generation = 0;

  constructor(private readonly tickMs = 1000) {}

  attach(io: ControllerIo): void {
    this.io = io;
    this.boot();
  }

  private boot(): void {
    const generation = ++this.generation;
    const loop = () => {
      if (generation !== this.generation) return;
      this.tick(this.io.time.now());
      this.io.time.after(this.tickMs, loop);
    };
    this.io.time.after(0, loop);
  }

  powerOff(): void {
    this.generation++;
  }

  powerOn(): void {
    this.frame = null;
    this.heater = 0;
    this.humidifier = false;
    this.fan = new FanPolicy();
    this.resetLaw();
    this.boot();
  }

  setMode(mode: ControlMode): void {
    this.mode = mode;
  }

  setTemperature(c: number): void {
    this.setpoint[this.mode] = c;
  }

  setHumidity(rh: number): void {
    this.setpoint.humidity = rh;
  }

  start(): void {
    this.running = true;
  }

  private tick(nowMs: number): void {
    if (this.frame === null || nowMs % 1000 === 0) this.frame = this.io.sensors.sample(nowMs);
    const f = this.frame;
    const controlled = this.mode === "skin" ? f.skin.value : f.air.value;
    const probe = f.probeAir.value;
    if (this.running && controlled !== null && probe !== null) {
      this.heater = this.heat(controlled, this.setpoint[this.mode], nowMs);
      if (probe >= CUTOUT_C[this.mode]) this.heater = 0;
      if (this.mode === "skin" && f.air.value !== null && f.air.value >= SKIN_MODE_AIR_MAX_C) this.heater = 0;
    } else {
      this.heater = 0;
    }
    if (this.running && f.humidity.value !== null) this.humidifier = this.humidify(f.humidity.value, this.setpoint.humidity, nowMs);
    else this.humidifier = false;
    const heaterDuty = this.heater > 1 ? 1 : this.heater > 0 ? this.heater : 0;
    this.io.apply({ heaterDuty, fanDuty: this.fan.duty(nowMs / 1000, this.running, 0), humidifierOn: this.humidifier });
  }

  /** Heater duty 0..1 for the controlled temperature. */
  protected abstract heat(value: number, setpoint: number, nowMs: number): number;
  protected abstract humidify(rh: number, setpoint: number, nowMs: number): boolean;
  /** Forgets the law's state (a reboot). */
  protected abstract resetLaw(): void;
}

/** On/off with a hysteresis band centred on the setpoint. */
export class Hysteresis {
  on = false;
  constructor(private readonly band: number) {}
  update(value: number, setpoint: number): boolean {
    if (value <= setpoint - this.band / 2) this.on = true;
    else if (value >= setpoint + this.band / 2) this.on = false;
    return this.on;
  }
}

/** On/off control: 0.2 °C hysteresis on temperature, 2 %RH on humidity. */
export class OnOffController extends ReferenceController {
  private readonly heaterSwitch = new Hysteresis(0.2);
  private readonly humidifierSwitch = new Hysteresis(2);
  protected heat(value: number, setpoint: number): number {
    return this.heaterSwitch.update(value, setpoint) ? 1 : 0;
  }
  protected humidify(rh: number, setpoint: number): boolean {
    return this.humidifierSwitch.update(rh, setpoint);
  }
  protected resetLaw(): void {
    this.heaterSwitch.on = false;
    this.humidifierSwitch.on = false;
  }
}

/**
 * The real IncuNest firmware's control (medicalopenworld/IncuNest, PID.h / PID.cpp) on the
 * Arduino PID_v1 law: air Kp 150, Ki 0.75, Kd 250; skin Kp 100, Ki 0.5, Kd 250; 4 s
 * sample; output 0..255 of the heater PWM; the integral switched on only within 2 °C of the
 * setpoint (and off again beyond, in air mode). Humidity: Kp 200, Ki 2, Kd 20 every 200 ms,
 * output the on-time within a 5 s window, its integral switched on below setpoint + 5 %RH.
 */
export class IncuNestPidV1Controller extends ReferenceController {
  private static readonly AIR = { kp: 150, ki: 0.75, kd: 250 };
  private static readonly SKIN = { kp: 100, ki: 0.5, kd: 250 };
  private static readonly HUMIDITY = { kp: 200, ki: 2, kd: 20 };
  private static readonly INTEGRAL_BAND_C = 2;
  private static readonly HUMIDITY_INTEGRAL_OFFSET = 5;
  private static readonly WINDOW_MS = 5000;
  private heaterPid: ArduinoPidV1 | null = null;
  private humidityPid: ArduinoPidV1 | null = null;
  private windowStartMs = 0;

  constructor() {
    super(200);
  }

  override setMode(mode: ControlMode): void {
    super.setMode(mode);
    this.heaterPid = null;
  }

  protected resetLaw(): void {
    this.heaterPid = null;
    this.humidityPid = null;
  }

  protected heat(value: number, setpoint: number, nowMs: number): number {
    const gains = this.mode === "skin" ? IncuNestPidV1Controller.SKIN : IncuNestPidV1Controller.AIR;
    if (this.heaterPid === null) {
      // startPID(): tunings with Ki = 0, 4 s sample, AUTOMATIC, limits 0..255.
      this.heaterPid = new ArduinoPidV1(gains.kp, 0, gains.kd, 4000, 0, 255, nowMs);
      this.heaterPid.setAutomatic(value);
    }
    const near = Math.abs(value - setpoint) < IncuNestPidV1Controller.INTEGRAL_BAND_C;
    if (near && this.heaterPid.tunedKi !== gains.ki) this.heaterPid.setTunings(gains.kp, gains.ki, gains.kd);
    else if (this.mode === "air" && !near && this.heaterPid.tunedKi !== 0) this.heaterPid.setTunings(gains.kp, 0, gains.kd);
    this.heaterPid.compute(value, setpoint, nowMs);
    return this.heaterPid.output / 255;
  }

  protected humidify(rh: number, setpoint: number, nowMs: number): boolean {
    const g = IncuNestPidV1Controller.HUMIDITY;
    const window = IncuNestPidV1Controller.WINDOW_MS;
    if (this.humidityPid === null) {
      this.humidityPid = new ArduinoPidV1(g.kp, 0, g.kd, 200, 0, window, nowMs);
      this.humidityPid.setAutomatic(rh);
      this.windowStartMs = nowMs;
    }
    if (rh - setpoint < IncuNestPidV1Controller.HUMIDITY_INTEGRAL_OFFSET) this.humidityPid.setTunings(g.kp, g.ki, g.kd);
    this.humidityPid.compute(rh, setpoint, nowMs);
    if (nowMs - this.windowStartMs > window) this.windowStartMs += window;
    return !(this.humidityPid.output < nowMs - this.windowStartMs);
  }
}
