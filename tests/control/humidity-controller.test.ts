import assert from "node:assert/strict";
import { HUMIDIFIER } from "../../src/core/control-config";
import { ControlKnowledge } from "../../src/core/control-knowledge";
import { HumidityController } from "../../src/core/humidity-controller";
import { FirmwareController } from "../../host-sim/bench/firmware-controller";
import { BenchRig } from "../../host-sim/bench/rig";
import { loadPlantParams } from "../../host-sim/plant/load-plant-params";

describe("humidity controller", () => {
  it("keeps the humidifier's minimum on and off times and switches at most twice a window", () => {
    const h = new HumidityController(new ControlKnowledge(null, 600));
    // A crude room: the mist lifts 0.2 %RH/s, the air loses 0.05 %RH/s; noise from a fixed sequence.
    let rh = 55;
    let on = false;
    let changedAt = 0;
    let switches = 0;
    const lengths: number[] = [];
    for (let t = 0; t < 4 * 3600; t++) {
      const now = h.update(t, 60, rh + 0.05 * Math.sin(t * 1.7), 1);
      if (now !== on) {
        if (t > 0) lengths.push(t - changedAt);
        changedAt = t;
        on = now;
        switches++;
      }
      rh += (on ? 0.2 : 0) - 0.05;
    }
    assert.ok(lengths.length > 10, "it did modulate");
    assert.ok(Math.min(...lengths) >= Math.min(HUMIDIFIER.minOnS, HUMIDIFIER.minOffS), `shortest on/off ${Math.min(...lengths)} s`);
    // A window may be shortened by its slack (to fit whole seconds of on-time), never more.
    assert.ok(switches <= (2 * 4 * 3600) / (HUMIDIFIER.windowS - HUMIDIFIER.windowSlackS) + 2, `${switches} switches`);
    assert.ok(Math.abs(rh - 60) < 2, `humidity ${rh}`);
  });

  it("learns how strong the humidifier is from a minute of uninterrupted mist", () => {
    const knowledge = new ControlKnowledge(null, 600);
    const h = new HumidityController(knowledge);
    let rh = 40;
    for (let t = 0; t < 120; t++) {
      const on = h.update(t, 80, rh, 1);
      rh += on ? 0.1 : 0;
    }
    assert.ok(Math.abs(knowledge.value.humidifierRate - 0.1) < 0.01, `rate ${knowledge.value.humidifierRate}`);
  });

  it("holds a humidity its humidifier only just reaches (full windows kept in steady operation; only an approach is cut short)", () => {
    // The small humidifier of the family at 80 %RH needs about 90 % of the time on.
    const params = loadPlantParams("host-sim/plant/family/small-humidifier.json");
    const c = new FirmwareController();
    const rig = new BenchRig(params, c, { seed: 8 });
    c.setTemperature(36);
    c.setHumidity(60);
    c.start();
    rig.run(3 * 3600);
    c.setHumidity(80);
    let min = Infinity;
    let max = -Infinity;
    for (let t = 1; t <= 3 * 3600; t++) {
      rig.second();
      if (t > 2.5 * 3600) {
        min = Math.min(min, rig.plant.state.rh);
        max = Math.max(max, rig.plant.state.rh);
      }
    }
    assert.ok(min >= 78 && max <= 82, `the last half hour within 80 ± 2 %RH: ${min.toFixed(2)}..${max.toFixed(2)}`);
  });
});
