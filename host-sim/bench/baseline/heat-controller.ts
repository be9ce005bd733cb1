// Frozen copy of src/core/heat-controller.ts at commit 2cdf252 (main before issue 15), kept only so the
// XS control bench measures the old controllers side by side with today's. Not firmware code.
import { AIR_PID, CONTROL, SKIN_PID } from "./control-config";
import { Pid } from "./pid";
import type { ControlMode } from "../../../src/core/types";

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
  private skinFiltered = 0;

  update(input: HeatInputs, appliedDuty: number): HeatDemand {
    let airTarget = input.airSetpoint;
    if (input.mode === "skin" && input.skin !== null) {
      // The skin probe's 1/16 °C steps would step the air target by kp/16; smooth them first
      // (the skin moves over minutes, so this lag costs nothing).
      const alpha = input.dtS / (CONTROL.skinFilterS + input.dtS);
      this.skinFiltered = this.activeMode !== "skin" ? input.skin : this.skinFiltered + alpha * (input.skin - this.skinFiltered);
      const skin = this.skinFiltered;
      if (this.activeMode !== "skin") {
        // Take over from the air temperature we have now; a cold incubator (air below the skin
        // setpoint) starts from a neutral integral instead, with nothing to be bumpless with.
        if (input.air < input.skinSetpoint) this.skin.reset();
        else this.skin.track(Math.min(input.air, CONTROL.skinModeAirMaxC) - input.skinSetpoint, input.skinSetpoint, skin);
      }
      // The outer loop's output is the air's offset over the skin setpoint, so its integral
      // holds the small steady offset a neonate needs rather than an absolute temperature.
      const offset = this.skin.update(input.skinSetpoint, skin, input.dtS);
      airTarget = Math.min(Math.max(input.skinSetpoint + offset, CONTROL.skinModeAirMinC), CONTROL.skinModeAirMaxC);
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
