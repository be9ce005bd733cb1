// Random bytes for secrets (manifest module "src/device/hardware-random"; the native is
// hardware-random.c): the ESP32's hardware RNG, the host's getentropy() in the simulator.
// XS's own Math.random is esp_random() on the ESP32 but an unseeded rand() in the simulator,
// which would give every simulator the same "random" key.

/** Fills an ArrayBuffer or typed array with random bytes. */
export function fillRandom(buffer) @ "xs_incunest_fill_random";
