import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { FIRMWARE_VERSION } from "../src/core/firmware-version";

describe("the firmware version", () => {
  it("is one version: package.json's is the one REST, MQTT and the event log report", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    assert.equal(FIRMWARE_VERSION, pkg.version, "bump src/core/firmware-version.ts with package.json");
  });
});
