// A small stand-in for the core behind IncubatorApi: the command validation of PRODUCT.md
// (ranges, states), measurements that wander, alarms raised and cleared at random.
// Deterministic for a given seed.
import type { AlarmCode, AlarmInfo, CommandOrigin, CommandResult, IncubatorApi, IncubatorEvent, Snapshot } from "../../src/core/api";
import type { ControlMode, IncubatorState } from "../../src/core/types";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODES: readonly AlarmCode[] = ["TEMP_HIGH", "TEMP_LOW", "HUMIDITY_LOW", "SENSOR_FAULT", "FAN_FAILURE", "POWER_FAILURE"];

export interface ExecutedCommand {
  readonly action: string;
  readonly data: unknown;
  readonly source: string;
  readonly result: CommandResult;
}

export class FakeIncubator implements IncubatorApi {
  readonly executed: ExecutedCommand[] = [];
  private listeners: Array<(e: IncubatorEvent) => void> = [];
  private random: () => number;
  private seq = 0;
  private epochMs = Date.UTC(2026, 0, 15, 8, 0, 0);
  private state: IncubatorState = "STANDBY";
  private mode: ControlMode = "air";
  private setpoints = { air: 36.5, skin: 36.0, humidity: 60, override: false };
  private air: number | null = 30;
  private skin: number | null = 33;
  private probeAir: number | null = 30;
  private humidity: number | null = 50;
  private fanRpm: number | null = 0;
  private heaterPercent = 0;
  private fanPercent = 0;
  private humidifierOn = false;
  private alarms: AlarmInfo[] = [];
  private history: AlarmInfo[] = [];
  private nextAlarmId = 1;
  private current: Snapshot;

  constructor(seed = 1) {
    this.random = mulberry32(seed);
    this.current = this.makeSnapshot();
  }

  snapshot(): Snapshot {
    return this.current;
  }

  subscribe(listener: (event: IncubatorEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  alarmHistory(): readonly AlarmInfo[] {
    return this.history.slice(-50);
  }

  log(text: string, source: string): void {
    this.emit({ type: "log", text, source, level: "info", epochMs: this.epochMs });
  }

  execute(action: string, data: unknown, origin: CommandOrigin): Promise<CommandResult> {
    const source = `${origin.via} ${origin.client}`;
    const result = this.run(action, (data ?? {}) as Record<string, unknown>);
    this.executed.push({ action, data, source, result });
    this.emit({ type: "log", text: `${source}: ${action} ${JSON.stringify(data)} → ${result.message}`, source: "command", level: result.success ? "info" : "warning", epochMs: this.epochMs });
    return Promise.resolve(result);
  }

  private run(action: string, data: Record<string, unknown>): CommandResult {
    const bad = (message: string): CommandResult => ({ success: false, message, code: 4002 });
    switch (action) {
      case "set_temperature": {
        const sp = data.setpoint;
        if (typeof sp !== "number" || !isFinite(sp)) return bad("setpoint must be a number");
        const override = data.override === true;
        if (this.mode === "air") {
          const max = override ? 39 : 37;
          if (sp < 20 || sp > max) return bad(`air setpoint ${sp} outside 20.0–${max.toFixed(1)} °C`);
          this.setpoints = { ...this.setpoints, air: sp, override };
        } else {
          if (sp < 35 || sp > 37.5) return bad(`skin setpoint ${sp} outside 35.0–37.5 °C`);
          this.setpoints = { ...this.setpoints, skin: sp };
        }
        this.settingsChanged();
        return { success: true, message: `temperature setpoint ${sp}` };
      }
      case "set_humidity": {
        const sp = data.setpoint;
        if (typeof sp !== "number" || !isFinite(sp)) return bad("setpoint must be a number");
        if (sp < 30 || sp > 85) return bad(`humidity setpoint ${sp} outside 30–85 %RH`);
        this.setpoints = { ...this.setpoints, humidity: sp };
        this.settingsChanged();
        return { success: true, message: `humidity setpoint ${sp}` };
      }
      case "set_mode": {
        if (data.mode !== "air" && data.mode !== "skin") return bad("mode must be air or skin");
        this.mode = data.mode;
        this.settingsChanged();
        return { success: true, message: `mode ${data.mode}` };
      }
      case "set_state": {
        const s = data.state;
        if (s === "start") {
          if (this.state !== "STANDBY") return bad(`cannot start from ${this.state}`);
          this.transition("PREHEATING", "start command");
        } else if (s === "stop" || s === "standby") {
          if (this.state !== "STANDBY") this.transition("STANDBY", `${s} command`);
        } else if (s === "reset") {
          if (this.state !== "FAULT") return bad("reset only leaves FAULT");
          this.transition("STANDBY", "operator reset");
        } else return bad("state must be start, stop, standby or reset");
        return { success: true, message: `state ${String(s)}` };
      }
      case "acknowledge_all": {
        this.alarms = this.alarms.map((a) => {
          if (a.acknowledged) return a;
          const acked = { ...a, acknowledged: true, acknowledgedAtMs: this.epochMs };
          this.emit({ type: "alarm", alarm: acked, change: "acknowledged", epochMs: this.epochMs });
          return acked;
        });
        return { success: true, message: "all alarms acknowledged" };
      }
      case "acknowledge_alarm":
        return bad("not in the fake");
      default:
        return { success: false, message: `unknown command ${action}`, code: 4001 };
    }
  }

  /** Forces a state (for tests of FAULT etc.). */
  forceState(next: IncubatorState): void {
    if (next !== this.state) this.transition(next, "test");
  }

  /** One control tick of `ms`, with wandering readings and random alarm churn. */
  step(ms = 1000, churn = 0.01): Snapshot {
    this.epochMs += ms;
    this.seq++;
    const r = this.random;
    const running = this.state === "PREHEATING" || this.state === "OPERATING";
    const target = this.mode === "air" ? this.setpoints.air : this.setpoints.skin + 0.5;
    const wander = (v: number | null, toward: number, k: number, noise: number, drop: number): number | null => {
      if (r() < drop) return null;
      const base = v ?? toward;
      return base + (toward - base) * k + (r() - 0.5) * noise;
    };
    this.air = wander(this.air, running ? target : 25, 0.01, 0.05, churn * 0.2);
    this.probeAir = this.air === null ? wander(this.probeAir, 25, 0.01, 0.05, 0) : this.air + (r() - 0.5) * 0.1;
    this.skin = wander(this.skin, running ? target - 0.3 : 33, 0.01, 0.03, churn * 0.5);
    this.humidity = wander(this.humidity, running ? this.setpoints.humidity : 45, 0.02, 0.4, churn * 0.1);
    this.heaterPercent = running ? Math.max(0, Math.min(100, Math.round(((target - (this.air ?? target)) * 40 + 30) * 10) / 10)) : 0;
    this.fanPercent = running ? Math.max(30, Math.min(90, 30 + this.heaterPercent * 0.5)) : 0;
    this.fanRpm = this.fanPercent > 0 ? Math.round(this.fanPercent * 30 + (r() - 0.5) * 40) : 0;
    this.humidifierOn = running && (this.humidity ?? 100) < this.setpoints.humidity && r() < 0.6;
    if (this.state === "PREHEATING" && this.air !== null && Math.abs(this.air - target) < 0.5 && r() < 0.05) this.transition("OPERATING", "steady");
    if (r() < churn) this.raiseRandomAlarm();
    if (r() < churn && this.alarms.length > 0) this.clearAlarm(this.alarms[Math.floor(r() * this.alarms.length)]);
    if (r() < churn * 0.5) this.run("set_temperature", { setpoint: Math.round((35 + r() * 2) * 10) / 10 });
    this.current = this.makeSnapshot();
    this.emit({ type: "tick", snapshot: this.current });
    return this.current;
  }

  raiseAlarm(code: AlarmCode, message = `${code} condition`): AlarmInfo {
    const alarm: AlarmInfo = {
      id: this.nextAlarmId++,
      code,
      level: code === "FAN_FAILURE" || code === "SENSOR_FAULT" ? "CRITICAL" : code === "HUMIDITY_LOW" ? "INFO" : "WARNING",
      priority: code === "FAN_FAILURE" || code === "SENSOR_FAULT" ? "high" : code === "HUMIDITY_LOW" ? "low" : "medium",
      message,
      active: true,
      acknowledged: false,
      latching: false,
      value: null,
      limit: null,
      raisedAtMs: this.epochMs,
      acknowledgedAtMs: null,
      clearedAtMs: null,
    };
    this.alarms = [...this.alarms, alarm];
    this.history.push(alarm);
    this.emit({ type: "alarm", alarm, change: "raised", epochMs: this.epochMs });
    return alarm;
  }

  private raiseRandomAlarm(): void {
    const free = CODES.filter((c) => !this.alarms.some((a) => a.code === c));
    if (free.length === 0) return;
    this.raiseAlarm(free[Math.floor(this.random() * free.length)]);
  }

  private clearAlarm(alarm: AlarmInfo): void {
    this.alarms = this.alarms.filter((a) => a !== alarm);
    this.emit({ type: "alarm", alarm: { ...alarm, active: false, clearedAtMs: this.epochMs }, change: "cleared", epochMs: this.epochMs });
  }

  private transition(next: IncubatorState, reason: string): void {
    const previous = this.state;
    this.state = next;
    this.emit({ type: "state_change", previous, next, reason, epochMs: this.epochMs });
  }

  private settingsChanged(): void {
    this.emit({ type: "settings", setpoints: { ...this.setpoints }, mode: this.mode, epochMs: this.epochMs });
  }

  private emit(event: IncubatorEvent): void {
    for (const l of this.listeners) l(event);
  }

  private makeSnapshot(): Snapshot {
    return Object.freeze({
      seq: this.seq,
      epochMs: this.epochMs,
      clockSet: true,
      state: this.state,
      mode: this.mode,
      effectiveMode: this.mode === "skin" && this.skin === null ? "air" : this.mode,
      setpoints: Object.freeze({ ...this.setpoints }),
      temperatureSetpoint: this.mode === "air" ? this.setpoints.air : this.setpoints.skin,
      air: this.air,
      skin: this.skin,
      probeAir: this.probeAir,
      humidity: this.humidity,
      fanRpm: this.fanRpm,
      heaterPercent: this.heaterPercent,
      fanPercent: this.fanPercent,
      humidifierOn: this.humidifierOn,
      alarms: Object.freeze(this.alarms.slice()),
      overruns: 0,
      skippedTicks: 0,
    });
  }
}
