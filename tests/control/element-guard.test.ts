// The element guard's margins: wider while a charge makes the air rise (the cross-check then sees
// less than the element's share), the standard ones while holding or once the air falls.
import assert from "node:assert/strict";
import { ELEMENT_GUARD } from "../../src/core/control-config";
import { ElementGuard } from "../../src/core/element-guard";

/** `seconds` of the air moving at `rateCPerS` from 30 °C, the outlet probe a 20 s lag of the air
 *  plus the element's `share`; the guard's fan boost and heater cap at the end. */
function run(share: number, rateCPerS: number, charging: boolean, seconds = 300) {
  const guard = new ElementGuard();
  let air = 30;
  let probe = air + share;
  for (let t = 0; t < seconds; t++) {
    air += rateCPerS;
    probe += (air + share - probe) / (ELEMENT_GUARD.probeLagS + 1);
    guard.update(air, probe, 38, 1, charging);
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

  it("caps the heater beyond the wider margin too, once its fan has risen", () => {
    const r = run(ELEMENT_GUARD.chargeCapZeroC + 0.05, 0.005, true, 600);
    assert.equal(r.boost, 1);
    assert.ok(r.cap < 0.05, `cap ${r.cap}`);
  });
});
