import { CONTROL, SKIN_PID } from "./control-config";
import { Pid } from "./pid";

/**
 * Skin mode's outer loop: the skin error turned into an air target for the air loop, bounded
 * to a safe band (CONTROL.skinModeAirMinC..skinModeAirMaxC), so the air stays bounded whatever
 * the skin probe says. Its output is the air's offset over the skin setpoint, so its integral
 * holds the small steady offset a neonate needs rather than an absolute temperature.
 */
export class SkinCascade {
  private readonly pid = new Pid(SKIN_PID);
  private filtered = 0;

  /** The air target for this tick; `takingOver`: skin mode was not in control last tick. */
  airTarget(takingOver: boolean, skinSetpoint: number, air: number, skin: number, dtS: number): number {
    // The skin probe's 1/16 °C steps would step the air target by kp/16; smooth them first
    // (the skin moves over minutes, so this lag costs nothing).
    const alpha = dtS / (CONTROL.skinFilterS + dtS);
    this.filtered = takingOver ? skin : this.filtered + alpha * (skin - this.filtered);
    if (takingOver) {
      // Take over from the air temperature we have now; a cold incubator (air below the skin
      // setpoint) starts from a neutral integral instead, with nothing to be bumpless with.
      if (air < skinSetpoint) this.pid.reset();
      else this.pid.track(Math.min(air, CONTROL.skinModeAirMaxC) - skinSetpoint, skinSetpoint, this.filtered);
    }
    const offset = this.pid.update(skinSetpoint, this.filtered, dtS);
    return Math.min(Math.max(skinSetpoint + offset, CONTROL.skinModeAirMinC), CONTROL.skinModeAirMaxC);
  }
}
