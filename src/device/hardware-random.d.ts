// Declares hardware-random.js (a JavaScript module with a native function, which TypeScript
// cannot express).
/** Fills `buffer` with random bytes: ESP32 hardware RNG (call before Wi-Fi starts: see
 *  hardware-random.c), the host's getentropy() in Moddable's simulator. */
export declare function fillRandom(buffer: Uint8Array): void;
