import { AIR_PID, CONTROL, SKIN_PID } from "./control-config";
import { Pid } from "./pid";
import type { ControlMode } from "./types";

export interface HeatInputs {
  /** The mode actually in control (air while skin mode has fallen back). */
  readonly mode: ControlMode;
  readonly airSetpoint: number;
  readonly skinSetpoint: number;
  readonly air: number;
  /** Needed in skin mode only. */
  readonly skin: number | null;
  readonly dtS: number;
}

export interface HeatDemand {
  /** Heater duty 0..1 before the safety interlock. */
  readonly duty: number;
  /** The air temperature the inner loop is servoing to (the skin cascade's output in skin mode). */
  readonly airTarget: number;
}

/**
 * Air mode: one PID from air temperature to heater duty. Skin mode: a cascade, the outer
 * loop turning skin error into an air target bounded to a safe band, the inner air loop
 * as in air mode, so the air temperature stays bounded whatever the skin probe says.
 * A change of mode, or a restart, is bumpless: the loops take over from what was applied.
 */
export class HeatController {
  private readonly air = new Pid(AIR_PID);
  private readonly skin = new Pid(SKIN_PID);
  private activeMode: ControlMode | null = null;

  update(input: HeatInputs, appliedDuty: number): HeatDemand {
    let airTarget = input.airSetpoint;
    if (input.mode === "skin" && input.skin !== null) {
      if (this.activeMode !== "skin") {
        // Start the cascade from the air temperature we have now.
        const start = Math.min(Math.max(input.air, CONTROL.skinModeAirMinC), CONTROL.skinModeAirMaxC);
        this.skin.track(start, input.skinSetpoint, input.skin);
      }
      airTarget = this.skin.update(input.skinSetpoint, input.skin, input.dtS);
    }
    const effective: ControlMode = input.mode === "skin" && input.skin !== null ? "skin" : "air";
    if (this.activeMode !== effective) {
      this.air.track(appliedDuty, airTarget, input.air);
      this.activeMode = effective;
    }
    return { duty: this.air.update(airTarget, input.air, input.dtS), airTarget };
  }

  /** Heating stopped (standby, fault): the next update restarts bumplessly from zero duty. */
  idle(): void {
    this.activeMode = null;
  }
}
