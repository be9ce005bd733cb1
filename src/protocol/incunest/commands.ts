/** The /ws command actions: the seed's, plus PRODUCT.md's set_mode. The core validates
 *  their data; anything else is an invalid command (4001). */
export const WS_ACTIONS: ReadonlySet<string> = new Set([
  "set_temperature",
  "set_humidity",
  "acknowledge_alarm",
  "set_state",
  "set_mode",
]);

export const WS_ACTION_NAMES = [...WS_ACTIONS].join(", ");
