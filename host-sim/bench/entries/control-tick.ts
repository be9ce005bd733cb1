// XS entry (host-sim/xs/run-on-xs.ts) for the controllers' own cost per tick: heat (air /
// skin, with what it learns), humidity and fan, as the Incubator's tick calls them, on the model with the
// bench's direct sensors (no record: the standard build's knowledge, then what it learns in the
// warm-up). Ops are separate calls so that one call's meter is one piece of work:
//   {op:"setup", mode, warmupS, variant}  builds plant, sensors and controllers ("now": today's,
//                                "before": the frozen copy of main's before issue 15 in
//                                ../baseline/); runs the warm-up
//   {op:"sense"}                 one plant second and a sensor frame (not the controllers)
//   {op:"control"}               the controllers on that frame: what is measured
//   {op:"noop"}                  the call overhead alone
import { HEAT } from "../../../src/core/control-config";
import { ControlKnowledge } from "../../../src/core/control-knowledge";
import { FanPolicy } from "../../../src/core/fan-policy";
import { HeatController } from "../../../src/core/heat-controller";
import { HumidityController } from "../../../src/core/humidity-controller";
import { FanPolicy as FanPolicyBefore } from "../baseline/fan-policy";
import { HeatController as HeatControllerBefore } from "../baseline/heat-controller";
import { HumidityController as HumidityControllerBefore } from "../baseline/humidity-controller";
import type { ControlMode, SensorFrame } from "../../../src/core/types";
import { DirectSensors } from "../../direct-sensors";
import { IncubatorPlant } from "../../plant/model";
import { DEFAULT_PLANT_PARAMS } from "../../plant/params";

type Variant = "now" | "before";
type Input = { op: "setup"; mode: ControlMode; warmupS: number; variant?: Variant } | { op: "sense" } | { op: "control" } | { op: "noop" };

interface Loop {
  readonly plant: IncubatorPlant;
  readonly heater: number;
  sense(): void;
  control(): void;
}

/** The plant and sensors both variants share: one plant second, one frame. */
abstract class PlantLoop {
  readonly plant = new IncubatorPlant(DEFAULT_PLANT_PARAMS);
  readonly sensors = new DirectSensors(this.plant, { seed: 2026, offsets: "none" });
  nowS = 0;
  frame: SensorFrame;
  heater = 0;
  fanDuty = 0;
  humidifier = false;

  constructor(readonly mode: ControlMode) {
    this.frame = this.sensors.sample(0);
  }

  sense(): void {
    this.plant.step(1, { heaterDuty: this.heater, fanDuty: this.fanDuty, humidifierOn: this.humidifier });
    this.nowS += 1;
    this.frame = this.sensors.sample(this.nowS * 1000);
  }
}

class LoopNow extends PlantLoop implements Loop {
  readonly knowledge = new ControlKnowledge(null, HEAT.saveEveryS);
  readonly heat = new HeatController(this.knowledge);
  readonly humidity = new HumidityController(this.knowledge);
  readonly fan = new FanPolicy();

  control(): void {
    const f = this.frame;
    this.heater = this.heat.update(this.nowS, this.mode, 36, 36.5, f.air.value as number, f.skin.value, 1, this.heater, f.probeAir.value, this.mode === "skin" ? 40 : 38);
    this.humidifier = this.humidity.update(this.nowS, 60, f.humidity.value as number, 1);
    this.fanDuty = this.fan.duty(this.nowS, true, this.heat.boost);
  }
}

class LoopBefore extends PlantLoop implements Loop {
  readonly heat = new HeatControllerBefore();
  readonly humidity = new HumidityControllerBefore();
  readonly fan = new FanPolicyBefore();

  control(): void {
    const f = this.frame;
    this.heater = this.heat.update({ mode: this.mode, airSetpoint: 36, skinSetpoint: 36.5, air: f.air.value as number, skin: f.skin.value, dtS: 1 }, this.heater).duty;
    this.humidifier = this.humidity.update(this.nowS, 60, f.humidity.value as number, 1);
    this.fanDuty = this.fan.duty(this.nowS, true, this.heater);
  }
}

let loop: Loop | null = null;

export function run(input: Input) {
  if (input.op === "noop") return 0;
  if (input.op === "setup") {
    loop = input.variant === "before" ? new LoopBefore(input.mode) : new LoopNow(input.mode);
    for (let i = 0; i < input.warmupS; i++) {
      loop.sense();
      loop.control();
    }
    return { air: loop.plant.state.airC, heater: loop.heater };
  }
  if (loop === null) throw new Error("call {op:'setup'} first");
  if (input.op === "sense") loop.sense();
  else loop.control();
  return 0;
}
