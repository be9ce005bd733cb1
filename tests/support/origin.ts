import type { CommandOrigin } from "../../src/core/api";

/** The origin of commands a test sends straight to the core. */
export const TEST_ORIGIN: CommandOrigin = Object.freeze({ via: "local", client: "test" });
