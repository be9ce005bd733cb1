// What the firmware says it is (REST /api/status, MQTT status).
export const FIRMWARE_VERSION = "0.1.0";
/** The IncuNest board revision the pins and drivers are for. */
export const HARDWARE_VERSION = "1.0";
