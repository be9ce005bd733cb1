// Commands from every protocol, applied to the core: each attributed to its origin (the
// events it causes carry it) and, when it changes what survives a reboot, stored before it
// takes effect. Every command's outcome is logged.
import { originLabel, type CommandOrigin, type CommandResult, type IncubatorEvent, type Setpoints } from "./api";
import type { AirflowProof } from "../alarms/airflow-proof";
import type { AlarmEvent, AlarmSystem } from "../alarms/alarm-system";
import type { ResetProof } from "../alarms/reset-proof";
import { parseCommand, temperatureRangeError, type Command } from "./commands";
import type { EventHub } from "./event-hub";
import type { PersistedSettings } from "./persisted-settings";
import { isPromise, type SettingsKeeper } from "./settings-keeper";
import { sameSettings } from "./settings-record";
import type { StateMachine, Transition } from "./state-machine";
import type { ControlMode, MonotonicClock, WallClock } from "./types";

/** The core as its commands act on it (the Incubator provides it). */
export interface CommandTarget {
  readonly machine: StateMachine;
  readonly alarms: AlarmSystem;
  readonly keeper: SettingsKeeper;
  readonly resetProof: ResetProof;
  readonly airflow: AirflowProof;
  readonly events: EventHub<IncubatorEvent>;
  readonly clock: MonotonicClock;
  readonly wall: WallClock;
  /** The settings in force. */
  readonly mode: ControlMode;
  readonly setpoints: Setpoints;
  /** What must survive a reboot, as in force now. */
  persisted(): PersistedSettings;
  /** The setpoint of the mode in control (the air fallback's when skin mode has fallen back). */
  controlledSetpoint(): number;
  /** Puts new settings in force, announces and stores them. */
  changeSettings(setpoints: Setpoints, mode: ControlMode): void;
  /** The target has risen or the mode changed: steady state is judged afresh (OPERATING far below it goes back to PREHEATING). */
  retarget(): void;
  announce(transition: Transition | null): void;
  publishAlarms(events: readonly AlarmEvent[]): void;
}

export class CommandHandler {
  /** The origin of the command being applied; events it causes carry it. */
  private applying: CommandOrigin | null = null;

  constructor(private readonly core: CommandTarget) {}

  get origin(): CommandOrigin | null {
    return this.applying;
  }

  execute(action: string, data: unknown, origin: CommandOrigin): Promise<CommandResult> {
    const parsed = parseCommand(action, data);
    let outcome: CommandResult | Promise<CommandResult>;
    if ("error" in parsed) {
      outcome = { success: false, message: parsed.error, code: parsed.code };
    } else {
      outcome = this.as(origin, () => this.apply(parsed, origin));
    }
    const answer = (result: CommandResult): CommandResult => {
      const source = originLabel(origin);
      this.core.events.emit({
        type: "log",
        text: `${source}: ${action} ${result.success ? "ok" : "refused"}: ${result.message}`,
        source,
        level: result.success ? "info" : "warning",
        epochMs: this.core.wall.epochMs(),
      });
      return result;
    };
    return isPromise(outcome) ? outcome.then(answer, (e) => answer({ success: false, message: `internal error: ${String(e)}`, code: 4001 })) : Promise.resolve(answer(outcome));
  }

  /** The reset proof is done: out of FAULT, the alarms that caused it acknowledged. */
  leaveFault(origin: CommandOrigin, nowMs: number): CommandResult {
    const core = this.core;
    return this.as(origin, () => {
      const reset = core.alarms.reset(nowMs, core.wall.epochMs());
      if (!reset.ok) return { success: false, message: reset.message, code: 4002 };
      core.publishAlarms(reset.events);
      const outcome = core.machine.request("reset", true);
      if (outcome.ok) core.announce(outcome.transition);
      const rpm = core.airflow.rpm;
      return { success: true, message: `state ${core.machine.state}: fault reset, fan proven turning${rpm === null ? "" : ` at ${rpm.toFixed(0)} rpm`}` };
    });
  }

  /** Runs `work` with events attributed to `origin`. */
  private as<T>(origin: CommandOrigin, work: () => T): T {
    const outer = this.applying;
    this.applying = origin;
    try {
      return work();
    } finally {
      this.applying = outer;
    }
  }

  private apply(command: Command, origin: CommandOrigin): CommandResult | Promise<CommandResult> {
    const core = this.core;
    switch (command.action) {
      case "set_temperature":
        return this.changeStored(origin, () => {
          const rangeError = temperatureRangeError(core.mode, command.setpoint, command.override);
          if (rangeError) return { success: false, message: rangeError, code: 4002 };
          // The raised cut-out limit applies only while the setpoint actually needs it.
          const setpoints = core.mode === "skin" ? { ...core.setpoints, skin: command.setpoint } : { ...core.setpoints, air: command.setpoint, override: command.setpoint > 37.0 };
          const mode = core.mode;
          const was = core.mode === "skin" ? core.setpoints.skin : core.setpoints.air;
          return {
            next: { ...core.persisted(), setpoints },
            kept: `the ${mode} setpoint stays ${was.toFixed(1)} °C`,
            apply: () => {
              const before = core.controlledSetpoint();
              core.changeSettings(mode === "skin" ? { ...core.setpoints, skin: setpoints.skin } : { ...core.setpoints, air: setpoints.air, override: setpoints.override }, core.mode);
              if (core.controlledSetpoint() > before) core.retarget();
              return { success: true, message: `${mode} setpoint set to ${command.setpoint.toFixed(1)} °C` };
            },
          };
        });
      case "set_humidity":
        return this.changeStored(origin, () => ({
          next: { ...core.persisted(), setpoints: { ...core.setpoints, humidity: command.setpoint } },
          kept: `the humidity setpoint stays ${core.setpoints.humidity.toFixed(1)} %RH`,
          apply: () => {
            core.changeSettings({ ...core.setpoints, humidity: command.setpoint }, core.mode);
            return { success: true, message: `humidity setpoint set to ${command.setpoint.toFixed(1)} %RH` };
          },
        }));
      case "set_mode":
        return this.changeStored(origin, () => ({
          next: { ...core.persisted(), mode: command.mode },
          kept: `the control mode stays ${core.mode}`,
          apply: () => {
            if (command.mode !== core.mode) {
              core.changeSettings(core.setpoints, command.mode);
              core.retarget();
            }
            return { success: true, message: `control mode set to ${command.mode}` };
          },
        }));
      case "set_state": {
        if (command.state === "reset") {
          if (core.machine.state !== "FAULT") return { success: true, message: `already ${core.machine.state}` };
          // Spinning the fan settles FAN_FAILURE (or shows it is still there); nothing else.
          return core.resetProof.request(core.clock.now(), origin, core.alarms.resetBlockers(["FAN_FAILURE"]));
        }
        const request = command.state;
        return this.changeStored(origin, () => {
          const state = core.machine.state;
          if (state === "FAULT") return { success: false, message: "incubator is in FAULT: reset it first", code: 4002 };
          const therapyActive = request === "start" ? true : false;
          return {
            next: { ...core.persisted(), therapyActive },
            kept: `the state stays ${state}`,
            apply: () => {
              const outcome = core.machine.request(request, true);
              if (!outcome.ok) return { success: false, message: outcome.reason, code: 4002 };
              core.announce(outcome.transition);
              return { success: true, message: outcome.transition ? `state ${outcome.transition.next}` : `already ${core.machine.state}` };
            },
          };
        });
      }
      case "acknowledge_alarm": {
        const ack = core.alarms.acknowledge(command.alarmId, core.clock.now(), core.wall.epochMs());
        core.publishAlarms(ack.events);
        return ack.ok ? { success: true, message: ack.message } : { success: false, message: ack.message, code: 4002 };
      }
      case "acknowledge_all": {
        const ack = core.alarms.acknowledgeAll(core.clock.now(), core.wall.epochMs());
        core.publishAlarms(ack.events);
        return { success: true, message: ack.message };
      }
    }
  }

  /**
   * A command that changes what survives a reboot: in its turn (after every earlier such
   * command), `plan` says what the stored settings become; they are stored, and only then
   * does `apply` make the change. A failed store changes nothing and says why.
   */
  private changeStored(origin: CommandOrigin, plan: () => CommandResult | StoredChange): CommandResult | Promise<CommandResult> {
    const keeper = this.core.keeper;
    return keeper.inTurn(() => {
      const p = this.as(origin, plan);
      if (!("next" in p)) return p;
      if (sameSettings(p.next, this.core.persisted())) return this.as(origin, p.apply);
      const stored = keeper.storeInTurn(p.next);
      const done = (why: string | null): CommandResult => {
        if (why !== null) return { success: false, message: `not stored (${why}); ${p.kept}`, code: 5000 };
        return this.as(origin, p.apply);
      };
      return isPromise(stored) ? stored.then(done) : done(stored);
    });
  }
}

interface StoredChange {
  /** The stored settings once the command has taken effect. */
  readonly next: PersistedSettings;
  /** What stays in force if they cannot be stored ("the air setpoint stays 36.0 °C"). */
  readonly kept: string;
  readonly apply: () => CommandResult;
}
