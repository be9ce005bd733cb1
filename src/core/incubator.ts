import { originLabel, type AlarmInfo, type CommandOrigin, type CommandResult, type IncubatorApi, type IncubatorEvent, type Setpoints, type Snapshot } from "./api";
import { AlarmAnnunciator, type AlarmSignalOutput } from "../alarms/annunciator";
import type { HistoryEntry } from "../alarms/alarm-history";
import { AlarmSystem, type AlarmEvent } from "../alarms/alarm-system";
import { parseCommand, temperatureRangeError, type Command } from "./commands";
import { CONTROL, DEFAULT_SETTINGS, HEAT } from "./control-config";
import { ControlKnowledge } from "./control-knowledge";
import { EventHub } from "./event-hub";
import { FanPolicy } from "./fan-policy";
import { HeatController } from "./heat-controller";
import { KNOWLEDGE_RECORD } from "./plant-knowledge";
import { HumidityController } from "./humidity-controller";
import type { RecordStore } from "./record-store";
import { heaterInhibit } from "./interlock";
import { DeadlineScheduler, type TickInfo } from "./scheduler";
import { StateMachine, type Transition } from "./state-machine";
import type { ActuatorSink, ControlMode, MonotonicClock, SensorFrame, SensorSource, Timers, WallClock } from "./types";

/** What must survive a reboot (the store encodes it; see settings-codec). */
export interface PersistedSettings {
  readonly setpoints: Setpoints;
  readonly mode: ControlMode;
  readonly therapyActive: boolean;
}

export const DEFAULT_PERSISTED: PersistedSettings = Object.freeze({
  setpoints: Object.freeze({ air: DEFAULT_SETTINGS.air, skin: DEFAULT_SETTINGS.skin, humidity: DEFAULT_SETTINGS.humidity, override: false }),
  mode: DEFAULT_SETTINGS.mode,
  therapyActive: false,
});

export interface IncubatorOptions {
  readonly clock: MonotonicClock;
  readonly wall: WallClock;
  readonly timers: Timers;
  readonly sensors: SensorSource;
  readonly actuators: ActuatorSink;
  readonly periodMs?: number;
  /** Settings loaded at boot; defaults when absent. */
  readonly settings?: PersistedSettings;
  /** Called whenever what must survive a reboot changes. */
  readonly persist?: (settings: PersistedSettings) => void;
  /** Alarm history restored at boot (decodeAlarmHistory of what `persistAlarmHistory` saved). */
  readonly alarmHistory?: readonly HistoryEntry[];
  /** Called with the encoded alarm history whenever it changes. */
  readonly persistAlarmHistory?: (encoded: string) => void;
  /** Buzzer and alarm LED; driven with the IEC 60601-1-8 patterns when given. */
  readonly alarmSignal?: AlarmSignalOutput;
  /** Where what the controllers learn about this incubator is kept across reboots (none: nothing is kept). */
  readonly records?: RecordStore;
  /** Where a failing event listener's error is reported (the tick goes on regardless). */
  readonly onError?: (error: unknown) => void;
}

const NO_ALARMS: readonly AlarmInfo[] = Object.freeze([]);

/**
 * The firmware core: one control tick per period reads the sensors, runs the state
 * machine and controllers, applies the safety interlock, drives the actuators and
 * publishes one frozen snapshot. Commands from every protocol come through `execute`.
 */
export class Incubator implements IncubatorApi {
  private readonly scheduler: DeadlineScheduler;
  private readonly events: EventHub<IncubatorEvent>;
  private readonly machine: StateMachine;
  private readonly heat: HeatController;
  private readonly humidity: HumidityController;
  private readonly knowledge: ControlKnowledge;
  private readonly fan = new FanPolicy();
  private setpoints: Setpoints;
  private mode: ControlMode;
  private readonly resumeTherapy: boolean;
  private appliedHeater = 0;
  private heatAllowedNow = false;
  private appliedFan = 0;
  private readonly alarms: AlarmSystem;
  private readonly annunciator: AlarmAnnunciator | null;
  private activeAlarms: readonly AlarmInfo[] = NO_ALARMS;
  private skinFallback = false;
  private savedHistoryVersion: number;
  private latest: Snapshot;
  private lastFrame: SensorFrame | null = null;
  /** The origin of the command being applied; events it causes carry it. */
  private origin: CommandOrigin | null = null;

  constructor(private readonly options: IncubatorOptions) {
    this.events = new EventHub<IncubatorEvent>(options.onError ?? (() => {}));
    const settings = options.settings ?? DEFAULT_PERSISTED;
    this.setpoints = Object.freeze({ ...settings.setpoints });
    this.knowledge = new ControlKnowledge(options.records?.load(KNOWLEDGE_RECORD) ?? null, HEAT.saveEveryS);
    this.heat = new HeatController(this.knowledge);
    this.humidity = new HumidityController(this.knowledge);
    this.mode = settings.mode;
    this.resumeTherapy = settings.therapyActive;
    this.machine = new StateMachine("STANDBY", CONTROL.steadyHoldS, CONTROL.steadyBandC);
    this.alarms = new AlarmSystem({ history: options.alarmHistory, bootEpochMs: options.wall.epochMs() });
    this.savedHistoryVersion = this.alarms.history.version;
    this.annunciator = options.alarmSignal ? new AlarmAnnunciator(options.alarmSignal) : null;
    this.scheduler = new DeadlineScheduler(options.clock, options.timers, options.periodMs ?? CONTROL.periodMs, (tick) => this.tick(tick));
    this.latest = this.compose(null, 0, 0, false, this.mode);
  }

  /** The safety interlock's verdict of the current tick; the heater driver's own
   *  interlock asks this, so a heater command alone can never heat. */
  heatAllowed(): boolean {
    return this.heatAllowedNow;
  }

  /** True when this boot found therapy active and resumed it. */
  get resumedAfterReboot(): boolean {
    return this.resumeTherapy;
  }

  start(): void {
    if (this.resumeTherapy) {
      this.announce(this.machine.resume());
      this.publishAlarms(this.alarms.reportPowerFailure(this.options.clock.now(), this.options.wall.epochMs()));
    }
    this.annunciator?.start(this.options.timers, () => this.options.clock.now(), this.alarms);
    this.scheduler.start();
  }

  stop(): void {
    this.scheduler.stop();
    this.annunciator?.stop();
  }

  snapshot(): Snapshot {
    return this.latest;
  }

  subscribe(listener: (event: IncubatorEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  alarmHistory(): readonly AlarmInfo[] {
    return this.alarms.history.entries();
  }

  log(text: string, source: string): void {
    this.events.emit({ type: "log", text, source, level: "info", epochMs: this.options.wall.epochMs() });
  }

  execute(action: string, data: unknown, origin: CommandOrigin): Promise<CommandResult> {
    const parsed = parseCommand(action, data);
    let result: CommandResult;
    if ("error" in parsed) {
      result = { success: false, message: parsed.error, code: parsed.code };
    } else {
      this.origin = origin;
      try {
        result = this.apply(parsed);
      } finally {
        this.origin = null;
      }
    }
    const source = originLabel(origin);
    this.events.emit({
      type: "log",
      text: `${source}: ${action} ${result.success ? "ok" : "refused"}: ${result.message}`,
      source,
      level: result.success ? "info" : "warning",
      epochMs: this.options.wall.epochMs(),
    });
    return Promise.resolve(result);
  }

  private apply(command: Command): CommandResult {
    switch (command.action) {
      case "set_temperature": {
        const rangeError = temperatureRangeError(this.mode, command.setpoint, command.override);
        if (rangeError) return { success: false, message: rangeError, code: 4002 };
        const before = this.controlledSetpoint();
        if (this.mode === "skin") {
          this.changeSettings({ ...this.setpoints, skin: command.setpoint }, this.mode);
        } else {
          // The raised cut-out limit applies only while the setpoint actually needs it.
          this.changeSettings({ ...this.setpoints, air: command.setpoint, override: command.setpoint > 37.0 }, this.mode);
        }
        if (this.controlledSetpoint() > before) this.retarget();
        return { success: true, message: `${this.mode} setpoint set to ${command.setpoint.toFixed(1)} °C` };
      }
      case "set_humidity":
        this.changeSettings({ ...this.setpoints, humidity: command.setpoint }, this.mode);
        return { success: true, message: `humidity setpoint set to ${command.setpoint.toFixed(1)} %RH` };
      case "set_mode":
        if (command.mode !== this.mode) {
          this.changeSettings(this.setpoints, command.mode);
          this.retarget();
        }
        return { success: true, message: `control mode set to ${command.mode}` };
      case "set_state": {
        let causeGone = true;
        if (command.state === "reset" && this.machine.state === "FAULT") {
          const reset = this.alarms.reset(this.options.clock.now(), this.options.wall.epochMs());
          if (!reset.ok) return { success: false, message: reset.message, code: 4002 };
          this.publishAlarms(reset.events);
          causeGone = reset.ok;
        }
        const outcome = this.machine.request(command.state, causeGone);
        if (!outcome.ok) return { success: false, message: outcome.reason, code: 4002 };
        this.announce(outcome.transition);
        return { success: true, message: outcome.transition ? `state ${outcome.transition.next}` : `already ${this.machine.state}` };
      }
      case "acknowledge_alarm": {
        const ack = this.alarms.acknowledge(command.alarmId, this.options.clock.now(), this.options.wall.epochMs());
        this.publishAlarms(ack.events);
        return ack.ok ? { success: true, message: ack.message } : { success: false, message: ack.message, code: 4002 };
      }
      case "acknowledge_all": {
        const ack = this.alarms.acknowledgeAll(this.options.clock.now(), this.options.wall.epochMs());
        this.publishAlarms(ack.events);
        return { success: true, message: ack.message };
      }
    }
  }

  private changeSettings(setpoints: Setpoints, mode: ControlMode): void {
    this.setpoints = Object.freeze(setpoints);
    this.mode = mode;
    const epochMs = this.options.wall.epochMs();
    this.refreshSnapshot();
    this.events.emit({ type: "settings", setpoints: this.setpoints, mode, epochMs, origin: this.origin });
    this.persist();
  }

  private persist(): void {
    this.options.persist?.({ setpoints: this.setpoints, mode: this.mode, therapyActive: this.machine.therapyActive });
  }

  private announce(transition: Transition | null): void {
    if (!transition) return;
    const epochMs = this.options.wall.epochMs();
    this.refreshSnapshot();
    this.events.emit({ type: "state_change", previous: transition.previous, next: transition.next, reason: transition.reason, epochMs, origin: this.origin });
    this.persist();
  }

  /** The setpoint of the mode in control, and whether skin mode has fallen back to air. */
  private controlledSetpoint(frame: SensorFrame | null = this.lastFrame): number {
    if (this.mode === "skin") return this.effectiveMode(frame) === "skin" ? this.setpoints.skin : CONTROL.skinFallbackAirC;
    return this.setpoints.air;
  }

  private effectiveMode(frame: SensorFrame | null): ControlMode {
    return this.mode === "skin" && !this.skinFallback && frame !== null && frame.skin.value !== null ? "skin" : "air";
  }

  private controlledValue(frame: SensorFrame | null): number | null {
    if (!frame) return null;
    return this.effectiveMode(frame) === "skin" ? frame.skin.value : frame.air.value;
  }

  private retarget(): void {
    const value = this.controlledValue(this.lastFrame);
    this.announce(this.machine.retarget(value === null ? null : this.controlledSetpoint() - value));
  }

  private tick(tick: TickInfo): void {
    const nowMs = tick.startMs;
    const nowS = nowMs / 1000;
    const dtS = tick.elapsedMs / 1000;
    const frame = this.options.sensors.sample(nowMs);
    this.lastFrame = frame;
    const alarm = this.alarms.evaluate({
      nowMs, epochMs: this.options.wall.epochMs(), state: this.machine.state, mode: this.mode, setpoints: this.setpoints,
      frame, heaterDuty: this.appliedHeater, fanDuty: this.appliedFan, steadyReached: this.machine.steadyReached,
    });
    this.skinFallback = alarm.skinFallback;
    this.publishAlarms(alarm.events);
    if (alarm.fault) this.announce(this.machine.fault(`${alarm.fault.code}: ${alarm.fault.reason}`));
    const effectiveMode = this.effectiveMode(frame);
    const value = this.controlledValue(frame);
    const setpoint = this.controlledSetpoint(frame);
    this.announce(this.machine.observe(nowS, value === null ? null : setpoint - value));

    const heating = this.machine.therapyActive && frame.air.value !== null;
    let demand = 0;
    if (heating) {
      const airSetpoint = this.mode === "air" ? this.setpoints.air : CONTROL.skinFallbackAirC;
      demand = this.heat.update(nowS, effectiveMode, airSetpoint, this.setpoints.skin, frame.air.value as number, frame.skin.value, dtS, this.appliedHeater, frame.probeAir.value);
    } else {
      this.heat.idle();
    }
    const inhibit = heaterInhibit({ state: this.machine.state, mode: this.mode, override: this.setpoints.override, frame, alarmInhibits: alarm.heaterInhibit ? alarm.inhibitReasons : [] });
    this.heatAllowedNow = inhibit === null;
    const heaterDuty = this.heatAllowedNow ? demand : 0;
    const boost = this.heatAllowedNow && heating ? this.heat.boost : 0;
    this.appliedHeater = heaterDuty;

    let humidifierOn = false;
    if (this.machine.therapyActive && frame.humidity.value !== null) {
      humidifierOn = this.humidity.update(nowS, this.setpoints.humidity, frame.humidity.value, dtS);
    } else {
      this.humidity.idle();
    }
    const fanDuty = this.fan.duty(nowS, this.machine.therapyActive, boost);
    this.appliedFan = fanDuty;
    this.options.actuators.apply({ heaterDuty, fanDuty, humidifierOn }, nowMs);

    this.latest = this.compose(frame, heaterDuty, fanDuty, humidifierOn, effectiveMode);
    this.events.emit({ type: "tick", snapshot: this.latest });
    this.saveLearned(nowS);
  }

  /** What the heat controller learned goes to the record store after the tick, never inside it. */
  private saveLearned(nowS: number): void {
    const store = this.options.records;
    const record = store ? this.knowledge.takeRecord(nowS) : null;
    if (store && record !== null) {
      this.options.timers.after(0, () => {
        store.save(KNOWLEDGE_RECORD, record).catch((error: unknown) => this.options.onError?.(error));
      });
    }
  }

  /** Between ticks, a command's effect shows at once; measurements stay those of the last tick. */
  private refreshSnapshot(): void {
    const s = this.latest;
    this.latest = Object.freeze({
      ...s,
      state: this.machine.state,
      mode: this.mode,
      setpoints: this.setpoints,
      temperatureSetpoint: this.mode === "skin" ? this.setpoints.skin : this.setpoints.air,
      alarms: this.activeAlarms,
    });
  }

  /** Sends the alarm events out, refreshes the active list, saves the history. */
  private publishAlarms(events: readonly AlarmEvent[]): void {
    if (events.length === 0) return;
    this.activeAlarms = this.alarms.activeAlarms();
    this.refreshSnapshot();
    // An alarm event is itself the log entry (the log feed renders it); no second "log" event.
    for (const event of events) this.events.emit(this.origin && event.change === "acknowledged" ? { ...event, origin: this.origin } : event);
    if (this.alarms.history.version !== this.savedHistoryVersion) {
      this.savedHistoryVersion = this.alarms.history.version;
      this.options.persistAlarmHistory?.(this.alarms.history.encode());
    }
  }

  private compose(frame: SensorFrame | null, heaterDuty: number, fanDuty: number, humidifierOn: boolean, effectiveMode: ControlMode): Snapshot {
    const stats = this.scheduler.stats;
    return Object.freeze({
      seq: stats.ticks,
      epochMs: this.options.wall.epochMs(),
      clockSet: this.options.wall.isSet(),
      state: this.machine.state,
      mode: this.mode,
      effectiveMode,
      setpoints: this.setpoints,
      temperatureSetpoint: this.mode === "skin" ? this.setpoints.skin : this.setpoints.air,
      air: frame?.air.value ?? null,
      skin: frame?.skin.value ?? null,
      probeAir: frame?.probeAir.value ?? null,
      humidity: frame?.humidity.value ?? null,
      fanRpm: frame?.fanRpm.value ?? null,
      heaterPercent: round1(heaterDuty * 100),
      fanPercent: round1(fanDuty * 100),
      humidifierOn,
      alarms: this.activeAlarms,
      overruns: stats.overruns,
      skippedTicks: stats.skipped,
    });
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
