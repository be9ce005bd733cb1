import { ELEMENT_GUARD } from "./control-config";

/**
 * Keeps the heater element from getting so much hotter than the cabin air that the two
 * independent air channels part: the outlet probe (DS18B20 at the heater outlet) sees a little
 * of the element on top of the air, and lags the air by tens of seconds. Two limits apply,
 * both to what the alarms themselves compare, offsets and all:
 *  - the cross-check: the outlet probe's reading above the SHT31's must stay well under the
 *    1.0 °C at which the channels are judged to disagree (SENSOR_FAULT), leaving room for a
 *    porthole opening, whose fast fall of the air the lagging probe follows late;
 *  - the cut-out: the outlet probe must stay well under the cut-out limit in force, leaving
 *    room for the rebound of the element's and the hood's heat when a porthole closes.
 * The first raises the fan as the excess grows (more air over the element cools it) and caps
 * the heater only beyond what the fan can do; the second caps the heater as the margin
 * shrinks (raising the fan there would dump the element's heat into air already near the
 * limit: near the cut-out the heat controller keeps the element cool beforehand instead).
 * Both act whatever the controller's phase. Nothing is allocated per tick.
 */
export class ElementGuard {
  private excess = 0;
  private probe = 0;
  /** The SHT31 air delayed as the outlet probe is (its lag behind the cabin air). */
  private airLagged = 0;
  private primed = false;
  /** The least fan boost (0..1, see FanPolicy) the element needs now. */
  boost = 0;
  /** The most heater duty (0..1) the element may have now. */
  cap = 1;

  /** One tick: the SHT31 air, the outlet probe (null: no reading, the interlock holds the
   *  heater off anyway) and the cut-out limit in force, °C; `charging`: the controller is
   *  heating towards a new target at full power. */
  update(air: number, probe: number | null, cutoutC: number, dtS: number, charging: boolean): void {
    if (probe === null) {
      this.primed = false;
      this.boost = 0;
      this.cap = 1;
      return;
    }
    const g = ELEMENT_GUARD;
    if (!this.primed) {
      this.airLagged = air;
      this.excess = probe - air;
      this.probe = probe;
      this.primed = true;
    } else {
      // The probe lags the cabin air: while the air falls (a porthole open, the heater off) it
      // reads above the SHT31 by the lag alone, and cutting the heat for that would only make
      // the air fall faster. So it is compared with the air delayed as much; the element's
      // share is what remains (with both chips' offsets).
      this.airLagged += (dtS / (g.probeLagS + dtS)) * (air - this.airLagged);
      // The DS18B20's 1/16 °C steps and both chips' noise, smoothed (the element moves over minutes).
      const a = dtS / (g.filterS + dtS);
      this.excess += a * (probe - this.airLagged - this.excess);
      this.probe += a * (probe - this.probe);
    }
    // Where the lagging probe is heading: the air now plus the element's share (a closing
    // porthole lifts the air within seconds; the probe shows it tens of seconds later).
    const ahead = air + this.excess;
    const margin = cutoutC - (ahead > this.probe ? ahead : this.probe);
    // The fan rises fast and falls slowly: falling back as soon as the element has cooled would
    // let it charge again and dump that charge into the air at the next rise (a cycle of
    // minutes that the air would follow).
    const want = rise(this.excess, g.excessFanFromC, g.excessFanFullC);
    // (While charging towards a target it does not fall at all: the charge ends soon, and a
    // fan that moved under it would spoil the warm-up's timing of its final boost.)
    const step = (want > this.boost ? g.fanRiseRate : charging ? 0 : g.fanFallRate) * dtS;
    this.boost = want > this.boost ? (want - this.boost < step ? want : this.boost + step) : this.boost - want < step ? want : this.boost - step;
    const capExcess = 1 - rise(this.excess, g.excessCapFromC, g.excessCapZeroC);
    const capMargin = rise(margin, g.marginCapZeroC, g.marginCapFromC);
    this.cap = capExcess < capMargin ? capExcess : capMargin;
  }

  reset(): void {
    this.primed = false;
    this.boost = 0;
    this.cap = 1;
  }
}

/** 0 at or below `from`, 1 at or above `full`, linear between. */
function rise(x: number, from: number, full: number): number {
  const r = (x - from) / (full - from);
  return r < 0 ? 0 : r > 1 ? 1 : r;
}
