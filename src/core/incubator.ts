import type { AlarmInfo, CommandOrigin, CommandResult, IncubatorApi, IncubatorEvent, Setpoints, Snapshot } from "./api";
import { AlarmAnnunciator } from "../alarms/annunciator";
import { AlarmFeed } from "./alarm-feed";
import { AIRFLOW_PROOF, AirflowProof } from "../alarms/airflow-proof";
import { AlarmSystem, type AlarmEvent, type AlarmInputs } from "../alarms/alarm-system";
import { ResetProof } from "../alarms/reset-proof";
import { CommandHandler, type CommandTarget } from "./command-handler";
import { CONTROL, HEAT } from "./control-config";
import { ControlKnowledge } from "./control-knowledge";
import { EventHub } from "./event-hub";
import { FanPolicy } from "./fan-policy";
import { HeatController } from "./heat-controller";
import { HumidityController } from "./humidity-controller";
import type { IncubatorOptions } from "./incubator-options";
import { heaterInhibit, type InterlockInputs } from "./interlock";
import { DEFAULT_PERSISTED, type PersistedSettings } from "./persisted-settings";
import { KNOWLEDGE_RECORD } from "./plant-knowledge";
import { DeadlineScheduler, type TickInfo } from "./scheduler";
import { SettingsKeeper } from "./settings-keeper";
import { composeSnapshot, NOTHING_APPLIED, refreshedSnapshot } from "./snapshot-composer";
import { StateMachine, type Transition } from "./state-machine";
import { StorageHealth, type StorageFault } from "./storage-health";
import type { ActuatorCommand, ControlMode, Mutable, SensorFrame } from "./types";

export type { IncubatorOptions } from "./incubator-options";
export { DEFAULT_PERSISTED, type PersistedSettings } from "./persisted-settings";

const NO_STORAGE_FAULTS: readonly StorageFault[] = Object.freeze([]);
const NO_INHIBITS: readonly string[] = Object.freeze([]);

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
  private readonly alarmFeed: AlarmFeed;
  private readonly annunciator: AlarmAnnunciator | null;
  private skinFallback = false;
  private latest: Snapshot;
  private lastFrame: SensorFrame | null = null;
  /** Heat waits for the tachometer after every start of therapy and every reset. */
  private readonly airflow = new AirflowProof();
  /** A reset drives the fan and reads it before FAULT is left. */
  private readonly resetProof = new ResetProof(this.airflow);
  private readonly keeper: SettingsKeeper;
  private readonly commands: CommandHandler;
  /** PREHEATING entered from STANDBY (a start or a resume), not by a raised target. */
  private warmUpFromStart = false;
  // What each tick hands the alarm system, the interlock and the
  // actuators: written in place every tick (each reads it during the call only).
  private readonly alarmInput: Mutable<AlarmInputs> = {
    nowMs: 0, epochMs: 0, state: "STANDBY", mode: "air", setpoints: DEFAULT_PERSISTED.setpoints, frame: null as unknown as SensorFrame,
    heaterDuty: 0, fanDuty: 0, steadyReached: false, warmUpFromStart: false, storageFaults: NO_STORAGE_FAULTS,
  };
  private readonly interlockInput: Mutable<InterlockInputs> = {
    state: "STANDBY", mode: "air", override: false, frame: null as unknown as SensorFrame, alarmInhibits: NO_INHIBITS, airflowProven: false,
  };
  private readonly actuatorCommand: Mutable<ActuatorCommand> = { heaterDuty: 0, fanDuty: 0, humidifierOn: false };
  private readonly resetBlockers = (): readonly string[] => this.alarms.resetBlockers();
  private tickStartMs = 0;
  private readonly leaveFaultNow = (origin: CommandOrigin): CommandResult => this.commands.leaveFault(origin, this.tickStartMs);
  /** The stores' health (STORAGE_FAULT); stores report to it, the alarm system reads it. */
  readonly storage: StorageHealth;

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
    this.annunciator = options.alarmSignal ? new AlarmAnnunciator(options.alarmSignal) : null;
    this.scheduler = new DeadlineScheduler(options.clock, options.timers, options.periodMs ?? CONTROL.periodMs, (tick) => this.tick(tick));
    this.storage = options.storage ?? new StorageHealth();
    this.alarmFeed = new AlarmFeed(this.alarms, this.events, this.storage, options.wall, options.persistAlarmHistory);
    this.latest = this.compose(null, NOTHING_APPLIED, this.mode);
    this.keeper = new SettingsKeeper(options.persist, options.timers, () => this.persisted(), options.settings && !options.settingsLost ? settings : null);
    this.commands = new CommandHandler(this.commandTarget());
  }

  /** The core as its commands act on it: made once; its getters and functions reach what is in force at each use. */
  private commandTarget(): CommandTarget {
    const core = this;
    return {
      machine: this.machine, keeper: this.keeper, resetProof: this.resetProof, airflow: this.airflow,
      events: this.events, clock: this.options.clock, wall: this.options.wall,
      get alarms() { return core.alarms; },
      get mode() { return core.mode; },
      get setpoints() { return core.setpoints; },
      persisted: () => this.persisted(),
      controlledSetpoint: () => this.controlledSetpoint(),
      changeSettings: (setpoints, mode) => this.changeSettings(setpoints, mode),
      retarget: () => this.retarget(),
      announce: (transition) => this.announce(transition),
      publishAlarms: (events) => this.publishAlarms(events),
    };
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
    if (this.options.settingsLost) this.publishAlarms(this.alarms.reportSettingsLost(this.options.wall.epochMs(), this.options.settingsLost));
    if (this.resumeTherapy) {
      this.announce(this.machine.resume());
      this.publishAlarms(this.alarms.reportPowerFailure(this.options.clock.now(), this.options.wall.epochMs()));
    }
    this.annunciator?.start(this.options.timers, () => this.options.clock.now(), this.alarms);
    this.scheduler.start();
    // A first start (or lost settings): the settings in force become the stored ones.
    this.keeper.sync();
  }

  stop(): void {
    this.scheduler.stop();
    this.keeper.stop();
    this.resetProof.abandon();
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
    return this.commands.execute(action, data, origin);
  }

  /** What must survive a reboot, as in force now. */
  private persisted(): PersistedSettings {
    return { setpoints: this.setpoints, mode: this.mode, therapyActive: this.machine.therapyActive };
  }

  private changeSettings(setpoints: Setpoints, mode: ControlMode): void {
    this.setpoints = Object.freeze(setpoints);
    this.mode = mode;
    const epochMs = this.options.wall.epochMs();
    this.refreshSnapshot();
    this.events.emit({ type: "settings", setpoints: this.setpoints, mode, epochMs, origin: this.commands.origin });
    this.keeper.sync();
  }

  private announce(transition: Transition | null): void {
    if (!transition) return;
    const epochMs = this.options.wall.epochMs();
    this.refreshSnapshot();
    // A start of therapy or a reset: no heat until the tachometer shows the fan turning.
    if (transition.previous === "STANDBY" || transition.previous === "FAULT") this.airflow.require();
    this.warmUpFromStart = transition.previous === "STANDBY" && transition.next === "PREHEATING";
    this.events.emit({ type: "state_change", previous: transition.previous, next: transition.next, reason: transition.reason, epochMs, origin: this.commands.origin });
    this.keeper.sync();
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
    const input = this.alarmInput;
    input.nowMs = nowMs;
    input.epochMs = this.options.wall.epochMs();
    input.state = this.machine.state;
    input.mode = this.mode;
    input.setpoints = this.setpoints;
    input.frame = frame;
    input.heaterDuty = this.appliedHeater;
    input.fanDuty = this.appliedFan;
    input.steadyReached = this.machine.steadyReached;
    input.warmUpFromStart = this.warmUpFromStart;
    input.storageFaults = this.storage.current();
    const alarm = this.alarms.evaluate(input);
    this.alarmFeed.logStorage();
    const airflowProven = this.airflow.observe(this.appliedFan, frame.fanRpm);
    this.skinFallback = alarm.skinFallback;
    this.publishAlarms(alarm.events);
    if (alarm.fault) this.announce(this.machine.fault(`${alarm.fault.code}: ${alarm.fault.reason}`));
    this.tickStartMs = nowMs;
    this.resetProof.advance(nowMs, this.resetBlockers, this.leaveFaultNow);
    const effectiveMode = this.effectiveMode(frame);
    const value = this.controlledValue(frame);
    const setpoint = this.controlledSetpoint(frame);
    this.announce(this.machine.observe(nowS, value === null ? null : setpoint - value));

    const heating = this.machine.therapyActive && frame.air.value !== null;
    let demand = 0;
    if (heating) {
      const airSetpoint = this.mode === "air" ? this.setpoints.air : CONTROL.skinFallbackAirC;
      demand = this.heat.update(nowS, effectiveMode, airSetpoint, this.setpoints.skin, frame.air.value as number, frame.skin.value, dtS, this.appliedHeater, frame.probeAir.value, alarm.cutoutLimitC);
    } else {
      this.heat.idle();
    }
    const interlock = this.interlockInput;
    interlock.state = this.machine.state;
    interlock.mode = this.mode;
    interlock.override = this.setpoints.override;
    interlock.frame = frame;
    interlock.alarmInhibits = alarm.heaterInhibit ? alarm.inhibitReasons : NO_INHIBITS;
    interlock.airflowProven = airflowProven;
    const inhibit = heaterInhibit(interlock);
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
    const policyFan = this.fan.duty(nowS, this.machine.therapyActive, boost);
    const fanDuty = this.resetProof.active ? Math.max(policyFan, AIRFLOW_PROOF.resetFanDuty) : policyFan;
    this.appliedFan = fanDuty;
    const command = this.actuatorCommand;
    command.heaterDuty = heaterDuty;
    command.fanDuty = fanDuty;
    command.humidifierOn = humidifierOn;
    this.options.actuators.apply(command, nowMs);

    this.latest = this.compose(frame, command, effectiveMode);
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
    this.latest = refreshedSnapshot(this.latest, this.machine.state, this.mode, this.setpoints, this.alarmFeed.active);
  }

  /** Sends the alarm events out, refreshes the active list, saves the history. */
  private publishAlarms(events: readonly AlarmEvent[]): void {
    if (events.length === 0) return;
    this.alarmFeed.refresh(this.alarms);
    this.refreshSnapshot();
    this.alarmFeed.send(this.alarms, events, this.commands.origin);
  }

  private compose(frame: SensorFrame | null, applied: ActuatorCommand, effectiveMode: ControlMode): Snapshot {
    return composeSnapshot(this.machine.state, this.mode, this.setpoints, this.alarmFeed.active, frame, applied, effectiveMode, this.scheduler.stats, this.options.wall);
  }
}
