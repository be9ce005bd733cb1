// XS entry for what the core's parts leave live, each made on its own call:
//   {op:"alarms"} an AlarmSystem   {op:"heat"} a HeatController with its ControlKnowledge
//   {op:"humidity"} a HumidityController   {op:"machine"} a StateMachine
//   {op:"incubator"} the whole core on the simulated board (board made in "board")
//   {op:"run", s} advance simulated time by s seconds (therapy started at "incubator")
import { AlarmSystem } from "../../../src/alarms/alarm-system";
import { ControlKnowledge } from "../../../src/core/control-knowledge";
import { HeatController } from "../../../src/core/heat-controller";
import { HumidityController } from "../../../src/core/humidity-controller";
import { Incubator } from "../../../src/core/incubator";
import { StateMachine } from "../../../src/core/state-machine";
import { openHardware } from "../../../src/device/hardware-sim";
import { SIM_DEVICE_CONFIG } from "../sim-device-config";
import { SimTime } from "../../sim-time";

type Input = { op: "noop" | "alarms" | "heat" | "humidity" | "machine" | "board" | "incubator" | "run"; s?: number };

const kept: unknown[] = [];
const time = new SimTime();
let hardware: ReturnType<typeof openHardware> | null = null;
let incubator: Incubator | null = null;

export function run(input: Input): unknown {
  switch (input.op) {
    case "noop":
      return 0;
    case "alarms":
      kept.push(new AlarmSystem({ history: [], bootEpochMs: 0 }));
      return 0;
    case "heat":
      kept.push(new HeatController(new ControlKnowledge(null, 600)));
      return 0;
    case "humidity":
      kept.push(new HumidityController(new ControlKnowledge(null, 600)));
      return 0;
    case "machine":
      kept.push(new StateMachine("STANDBY", 600, 0.5));
      return 0;
    case "board":
      hardware = openHardware(SIM_DEVICE_CONFIG, time, () => {}, { temp_ambient_offset: 0, temp_skin_offset: 0, humidity_offset: 0 } as never);
      return 0;
    case "incubator": {
      const h = hardware!;
      incubator = new Incubator({ clock: time, wall: time, timers: time, sensors: h.sensors, actuators: h.actuators, alarmSignal: h.alarmSignal });
      incubator.start();
      return 0;
    }
    case "run":
      time.advance((input.s ?? 1) * 1000);
      return incubator ? incubator.snapshot().state : 0;
  }
}
