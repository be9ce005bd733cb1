import { ELEMENT_GUARD } from "./control-config";

// The table's values, read once (a property lookup per use costs on XS).
const FILTER_S = ELEMENT_GUARD.filterS;
const PROBE_LAG_S = ELEMENT_GUARD.probeLagS;
const FAN_FROM = ELEMENT_GUARD.excessFanFromC;
const FAN_FULL = ELEMENT_GUARD.excessFanFullC;
const FAN_RISE = ELEMENT_GUARD.fanRiseRate;
const FAN_FALL = ELEMENT_GUARD.fanFallRate;
const CHARGE_CLEAR = ELEMENT_GUARD.chargeFallClearC;
const CHARGE_FALL = ELEMENT_GUARD.chargeFallRate;
const CAP_FROM = ELEMENT_GUARD.excessCapFromC;
const CAP_ZERO = ELEMENT_GUARD.excessCapZeroC;
const CHARGE_FAN_FROM = ELEMENT_GUARD.chargeFanFromC;
const CHARGE_FAN_FULL = ELEMENT_GUARD.chargeFanFullC;
const CHARGE_CAP_FROM = ELEMENT_GUARD.chargeCapFromC;
const CHARGE_CAP_ZERO = ELEMENT_GUARD.chargeCapZeroC;
const FALL_C = ELEMENT_GUARD.chargeFallC;
const ROOMY_C = ELEMENT_GUARD.roomyChargeC;
const MARGIN_CAP_FROM = ELEMENT_GUARD.marginCapFromC;
const MARGIN_CAP_ZERO = ELEMENT_GUARD.marginCapZeroC;

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
 * Both act whatever the controller's phase; the first with wider margins while a charge
 * towards a new target makes the air rise (a porthole's fall takes them back). Nothing is
 * allocated per tick.
 */
export class ElementGuard {
  private excess = 0;
  private probe = 0;
  /** The SHT31 air delayed as the outlet probe is (its lag behind the cabin air). */
  private airLagged = 0;
  /** The SHT31 air smoothed as the probe is (what the cross-check compares, without the lag). */
  private airSmooth = 0;
  private primed = false;
  /** The least fan boost (0..1, see FanPolicy) the element needs now. */
  boost = 0;
  /** The most heater duty (0..1) the element may have now. */
  cap = 1;
  /** Set by the heat controller: its air target is far from the cut-out (ELEMENT_GUARD.roomyChargeC). */
  roomy = false;
  /** Set by the heat controller as its end-of-warm-up boost ends, until the hold begins: the air
   *  above this falls back from what the boost lifted (the element charging again), not through
   *  a porthole (Infinity: no such boost). */
  boostFloorC = Infinity;

  /** One tick: the SHT31 air, the outlet probe (null: no reading, the interlock holds the
   *  heater off anyway) and the cut-out limit in force, °C; `charging`: the controller is
   *  heating towards a new target (at full power, or holding while the air still arrives);
   *  `fullHeat`: charging at full heat with the fan at its floor (before or after a boost): the
   *  fan may fall again (see below). */
  update(air: number, probe: number | null, cutoutC: number, dtS: number, charging: boolean, fullHeat: boolean): void {
    if (probe === null) {
      this.primed = false;
      this.boost = 0;
      this.cap = 1;
      return;
    }
    if (!this.primed) {
      this.airLagged = air;
      this.airSmooth = air;
      this.excess = probe - air;
      this.probe = probe;
      this.primed = true;
    } else {
      // The probe lags the cabin air: while the air falls (a porthole open, the heater off) it
      // reads above the SHT31 by the lag alone, and cutting the heat for that would only make
      // the air fall faster. So it is compared with the air delayed as much; the element's
      // share is what remains (with both chips' offsets).
      this.airLagged += (dtS / (PROBE_LAG_S + dtS)) * (air - this.airLagged);
      // The DS18B20's 1/16 °C steps and both chips' noise, smoothed (the element moves over minutes).
      const a = dtS / (FILTER_S + dtS);
      this.excess += a * (probe - this.airLagged - this.excess);
      this.probe += a * (probe - this.probe);
      this.airSmooth += a * (air - this.airSmooth);
    }
    let excess = this.excess;
    // Where the lagging probe is heading: the air now plus the element's share (a closing
    // porthole lifts the air within seconds; the probe shows it tens of seconds later).
    const ahead = air + excess;
    const margin = cutoutC - (ahead > this.probe ? ahead : this.probe);
    this.cap = margin < MARGIN_CAP_FROM ? (margin <= MARGIN_CAP_ZERO ? 0 : (margin - MARGIN_CAP_ZERO) / (MARGIN_CAP_FROM - MARGIN_CAP_ZERO)) : 1;
    // Most ticks: the element's share below every margin and no fan raised, nothing more to do
    // (every margin, the charge's too, is at least FAN_FROM).
    if (excess <= FAN_FROM && this.boost === 0) return;
    // The fan rises fast and falls slowly: falling back as soon as the element has cooled would
    // let it charge again and dump that charge into the air at the next rise (a cycle of
    // minutes that the air would follow).
    // (While charging at full heat it falls, slowly, once the share is well below where it rose:
    // the early rise of a warm-up peaks, or the air's fall after a boost judged the element by
    // the hold's margins, and a fan kept up on that for the rest of the charge only loses the
    // air's heat to the cold hood. The hold that follows keeps the charge's margins while the air
    // arrives (heat-controller.ts), so the element's store is not dumped into the air as it
    // begins; there, and once holding, it falls only as below.)
    // While charging towards a target the air rises or holds, and the cross-check (which compares
    // the channels as they are) sees no more than the element's share: the element may run
    // hotter. Once the air falls (a porthole) the lagging probe reads above that share by what
    // the air fell behind it, and the standard margins apply at once.
    // After the end-of-warm-up boost the air falls back within a minute by about what the boost
    // lifted (the element charging again): not a porthole while it stays above boostFloorC.
    // (Judged by the hold's margins, that fall raised the fan for minutes, which only lost the
    // air's heat to the still cold hood: big-hood-500w settled 2 minutes later.)
    const rising = charging && (this.airLagged - air < FALL_C || air > this.boostFloorC);
    // Rising, the channels are judged as the cross-check compares them, as they are: the lagging
    // probe reads the element's share less the air's rise within its lag (a fast rise is not
    // compared at all). What the element stores meanwhile shows once the rise ends: the charge
    // ends with a boost, or in the hold, where the share itself is judged. (Falling back after
    // the boost, the lagging probe reads above the share by what the air fell within its lag,
    // which the cross-check allows for (MISMATCH.probeLagS): there the lesser of the two.)
    if (rising) {
      const seen = this.probe - this.airSmooth;
      if (seen < excess || air <= this.boostFloorC) excess = seen;
    }
    const later = rising && this.roomy ? ROOMY_C : 0;
    const fanFrom = rising ? CHARGE_FAN_FROM + later : FAN_FROM;
    const fanFull = rising ? CHARGE_FAN_FULL + later : FAN_FULL;
    const want = excess <= fanFrom ? 0 : excess >= fanFull ? 1 : (excess - fanFrom) / (fanFull - fanFrom);
    let boost = this.boost;
    if (want > boost) {
      boost += FAN_RISE * dtS;
      if (boost > want) boost = want;
    } else if (want < boost && (!charging || (fullHeat && rising && excess < fanFrom - CHARGE_CLEAR))) {
      boost -= (charging ? CHARGE_FALL : FAN_FALL) * dtS;
      if (boost < want) boost = want;
    }
    this.boost = boost;
    // The heater is capped for the excess only as far as the fan has already risen: beyond what
    // the fan can do (an excess that jumps at once is a sensor gone wrong, not the element, and
    // the cross-check alarm is there for that).
    const capFrom = rising ? CHARGE_CAP_FROM + later : CAP_FROM;
    const capZero = rising ? CHARGE_CAP_ZERO : CAP_ZERO;
    if (excess > capFrom) {
      const byExcess = 1 - boost * (excess >= capZero ? 1 : (excess - capFrom) / (capZero - capFrom));
      if (byExcess < this.cap) this.cap = byExcess;
    }
  }

  reset(): void {
    this.primed = false;
    this.boostFloorC = Infinity;
    this.boost = 0;
    this.cap = 1;
  }
}
