/** Subscription channels of /ws, as bits of a session's mask. */
export const Channel = Object.freeze({ SENSORS: 1, ALARMS: 2, STATE: 4 });

export const CHANNELS: Readonly<Record<string, number>> = Object.freeze({
  sensors: Channel.SENSORS,
  alarms: Channel.ALARMS,
  state: Channel.STATE,
  all: Channel.SENSORS | Channel.ALARMS | Channel.STATE,
});

export const CHANNEL_NAMES = Object.keys(CHANNELS).join(", ");
