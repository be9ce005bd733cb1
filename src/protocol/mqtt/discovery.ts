// Home Assistant MQTT discovery: one retained `{prefix}/{component}/{object_id}/config`
// per entity, naming the topics and JSON paths this firmware publishes (docs/mqtt.md).
// The docs' example is the first entity exactly: homeassistant/sensor/incunest_001_temp/config.
import { SETPOINT_LIMITS } from "../../core/control-config";
import type { TopicMap } from "./topics";

export interface DiscoveryOptions {
  readonly prefix: string;
  /** Setpoint numbers, mode select, state and acknowledge buttons. */
  readonly controls: boolean;
  readonly firmware: string;
}

export interface DiscoveryMessage {
  readonly topic: string;
  /** "" removes the entity (a control no longer allowed). */
  readonly payload: string;
}

type Entity = { readonly component: string; readonly suffix: string; readonly control: boolean; readonly fields: Record<string, unknown> };

function entities(t: TopicMap): Entity[] {
  const cmd = (name: string) => t.commands.find((c) => c.name === name)!.topic;
  const sensor = (suffix: string, name: string, template: string, extra: Record<string, unknown>): Entity => ({
    component: "sensor", suffix, control: false,
    fields: { name, state_topic: t.sensors, value_template: template, state_class: "measurement", ...extra },
  });
  const alarm = (priority: string): Entity => ({
    component: "binary_sensor", suffix: `alarm_${priority}`, control: false,
    fields: {
      name: `${priority[0].toUpperCase()}${priority.slice(1)} priority alarm`,
      state_topic: t.alarmsActive,
      value_template: `{{ 'ON' if value_json.${priority} > 0 else 'OFF' }}`,
      device_class: "problem",
      json_attributes_topic: t.alarmsActive,
    },
  });
  const button = (action: string, name: string): Entity => ({
    component: "button", suffix: action, control: true,
    fields: { name, command_topic: cmd("state"), payload_press: JSON.stringify({ action }) },
  });
  const { air, humidity } = SETPOINT_LIMITS;
  return [
    sensor("temp", "Air temperature", "{{ value_json.temperature.ambient }}", { unit_of_measurement: "°C", device_class: "temperature", suggested_display_precision: 1 }),
    sensor("skin_temp", "Skin temperature", "{{ value_json.temperature.skin }}", { unit_of_measurement: "°C", device_class: "temperature", suggested_display_precision: 1 }),
    sensor("humidity", "Humidity", "{{ value_json.humidity.current }}", { unit_of_measurement: "%", device_class: "humidity", suggested_display_precision: 0 }),
    sensor("heater", "Heater power", "{{ value_json.actuators.heater_power }}", { unit_of_measurement: "%", icon: "mdi:radiator" }),
    sensor("fan", "Fan speed", "{{ value_json.actuators.fan_speed }}", { unit_of_measurement: "%", icon: "mdi:fan" }),
    {
      component: "sensor", suffix: "state", control: false,
      fields: { name: "State", state_topic: t.state, value_template: "{{ value_json.state }}", device_class: "enum", options: ["STANDBY", "PREHEATING", "OPERATING", "FAULT"] },
    },
    alarm("high"),
    alarm("medium"),
    alarm("low"),
    {
      component: "number", suffix: "temp_setpoint", control: true,
      fields: {
        name: "Temperature setpoint", command_topic: cmd("temperature"), command_template: '{"setpoint": {{ value }}}',
        state_topic: t.sensors, value_template: "{{ value_json.temperature.setpoint }}",
        min: air.min, max: air.max, step: 0.1, unit_of_measurement: "°C", mode: "box",
      },
    },
    {
      component: "number", suffix: "humidity_setpoint", control: true,
      fields: {
        name: "Humidity setpoint", command_topic: cmd("humidity"), command_template: '{"setpoint": {{ value }}}',
        state_topic: t.sensors, value_template: "{{ value_json.humidity.setpoint }}",
        min: humidity.min, max: humidity.max, step: 1, unit_of_measurement: "%", mode: "box",
      },
    },
    {
      component: "select", suffix: "mode", control: true,
      fields: {
        name: "Control mode", command_topic: cmd("mode"), command_template: '{"mode": "{{ value }}"}',
        state_topic: t.sensors, value_template: "{{ value_json.mode }}", options: ["air", "skin"],
      },
    },
    button("start", "Start"),
    button("stop", "Stop"),
    button("standby", "Standby"),
    {
      component: "button", suffix: "ack_all", control: true,
      fields: { name: "Acknowledge alarms", command_topic: cmd("acknowledge"), payload_press: '{"all": true}' },
    },
  ];
}

/** Every entity's config message; controls carry "" (removal) unless allowed. */
export function discoveryMessages(deviceId: string, topics: TopicMap, options: DiscoveryOptions): DiscoveryMessage[] {
  const node = deviceId.toLowerCase();
  const device = { identifiers: [deviceId], name: `IncuNest ${deviceId}`, model: "IncuNest v1.0", manufacturer: "Medical Open World", sw_version: options.firmware };
  const availability = { availability_topic: topics.status, availability_template: "{{ 'online' if value_json.online else 'offline' }}" };
  return entities(topics).map((e) => {
    const unique = `${node}_${e.suffix}`;
    const topic = `${options.prefix}/${e.component}/${unique}/config`;
    if (e.control && !options.controls) return { topic, payload: "" };
    return { topic, payload: JSON.stringify({ ...e.fields, unique_id: unique, object_id: unique, ...availability, device }) };
  });
}
