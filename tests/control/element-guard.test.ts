// The element guard's margins: wider while a charge makes the air rise, judged then on the probe as
// the cross-check sees it (less than the element's share), the standard ones on the share while
// holding or once the air falls (not as it falls back after the end-of-warm-up boost).
import assert from "node:assert/strict";
import { ELEMENT_GUARD } from "../../src/core/control-config";
import { ElementGuard } from "../../src/core/element-guard";

/** `seconds` of the air moving at `rateCPerS` from 30 °C, the outlet probe a 20 s lag of the air
 *  plus the element's `share`; the guard's fan boost and heater cap at the end. */
function run(share: number, rateCPerS: number, charging: boolean, seconds = 300, coldStart = false) {
  const guard = new ElementGuard();
  let air = 30;
  let probe = coldStart ? air : air + share;
  for (let t = 0; t < seconds; t++) {
    air += rateCPerS;
    // (From a cold start the element's share builds up over the first minute.)
    const s = coldStart && t < 60 ? (share * t) / 60 : share;
    probe += (air + s - probe) / (ELEMENT_GUARD.probeLagS + 1);
    guard.update(air, probe, 38, 1, charging, false);
  }
  return { boost: guard.boost, cap: guard.cap };
}

describe("element guard margins", () => {
  const share = (ELEMENT_GUARD.excessFanFromC + ELEMENT_GUARD.chargeFanFromC) / 2;

  it("leaves fan and heater alone while a charge makes the air rise with the element's share between the two margins", () => {
    assert.deepEqual(run(share, 0.005, true), { boost: 0, cap: 1 });
  });

  it("raises the fan for the same share while holding, and once a porthole makes the air fall during a charge", () => {
    assert.ok(run(share, 0, false).boost > 0, "holding");
    assert.ok(run(share, -0.01, true).boost > 0, "air falling while charging");
  });

  it("judges a rising charge by what the cross-check sees: the lagging probe reads the share less the rise within its lag", () => {
    // A fast rise (the cross-check does not compare the channels then): the share beyond the
    // wider margin, the probe's reading below it.
    assert.deepEqual(run(ELEMENT_GUARD.chargeFanFullC + 0.05, 0.01, true, 300, true), { boost: 0, cap: 1 });
    assert.ok(run(ELEMENT_GUARD.chargeFanFullC + 0.05, 0, false, 300, true).boost > 0, "the same share while holding");
  });

  it("after the end-of-warm-up boost, lets the air fall back to the floor it was given by the charge's margins; a porthole's fall beyond it by the hold's", () => {
    /** Charging: the air falls at 0.01 °C/s for `fallS` from 35.5 °C, then rises slowly; the floor 0.6 °C below the start. */
    const fallBack = (fallS: number, floor: boolean) => {
      const guard = new ElementGuard();
      guard.roomy = true;
      if (floor) guard.boostFloorC = 35.5 - 0.6;
      let air = 35.5;
      let probe = air + share;
      let most = 0;
      for (let t = 0; t < 300; t++) {
        air += t < fallS ? -0.01 : 0.002;
        probe += (air + share - probe) / (ELEMENT_GUARD.probeLagS + 1);
        guard.update(air, probe, 38, 1, true, true);
        if (guard.boost > most) most = guard.boost;
      }
      return most;
    };
    assert.equal(fallBack(40, true), 0, "the boost's fall back");
    assert.ok(fallBack(40, false) > 0, "the same fall without a boost before it");
    assert.ok(fallBack(120, true) > 0, "a porthole's fall, beyond the floor");
  });

  it("caps the heater beyond the wider margin too, once its fan has risen", () => {
    // The probe, as the cross-check sees it, beyond the margin: the share plus the rise within its lag.
    const r = run(ELEMENT_GUARD.chargeCapZeroC + 0.05 + 0.005 * ELEMENT_GUARD.probeLagS, 0.005, true, 600);
    assert.equal(r.boost, 1);
    assert.ok(r.cap < 0.05, `cap ${r.cap}`);
  });
});
